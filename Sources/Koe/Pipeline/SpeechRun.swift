import Foundation
import KoeText
import KokoroModel

/// The state of one stream: plans chunks, synthesises each when the consumer asks, and
/// maps durations to timestamps. Used by one consumer at a time (the stream's iterator).
actor SpeechRun {
    private let synthesizer: SpeechSynthesizer
    private let text: String
    private let options: SpeechOptions
    private var planner: ChunkPlanner?
    private var voice: KokoroEngine.Voice = .named("")
    private var done = false
    private let startedAt = DispatchTime.now().uptimeNanoseconds
    private var firstAudioAt: UInt64?
    private var chunkIndex = 0
    private var offset = 0
    private var wordCount = 0
    /// Sentences begun but not yet ended, by index: where they start and their last word so far.
    private var openSentences: [Int: (start: Double, firstWord: Int, lastWord: Int, end: Double)] = [:]

    init(synthesizer: SpeechSynthesizer, text: String, options: SpeechOptions) {
        self.synthesizer = synthesizer
        self.text = text
        self.options = options
    }

    func next() throws -> SpeechEvent? {
        if done { return nil }
        if Task.isCancelled {
            done = true
            return nil
        }
        do {
            if planner == nil { try start() }
            guard var planner else { return nil }
            let planned = try planner.next()
            self.planner = planner
            guard let planned else {
                if chunkIndex == 0 { throw KoeError.noSpeech(text: text) }
                done = true
                return .finished(summary())
            }
            return .audio(try synthesize(planned))
        } catch {
            done = true
            throw error
        }
    }

    private func start() throws {
        guard text.unicodeScalars.contains(where: { !$0.properties.isWhitespace && $0.value >= 0x20 }) else {
            throw KoeError.emptyText
        }
        let (voice, g2p) = try synthesizer.prepare(options)
        self.voice = voice
        planner = ChunkPlanner(text: text, g2p: g2p, firstLimit: options.firstChunkLimit, target: options.chunkTarget)
    }

    private func synthesize(_ planned: PlannedChunk) throws -> AudioChunk {
        let engine = synthesizer.engine
        let tokens = try engine.vocabulary.encode(planned.phonemes)
        let result = try synthesizer.runNetwork(tokens: tokens, phonemes: planned.phonemes, voice: voice,
                                                speed: options.speed, threads: options.threads)
        var samples = result.audio
        Self.fadeEdges(&samples)
        let rate = KokoroNetwork.sampleRate
        let mapped = TimestampMapper.words(planned.words, durations: result.durations, tokenCount: tokens.count,
                                           offset: offset, samplesPerFrame: KokoroNetwork.samplesPerFrame, sampleRate: rate)
        var words = mapped.map(\.stamp)
        TimestampMapper.trimSilentEdges(&words, samples: samples, chunkOffset: offset, sampleRate: rate)
        for (k, word) in words.enumerated() {
            let sentence = planned.wordSentences[mapped[k].index]
            let global = wordCount + k
            let begun = openSentences[sentence] ?? (word.start, global, global, word.end)
            openSentences[sentence] = (begun.start, begun.firstWord, global, word.end)
        }
        var sentences: [SentenceTimestamp] = []
        for index in planned.endedSentences {
            guard let open = openSentences.removeValue(forKey: index), let segment = planner?.sentences[index] else { continue }
            sentences.append(SentenceTimestamp(text: segment.text, start: open.start, end: open.end,
                                               charStart: segment.range.lowerBound, charEnd: segment.range.upperBound,
                                               words: open.firstWord..<(open.lastWord + 1)))
        }
        let chunk = AudioChunk(index: chunkIndex, samples: samples, sampleRate: rate, offset: offset,
                               textRange: planned.textRange, phonemes: planned.phonemes, words: words,
                               sentences: sentences, durations: result.durations)
        if firstAudioAt == nil { firstAudioAt = DispatchTime.now().uptimeNanoseconds }
        chunkIndex += 1
        offset += samples.count
        wordCount += words.count
        return chunk
    }

    private func summary() -> SpeechSummary {
        let now = DispatchTime.now().uptimeNanoseconds
        return SpeechSummary(
            chunkCount: chunkIndex, wordCount: wordCount, sampleCount: offset, sampleRate: KokoroNetwork.sampleRate,
            timeToFirstAudio: Double((firstAudioAt ?? now) - startedAt) / 1e9,
            synthesisSeconds: Double(now - startedAt) / 1e9)
    }

    /// A 2 ms raised-cosine fade at both ends: chunks start and end in the pads' near-silence,
    /// and the fade makes the joins click-free whatever the residual level.
    static func fadeEdges(_ samples: inout [Float], length: Int = 48) {
        let n = min(length, samples.count / 2)
        guard n > 0 else { return }
        for i in 0..<n {
            let g = Float(0.5 - 0.5 * cos(Double.pi * Double(i) / Double(n)))
            samples[i] *= g
            samples[samples.count - 1 - i] *= g
        }
    }
}
