import Foundation
import Testing
@testable import Koe
import KoeText

@Suite struct TimestampMapperTests {
    @Test func tokenStartsSkipTheLeadingPad() {
        // pad(3) a(2) b(4) c(1) pad(5)
        #expect(TimestampMapper.tokenStarts(durations: [3, 2, 4, 1, 5], tokenCount: 3) == [3, 5, 9, 10])
    }

    @Test func wordsSpanTheirTokensWithTheChunkOffset() {
        // phonemes "ab cd": tokens a b ␠ c d
        let words = [
            PhonemizedWord(text: "$1", start: 0, end: 2, phonemes: "ab", phonemeRange: 0..<2),
            PhonemizedWord(text: "*", start: 3, end: 4, phonemes: "", phonemeRange: 2..<2),
            PhonemizedWord(text: "x", start: 5, end: 6, phonemes: "cd", phonemeRange: 3..<5),
        ]
        let d = [2, 1, 1, 3, 2, 2, 4]
        let stamped = TimestampMapper.words(words, durations: d, tokenCount: 5, offset: 1000, samplesPerFrame: 600, sampleRate: 24_000)
        #expect(stamped.map(\.index) == [0, 2])  // the silent word has no timestamp
        let first = stamped[0].stamp, second = stamped[1].stamp
        #expect(first.text == "$1")
        #expect(first.start == Double(1000 + 2 * 600) / 24_000)
        #expect(first.end == Double(1000 + 4 * 600) / 24_000)
        #expect(second.start == Double(1000 + 7 * 600) / 24_000)
        #expect(second.end == Double(1000 + 11 * 600) / 24_000)
        #expect(second.charStart == 5 && second.charEnd == 6)
    }

    @Test func fadeKeepsLengthAndSilencesTheEdges() {
        var x = [Float](repeating: 1, count: 1000)
        SpeechRun.fadeEdges(&x)
        #expect(x.count == 1000)
        #expect(x[0] == 0 && x[999] == 0)
        #expect(x[500] == 1)
        #expect(zip(x[0..<48], x[1..<49]).allSatisfy { $0 <= $1 })
    }
}

@Suite struct SilenceTrimTests {
    @Test func pausesAttachedToAWordMoveOutOfIt() {
        // 0.3 s of tone then 0.4 s of silence, all inside one word's span; a second word of tone.
        let rate = 24_000
        let tone = (0..<7_200).map { Float(0.3 * sin(Double($0) * 0.2)) }
        let samples = tone + [Float](repeating: 0, count: 9_600) + tone
        var words = [
            WordTimestamp(text: "voice", start: 1.0, end: 1.7, charStart: 0, charEnd: 5),
            WordTimestamp(text: "The", start: 1.7, end: 2.0, charStart: 7, charEnd: 10),
        ]
        TimestampMapper.trimSilentEdges(&words, samples: samples, chunkOffset: rate, sampleRate: rate)
        #expect(abs(words[0].start - 1.0) < 1e-9)
        #expect(words[0].end > 1.3 && words[0].end <= 1.32, "end \(words[0].end)")
        #expect(words[1].start == 1.7 && words[1].end == 2.0)
    }

    @Test func shortSilencesInsideAWordStay() {
        let tone = (0..<2_400).map { Float(0.3 * sin(Double($0) * 0.2)) }
        let samples = tone + [Float](repeating: 0, count: 960) + tone  // 40 ms stop closure
        var words = [WordTimestamp(text: "it", start: 0, end: Double(samples.count) / 24_000, charStart: 0, charEnd: 2)]
        let before = words
        TimestampMapper.trimSilentEdges(&words, samples: samples, chunkOffset: 0, sampleRate: 24_000)
        #expect(words == before)
    }
}
