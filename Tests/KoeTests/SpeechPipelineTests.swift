import Foundation
import Testing
@testable import Koe
import KoeAudio
import KoeText
import KokoroModel

/// The streaming pipeline end to end with the real model (English through `jf_alpha`).
@Suite(.serialized) struct SpeechPipelineTests {
    static let paragraph = """
        Hello from Koe, a fast and private voice. The ticket cost $100 on March 3rd, 2024, \
        and Dr. Smith paid it at 9:30 a.m. She said: "It's worth every cent!"
        """

    static let cache = SpeechCache()

    func paragraphSpeech() async throws -> Speech {
        try await Self.cache.get { try await Speaker.synthesizer().synthesize(Self.paragraph, options: Speaker.options()) }
    }

    @Test func wordsAreMonotonicInsideTheAudioAndKeepTheOriginalSpelling() async throws {
        let speech = try await paragraphSpeech()
        let text = Self.paragraph
        #expect(!speech.words.isEmpty)
        var previousEnd = 0.0, previousChar = -1
        for w in speech.words {
            #expect(w.start < w.end, "\(w.text): \(w.start)..\(w.end)")
            #expect(w.start >= previousEnd, "\(w.text) starts before the previous word ends")
            #expect(w.end <= speech.duration + 1e-9)
            #expect(w.charStart > previousChar)
            #expect(w.text == text.codePoints(w.charStart, w.charEnd), "timestamp text must be the input's own")
            previousEnd = w.end
            previousChar = w.charStart
        }
        #expect(speech.words.contains { $0.text == "$100" })
        #expect(speech.words.contains { $0.text == "9:30" })
    }

    @Test func everySpokenWordOfTheInputIsCoveredInOrder() async throws {
        let speech = try await paragraphSpeech()
        // Every run of letters or digits in the input lies inside one word's range.
        let scalars = Array(Self.paragraph.unicodeScalars)
        var i = 0
        while i < scalars.count {
            guard scalars[i].properties.isAlphabetic || ("0"..."9").contains(scalars[i]) else { i += 1; continue }
            #expect(speech.words.contains { $0.charStart <= i && i < $0.charEnd }, "character \(i) ('\(scalars[i])') has no word")
            i += 1
        }
    }

    @Test func sentencesCoverTheirWords() async throws {
        let speech = try await paragraphSpeech()
        #expect(speech.sentences.count == 3)
        #expect(speech.sentences.first?.text.hasPrefix("Hello from Koe") == true)
        var next = 0
        for s in speech.sentences {
            #expect(s.words.lowerBound == next)
            #expect(s.start == speech.words[s.words.lowerBound].start)
            #expect(s.end == speech.words[s.words.upperBound - 1].end)
            next = s.words.upperBound
        }
        #expect(next == speech.words.count)
    }

    @Test func wordsHoldSpeechAndSentenceGapsAreQuiet() async throws {
        let speech = try await paragraphSpeech()
        let rate = Double(speech.sampleRate)
        func samples(_ t: Double) -> Int { Int(t * rate) }
        let speechLevel = rms(speech.samples, samples(speech.words[0].start)..<samples(speech.words.last!.end))
        for w in speech.words {
            let level = rms(speech.samples, samples(w.start)..<samples(w.end))
            #expect(level > 0.1 * speechLevel, "\(w.text) at \(w.start)-\(w.end) is nearly silent (\(level) vs \(speechLevel))")
        }
        // Silences of 150 ms or more (10 ms frames 40 dB under the speech) fall between words.
        let frame = 240
        let silent = stride(from: 0, to: speech.samples.count - frame, by: frame).map {
            rms(speech.samples, $0..<($0 + frame)) < 0.01 * speechLevel
        }
        var silences: [Range<Double>] = []
        var runStart: Int?
        for (f, quiet) in (silent + [false]).enumerated() {
            if quiet, runStart == nil { runStart = f }
            if !quiet, let s = runStart {
                if f - s >= 15 { silences.append(Double(s * frame) / rate..<Double(f * frame) / rate) }
                runStart = nil
            }
        }
        let inner = silences.filter { $0.lowerBound > speech.words[0].start && $0.upperBound < speech.words.last!.end }
        #expect(!inner.isEmpty, "no pause at all in a paragraph of three sentences")
        for gap in inner {
            for w in speech.words {
                let overlap = min(gap.upperBound, w.end) - max(gap.lowerBound, w.start)
                #expect(overlap < 0.03, "the pause \(gap) lies inside '\(w.text)' (\(w.start)-\(w.end))")
            }
        }
        // The pause after the first sentence is one of them.
        let first = speech.sentences[0], second = speech.sentences[1]
        #expect(inner.contains { $0.lowerBound >= first.end - 0.03 && $0.upperBound <= second.start + 0.03 })
    }

