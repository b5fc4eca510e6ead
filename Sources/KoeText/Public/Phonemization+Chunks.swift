extension Phonemization {
    /// Kokoro's limit on phonemes per forward pass.
    public static let kokoroLimit = 510

    /// Splits the phonemes into chunks of at most `limit` scalars (the first at most
    /// `firstLimit`, to start a stream sooner), cutting at the most natural boundary inside
    /// each window: after a sentence stop, else after a clause mark (`, ; : — )`), else
    /// between words, as Kokoro's pipeline does. Cuts fall on spaces between words, so
    /// every word lands whole in one chunk (only a single word longer than the limit is cut
    /// inside); words' `phonemeRange`s are rebased to their chunk.
    public func chunks(limit: Int = Phonemization.kokoroLimit, firstLimit: Int? = nil) -> [Phonemization] {
        precondition(limit > 0, "chunk limit must be positive, got \(limit)")
        let scalars = Array(phonemes.unicodeScalars)
        guard scalars.count > min(limit, firstLimit ?? limit) else { return scalars.isEmpty ? [] : [self] }
        // Spaces inside a word (a number's several words) are not places to cut.
        var insideWord = [Bool](repeating: false, count: scalars.count)
        for word in words {
            for k in word.phonemeRange.clamped(to: 0..<scalars.count) { insideWord[k] = true }
        }
        var result: [Phonemization] = []
        var start = 0
        var wordIndex = 0
        while start < scalars.count {
            while start < scalars.count, scalars[start] == " " { start += 1 }
            if start >= scalars.count { break }
            let window = max(1, result.isEmpty ? min(firstLimit ?? limit, limit) : limit)
            var end = scalars.count
            if scalars.count - start > window {
                var cut = Self.bestCut(scalars, insideWord: insideWord, from: start, to: start + window)
                // A short first window that would cut a word: take the full window instead.
                if cut.priority < 1, window < limit, scalars.count - start > 0 {
                    cut = scalars.count - start > limit
                        ? Self.bestCut(scalars, insideWord: insideWord, from: start, to: start + limit)
                        : (priority: 3, at: scalars.count)
                }
                end = cut.at
            }
            var chunkWords: [PhonemizedWord] = []
            while wordIndex < words.count, words[wordIndex].phonemeRange.lowerBound < end {
                var word = words[wordIndex]
                let clipped = word.phonemeRange.clamped(to: start..<end)
                word.phonemeRange = (clipped.lowerBound - start)..<(clipped.upperBound - start)
                word.phonemes = String(scalars: scalars[clipped])
                chunkWords.append(word)
                if words[wordIndex].phonemeRange.upperBound <= end { wordIndex += 1 } else { break }
            }
            var chunkEnd = end
            while chunkEnd > start, scalars[chunkEnd - 1] == " " { chunkEnd -= 1 }
            result.append(Phonemization(phonemes: String(scalars: scalars[start..<chunkEnd]), words: chunkWords))
            start = end
        }
        return result
    }

    /// The end of the chunk `start..<limit`: the last space after a sentence stop, else
    /// after a clause mark, else any space between words, else (one huge word) the limit.
    private static func bestCut(_ s: [Unicode.Scalar], insideWord: [Bool], from start: Int, to limit: Int) -> (priority: Int, at: Int) {
        var best: (priority: Int, at: Int)?
        var k = limit
        while k > start {
            if s[k] == " " {
                var before = k - 1
                while before > start, s[before] == "”" || s[before] == "\"" { before -= 1 }
                let mark = s[before]
                let priority: Int
                if insideWord[k] {
                    priority = 0
                } else if ".!?…".unicodeScalars.contains(mark) {
                    priority = 3
                } else if ",;:—)".unicodeScalars.contains(mark) {
                    priority = 2
                } else {
                    priority = 1
                }
                if priority == 3 { return (3, k) }
                if best == nil || priority > best!.priority { best = (priority, k) }
            }
            k -= 1
        }
        return best ?? (-1, limit)
    }
}
