import Foundation
import Testing
@testable import Koe
import KoeText
import KokoroModel

#if canImport(Glibc)
import Glibc
#endif

/// The pipeline's chunking, cancellation, errors and memory, with the network replaced by a
/// stand-in that returns one frame of silence per token (so a book takes seconds).
@Suite struct ChunkingTests {
    /// Counts forward passes and returns deterministic durations for each token.
    final class FakeNetwork: @unchecked Sendable {
        // Guarded by `lock`.
        private let lock = NSLock()
        private var passCount = 0, longest = 0
        var passes: Int { lock.withLock { passCount } }
        var maxTokens: Int { lock.withLock { longest } }

        var pass: SpeechSynthesizer.ForwardPass {
            { tokens, _, _, _ in
                self.lock.withLock {
                    self.passCount += 1
                    self.longest = max(self.longest, tokens.count)
                }
                let durations = [3] + tokens.map { 1 + $0 % 3 } + [4]
                return ([Float](repeating: 0, count: durations.reduce(0, +) * 600), durations)
            }
        }
    }

    static let sentences = [
        "The quick brown fox jumps over the lazy dog, and then it rests in the warm afternoon sun.",
        "On 12 May 2021, the museum sold 3,450 tickets for $12.50 each.",
        "Dr. Lee asked whether the results, which arrived late, were reliable; nobody answered.",
        "\"Wait!\" she said. Nobody listened.",
        "It was a long, long road: past rivers, through forests — and over three mountains.",
    ]

    static func book(words target: Int) -> String {
        var out: [String] = [], count = 0, k = 0
        while count < target {
            let s = sentences[k % sentences.count]
            out.append(s)
            count += s.split(separator: " ").count
            k += 1
            if k % 7 == 0 { out.append("\n") }
        }
        return out.joined(separator: " ")
    }

    @Test func chunksStayUnderTheLimitKeepWordsWholeAndCoverTheText() async throws {
        let fake = FakeNetwork()
        let synthesizer = try Speaker.synthesizer(forwardPass: fake.pass)
        let text = Self.book(words: 1_500)
        var words: [WordTimestamp] = [], chunks: [AudioChunk] = []
        for try await event in synthesizer.stream(text, options: Speaker.options()) {
            if case .audio(let chunk) = event {
                chunks.append(AudioChunk(index: chunk.index, samples: [], sampleRate: chunk.sampleRate, offset: chunk.offset,
                                         textRange: chunk.textRange, phonemes: chunk.phonemes, words: chunk.words,
                                         sentences: chunk.sentences, durations: chunk.durations, timings: chunk.timings))
                words += chunk.words
            }
        }
        #expect(fake.maxTokens <= 510)
        let first = try #require(chunks.first)
        #expect(first.phonemes.unicodeScalars.count <= SpeechOptions.defaultFirstChunkLimit)
        for (a, b) in zip(chunks, chunks.dropFirst()) {
            #expect(a.textRange.upperBound <= b.textRange.lowerBound)
        }
        // Later chunks join sentences up to the target, growing from the first: a chunk that
        // joined two or more sentences is at most twice the one before (or the first limit),
        // so each renders while the one before plays.
        let lengths = chunks.map { $0.phonemes.unicodeScalars.count }
        let later = lengths.dropFirst()
        #expect(later.reduce(0, +) / max(later.count, 1) > SpeechOptions.defaultChunkTarget / 2)
        for (k, chunk) in chunks.enumerated().dropFirst() where chunk.sentences.count > 1 {
            #expect(lengths[k] <= max(ChunkPlanner.growth * lengths[k - 1], SpeechOptions.defaultFirstChunkLimit),
                    "chunk \(k): \(lengths[k]) phonemes after \(lengths[k - 1])")
        }
        #expect(lengths.prefix(6).last.map { $0 > SpeechOptions.defaultChunkTarget / 2 } == true, "grows to the target: \(lengths.prefix(6))")
        // Every word whole, in order, with its own spelling.
        for (a, b) in zip(words, words.dropFirst()) {
            #expect(a.end <= b.start && a.charEnd <= b.charStart)
        }
        for w in words { #expect(w.text == text.codePoints(w.charStart, w.charEnd)) }
        let expectedWords = Self.sentences.map { try? synthesizer.frontEnd(for: .americanEnglish).phonemize($0).words.filter { !$0.phonemes.isEmpty }.count }
        #expect(expectedWords.allSatisfy { $0 != nil })
    }

