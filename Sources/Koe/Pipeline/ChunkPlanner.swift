import KoeText

/// A piece of text ready for one forward pass: at most 510 phonemes, whole words.
struct PlannedChunk: Sendable {
    var phonemes: String
    /// Words with offsets into the whole input and `phonemeRange` inside `phonemes`.
    var words: [PhonemizedWord]
    /// The sentence (index into the planner's sentences) each word belongs to.
    var wordSentences: [Int]
    /// The chunk's code-point range in the input.
    var textRange: Range<Int>
    /// Sentences whose last piece is in this chunk.
    var endedSentences: [Int]
}

/// Turns a text into chunks lazily, a sentence at a time, so a book needs no more memory
/// than its text: segment into sentences, phonemize each, cut a sentence longer than
/// Kokoro's limit at clauses (then words), keep the first chunk short, and join later
/// sentences up to a target length, growing from the first chunk's.
struct ChunkPlanner: Sendable {
    /// A later chunk joins sentences up to this many times the phonemes of the chunk before
    /// (or `firstLimit`, when more), up to the target: each chunk is rendered while the one
    /// before plays, and the audio runs about twice as long as the time to render it on a
    /// machine at 0.5 of real time, with the first chunk's one pass still to share it. A 12-word
    /// first chunk followed by a 40-word chunk starved playback at 0.3 of real time.
    static let growth = 2

    /// A sentence or a part of one, phonemized, with offsets into the whole input.
    private struct Piece: Sendable {
        var phonemization: Phonemization
        var sentence: Int
        var endsSentence: Bool
        var textRange: Range<Int>
    }

    let sentences: [TextSegment]
    private let g2p: any Phonemizing
    private let firstLimit: Int
    private let target: Int
    private let normalization: TextNormalization
    private var nextSentence = 0
    private var pending: [Piece] = []
    private var pendingStart = 0
    private(set) var chunksPlanned = 0
    /// Phonemes in the chunk planned last.
    private var lastLength = 0

    init(text: String, g2p: any Phonemizing, firstLimit: Int, target: Int, normalization: TextNormalization = .default) {
        sentences = TextSegmenter().sentences(in: text)
        self.g2p = g2p
        self.normalization = normalization
        self.firstLimit = firstLimit
        self.target = target
    }

    /// The next chunk, or nil at the end of the text.
    mutating func next() throws -> PlannedChunk? {
        try fillPending()
        guard pendingStart < pending.count else { return nil }
        var pieces = [take()]
        var length = pieces[0].phonemization.phonemeCount
        if chunksPlanned > 0 {
            let limit = min(target, max(Self.growth * lastLength, firstLimit))
            while true {
                try fillPending()
                guard pendingStart < pending.count else { break }
                let next = pending[pendingStart].phonemization.phonemeCount
                guard length + 1 + next <= limit else { break }
                pieces.append(take())
                length += 1 + next
            }
        }
        chunksPlanned += 1
        lastLength = length
        return Self.join(pieces)
    }

    private mutating func take() -> Piece {
        let piece = pending[pendingStart]
        pendingStart += 1
        if pendingStart == pending.count {
            pending.removeAll(keepingCapacity: true)
            pendingStart = 0
        }
        return piece
    }

    /// Phonemizes sentences until a piece waits (or the text ends).
    private mutating func fillPending() throws {
        while pendingStart == pending.count, nextSentence < sentences.count {
            let index = nextSentence
            nextSentence += 1
            let segment = sentences[index]
            let phonemized: Phonemization
            do {
                phonemized = try g2p.phonemize(segment.text, normalization: normalization)
            } catch TextError.emptyText {
                continue  // nothing speakable in this sentence ("***")
            }
            // Only pauses (a line of dashes, "..."): nothing to say.
            guard phonemized.words.contains(where: { !$0.phonemeRange.isEmpty }) else { continue }
            var absolute = phonemized
            for k in absolute.words.indices {
                absolute.words[k].start += segment.range.lowerBound
                absolute.words[k].end += segment.range.lowerBound
            }
            let isFirst = chunksPlanned == 0
            let limit = Phonemization.kokoroLimit
            let parts = isFirst && absolute.phonemeCount > firstLimit
                ? absolute.chunks(limit: limit, firstLimit: firstLimit)
                : absolute.chunks(limit: limit)
            for (k, part) in parts.enumerated() {
                let last = k == parts.count - 1
                let range: Range<Int>
                if parts.count == 1 {
                    range = segment.range
                } else {
                    let lo = k == 0 ? segment.range.lowerBound : (part.words.first?.start ?? segment.range.lowerBound)
                    let hi = last ? segment.range.upperBound : (part.words.last?.end ?? lo)
                    range = lo..<max(lo, hi)
                }
                pending.append(Piece(phonemization: part, sentence: index, endsSentence: last, textRange: range))
            }
        }
    }

    private static func join(_ pieces: [Piece]) -> PlannedChunk {
        var phonemes = ""
        var length = 0
        var words: [PhonemizedWord] = []
        var wordSentences: [Int] = []
        var ended: [Int] = []
        for piece in pieces {
            if length > 0 {
                phonemes += " "
                length += 1
            }
            for var word in piece.phonemization.words {
                word.phonemeRange = (word.phonemeRange.lowerBound + length)..<(word.phonemeRange.upperBound + length)
                words.append(word)
                wordSentences.append(piece.sentence)
            }
            phonemes += piece.phonemization.phonemes
            length += piece.phonemization.phonemeCount
            if piece.endsSentence { ended.append(piece.sentence) }
        }
        let lo = pieces.first?.textRange.lowerBound ?? 0
        let hi = max(lo, pieces.last?.textRange.upperBound ?? lo)
        return PlannedChunk(phonemes: phonemes, words: words, wordSentences: wordSentences, textRange: lo..<hi, endedSentences: ended)
    }
}