    @Test func streamChunksAddUpAndTheFirstIsTheFirstSentence() async throws {
        let synthesizer = try Speaker.synthesizer()
        var offset = 0, chunks = 0, chunkStart = 0
        var summary: SpeechSummary?
        for try await event in synthesizer.stream(Self.paragraph, options: Speaker.options()) {
            switch event {
            case .audio(let chunk):
                #expect(chunk.offset == offset)
                offset += chunk.samples.count
                // The first chunk may come in pieces: its durations arrive with the last one.
                guard chunk.completesChunk else { continue }
                #expect(chunk.durations.reduce(0, +) * KokoroNetwork.samplesPerFrame == offset - chunkStart,
                        "the durations must describe exactly the audio returned")
                chunkStart = offset
                #expect(chunk.phonemes.unicodeScalars.count <= 510)
                if chunks == 0 {
                    #expect(Self.paragraph.codePoints(chunk.textRange.lowerBound, chunk.textRange.upperBound)
                            == "Hello from Koe, a fast and private voice.")
                }
                chunks += 1
            case .finished(let s):
                summary = s
            }
        }
        let s = try #require(summary)
        #expect(s.chunkCount == chunks && chunks >= 2)
        #expect(s.sampleCount == offset)
        #expect(s.timeToFirstAudio > 0 && s.timeToFirstAudio <= s.synthesisSeconds)
    }

    @Test func chunksJoinWithoutClicks() async throws {
        let synthesizer = try Speaker.synthesizer()
        var samples: [Float] = [], joins: [Int] = []
        for try await event in synthesizer.stream(Self.paragraph, options: Speaker.options()) {
            guard case .audio(let chunk) = event else { continue }
            if chunk.index > 0 { joins.append(samples.count) }
            samples += chunk.samples
        }
        #expect(!joins.isEmpty)
        for j in joins {
            // Both sides of a join are the pads' near-silence, faded to zero at the seam.
            #expect(abs(samples[j - 1]) < 1e-3 && abs(samples[j]) < 1e-3, "seam at \(j)")
            let around = rms(samples, (j - 480)..<(j + 480))
            #expect(around < 0.01, "loud audio across the join at \(j): \(around)")
        }
    }

    @Test func fasterSpeechIsShorterWithConsistentTimestamps() async throws {
        let normal = try await paragraphSpeech()
        let fast = try await Speaker.synthesizer().synthesize(Self.paragraph, options: Speaker.options { $0.speed = 1.5 })
        #expect(fast.duration < 0.85 * normal.duration)
        #expect(fast.words.map(\.text) == normal.words.map(\.text))
        #expect((fast.words.last?.end ?? 99) <= fast.duration)
    }

    @Test func blendedVoiceSpeaks() async throws {
        let speech = try await Speaker.synthesizer().synthesize("A blended voice.", options: Speaker.options { $0.voice = "jf_alpha(2)+jf_nezumi(1)" })
        #expect(speech.duration > 0.5)
        #expect(rms(speech.samples, 0..<speech.samples.count) > 0.01)
    }
}