    @Test func aSentenceLongerThanTheLimitIsCutBetweenWords() async throws {
        let fake = FakeNetwork()
        let synthesizer = try Speaker.synthesizer(forwardPass: fake.pass)
        let text = Array(repeating: "the remarkable elephant wandered", count: 60).joined(separator: " ") + "."
        let speech = try await synthesizer.synthesize(text, options: Speaker.options())
        #expect(speech.summary.chunkCount >= 3)
        #expect(fake.maxTokens <= 510)
        #expect(speech.words.count == 240)
        #expect(speech.sentences.count == 1)
        #expect(speech.sentences[0].words == 0..<240)
    }

    @Test func cancellingTheConsumerStopsSynthesis() async throws {
        let fake = FakeNetwork()
        let synthesizer = try Speaker.synthesizer(forwardPass: fake.pass)
        let text = Self.book(words: 3_000)
        let task = Task {
            var seen = 0
            for try await event in synthesizer.stream(text, options: Speaker.options()) {
                if case .audio = event { seen += 1 }
                if seen == 2 { withUnsafeCurrentTask { $0?.cancel() } }
            }
            return seen
        }
        let seen = try await task.value
        #expect(seen == 2)
        #expect(fake.passes == 2, "synthesis went on after the consumer was cancelled")
        // Breaking out of the loop also ends the stream without further work.
        let before = fake.passes
        for try await event in synthesizer.stream(text, options: Speaker.options()) {
            if case .audio = event { break }
        }
        #expect(fake.passes == before + 1)
    }

    @Test(arguments: [("", "empty"), ("   \n\t ", "empty"), ("*** --- ***", "no speech")])
    func textWithNothingToSayIsAnError(_ text: String, _ kind: String) async throws {
        let synthesizer = try Speaker.synthesizer(forwardPass: FakeNetwork().pass)
        await #expect {
            for try await _ in synthesizer.stream(text, options: Speaker.options()) {}
        } throws: { error in
            kind == "empty" ? error as? TextError == .emptyText : error as? KoeError == .noSpeech(text: text)
        }
    }

    @Test func badOptionsFailBeforeAnyAudio() async throws {
        let fake = FakeNetwork()
        let synthesizer = try Speaker.synthesizer(forwardPass: fake.pass)
        // Each fact is checked by the layer that owns it; the message names the rule and the value.
        let cases: [(SpeechOptions, (any Error) -> Bool, String)] = [
            (Speaker.options { $0.voice = "nobody" }, { if case KokoroModelError.unknownVoice("nobody", _) = $0 { true } else { false } }, "nobody"),
            (Speaker.options { $0.speed = 5 }, { if case KokoroModelError.speedOutOfRange(5, _) = $0 { true } else { false } }, "5.0"),
            (Speaker.options { $0.voice = "jf_alpha+" }, { if case KoeError.badVoiceExpression("jf_alpha+", _) = $0 { true } else { false } }, "jf_alpha+"),
            (Speaker.options { $0.firstChunkLimit = 1 }, { $0 as? KoeError == .badChunkLimit(1, range: SpeechOptions.chunkLimitRange) }, "1"),
        ]
        for (options, isExpected, value) in cases {
            await #expect {
                for try await _ in synthesizer.stream("Hello there.", options: options) {}
            } throws: { error in
                isExpected(error) && "\(error)".contains(value)
            }
        }
        #expect(fake.passes == 0)
    }

    /// Resident memory now (not the peak), in MB.
    static func residentMB() -> Double {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
              let pages = statm.split(separator: " ").dropFirst().first.flatMap({ Double($0) }) else { return 0 }
        return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
    }

    @Test func aTwentyThousandWordBookStreamsInBoundedMemory() async throws {
        let fake = FakeNetwork()
        let synthesizer = try Speaker.synthesizer(forwardPass: fake.pass)
        let text = Self.book(words: 21_000)
        var chunks = 0, words = 0, samples = 0
        var early = 0.0
        for try await event in synthesizer.stream(text, options: Speaker.options()) {
            guard case .audio(let chunk) = event else { continue }
            chunks += 1
            words += chunk.words.count
            samples += chunk.samples.count
            if chunks == 20 { early = Self.residentMB() }
        }
        let late = Self.residentMB()
        #expect(words >= 20_000)
        #expect(chunks > 100)
        // The audio (discarded here) totals hundreds of MB; memory must not follow it.
        let audioMB = Double(samples * 4) / 1_048_576
        #expect(audioMB > 200)
        // Other suites run in this process at the same time, so allow some noise: keeping the
        // audio (or anything proportional to it) would add all of `audioMB`.
        #expect(late - early < audioMB / 4, "resident memory grew from \(early) MB to \(late) MB over \(chunks) chunks (\(audioMB) MB of audio)")
    }
}
