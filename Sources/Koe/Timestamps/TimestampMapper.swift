import KoeText

/// Word timestamps from predicted durations: token `i` of a chunk starts
/// `d[0] + d[1] + … + d[i]` frames of 600 samples into the chunk (`d[0]` is the leading pad),
/// and a word spans its first token's start to its last token's end. The durations are those
/// of the audio actually returned, so nothing is rescaled, at any speed.
enum TimestampMapper {
    /// Frame offset of each token boundary: `starts[i]` for token `i`, `starts[n]` where the
    /// last token ends (before the trailing pad).
    static func tokenStarts(durations: [Int], tokenCount n: Int) -> [Int] {
        precondition(durations.count == n + 2, "durations must count the tokens plus two pads: \(durations.count) for \(n) tokens")
        var starts = [Int](repeating: 0, count: n + 1)
        var acc = durations[0]
        for i in 0..<n {
            starts[i] = acc
            acc += durations[i + 1]
        }
        starts[n] = acc
        return starts
    }

    /// Timestamps of the chunk's spoken words (words without phonemes are silent and left out).
    static func words(
        _ words: [PhonemizedWord], durations: [Int], tokenCount n: Int,
        offset: Int, samplesPerFrame: Int, sampleRate: Int
    ) -> [(index: Int, stamp: WordTimestamp)] {
        let starts = tokenStarts(durations: durations, tokenCount: n)
        let rate = Double(sampleRate)
        var out: [(Int, WordTimestamp)] = []
        out.reserveCapacity(words.count)
        for (k, w) in words.enumerated() where !w.phonemeRange.isEmpty {
            let lo = min(max(w.phonemeRange.lowerBound, 0), n), hi = min(max(w.phonemeRange.upperBound, lo), n)
            let start = Double(offset + starts[lo] * samplesPerFrame) / rate
            let end = Double(offset + starts[hi] * samplesPerFrame) / rate
            out.append((k, WordTimestamp(text: w.text, start: start, end: end, charStart: w.start, charEnd: w.end)))
        }
        return out
    }
}

extension TimestampMapper {
    /// Length of the analysis frames for silence trimming, in samples (10 ms).
    static let trimFrame = 240
    /// Silence at a word's edge shorter than this many frames is part of the word.
    static let minimumSilentFrames = 6

    /// Moves word edges off the pauses the durations attach to them.
    ///
    /// Kokoro gives the pause before a stop or comma to the last phoneme of the word before
    /// it, so that word's span would run on through the silence. Where a word's span begins
    /// or ends with at least 60 ms of silence in the returned audio, the edge moves to where
    /// the sound is (10 ms resolution, never below one frame). Audio and durations are
    /// untouched: the timestamps still describe the audio returned.
    static func trimSilentEdges(_ words: inout [WordTimestamp], samples: [Float], chunkOffset: Int, sampleRate: Int) {
        let frame = trimFrame
        let count = samples.count / frame
        guard count > 0 else { return }
        var energy = [Float](repeating: 0, count: count)
        var total: Float = 0
        for f in 0..<count {
            var s: Float = 0
            for i in (f * frame)..<((f + 1) * frame) { s += samples[i] * samples[i] }
            energy[f] = s / Float(frame)
            total += s
        }
        let meanSquare = total / Float(count * frame)
        // Silent: 30 dB under the chunk's level, and at most −48 dBFS.
        let threshold = min(meanSquare * 0.001, 0.004 * 0.004)
        let rate = Double(sampleRate)
        for k in words.indices {
            let lo = max(0, Int((words[k].start * rate).rounded()) - chunkOffset) / frame
            let hi = min(count, (Int((words[k].end * rate).rounded()) - chunkOffset) / frame)
            guard hi - lo > minimumSilentFrames else { continue }
            var last = hi
            while last > lo, energy[last - 1] < threshold { last -= 1 }
            var first = lo
            while first < last, energy[first] < threshold { first += 1 }
            guard last > first else { continue }  // all silent: keep the durations' span
            if hi - last >= minimumSilentFrames {
                words[k].end = Double(chunkOffset + min(hi, last + 1) * frame) / rate
            }
            if first - lo >= minimumSilentFrames {
                words[k].start = Double(chunkOffset + max(lo, first - 1) * frame) / rate
            }
        }
    }
}
