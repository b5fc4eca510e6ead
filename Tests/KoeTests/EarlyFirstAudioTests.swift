import Foundation
import Testing
@testable import Koe
import KokoroModel

/// A stream's first chunk in pieces (`SpeechOptions.earlyFirstAudio`), through the pipeline
/// with the real model: the same timeline, words and sentences as the one-pass stream.
@Suite(.serialized) struct EarlyFirstAudioTests {
    /// A synthesizer of this suite's own: the pace it measures is not moved by other suites' passes.
    static let synthesizerResult: Result<SpeechSynthesizer, Error> = Result {
        SpeechSynthesizer(engine: try Speaker.engineResult.get())
    }

    static let texts = [
        "The morning train left the station on time with sleepy commuters aboard. Nobody minded the rain.",
        "Hello from Koe, a fast and private voice that reads your articles aloud while you cook dinner tonight.",
    ]

    struct Collected {
        var samples: [Float] = []
        var words: [WordTimestamp] = []
        var sentences: [SentenceTimestamp] = []
        var events: [AudioChunk] = []
        var summary: SpeechSummary?
    }

    static func collect(_ synthesizer: SpeechSynthesizer, _ text: String, early: Bool) async throws -> Collected {
        var c = Collected()
        for try await event in synthesizer.stream(text, options: Speaker.options { $0.earlyFirstAudio = early }) {
            switch event {
            case .audio(let chunk):
                #expect(chunk.offset == c.samples.count, "pieces and chunks follow each other without gaps")
                c.samples += chunk.samples
                c.words += chunk.words
                c.sentences += chunk.sentences
                c.events.append(chunk)
            case .finished(let s):
                c.summary = s
            }
        }
        return c
    }

    @Test(arguments: texts)
    func piecesKeepTheOnePassTimeline(_ text: String) async throws {
        let synthesizer = try Self.synthesizerResult.get()
        // The pace of a fast machine, so that the first chunk is cut into pieces wherever this runs.
        synthesizer.pace.assume(0.15)
        let onePass = try await Self.collect(synthesizer, text, early: false)
        synthesizer.pace.assume(0.15)
        let early = try await Self.collect(synthesizer, text, early: true)

        let firstChunk = early.events.filter { $0.index == 0 }
        #expect(firstChunk.count >= 2, "the first chunk comes in pieces")
        #expect(firstChunk.dropLast().allSatisfy { !$0.completesChunk && $0.words.isEmpty && $0.durations.isEmpty })
        #expect(firstChunk.last?.completesChunk == true)
        let later = early.events.filter { $0.index > 0 }
        #expect(later.allSatisfy { $0.completesChunk }, "later chunks come whole")
        // Every chunk's durations describe exactly the samples of its pieces.
        for index in Set(early.events.map(\.index)) {
            let pieces = early.events.filter { $0.index == index }
            let frames = pieces.last?.durations.reduce(0, +) ?? 0
            #expect(frames * KokoroNetwork.samplesPerFrame == pieces.reduce(0) { $0 + $1.samples.count })
        }
        #expect(early.samples.count == onePass.samples.count)
        #expect(early.words == onePass.words)
        #expect(early.sentences == onePass.sentences)
        #expect(early.summary?.chunkCount == onePass.summary?.chunkCount)
        #expect(early.summary?.wordCount == onePass.summary?.wordCount)
        // Only the first chunk's head differs from the one pass; the rest is the same audio.
        let head = firstChunk.dropLast().reduce(0) { $0 + $1.samples.count } + StreamingVocoder.crossfadeSamples
        #expect(Array(early.samples[head...]) == Array(onePass.samples[head...]))
        #expect(early.samples[..<head] != onePass.samples[..<head])
    }

    @Test func synthesizeWholeIsAlwaysOnePass() async throws {
        let synthesizer = try Self.synthesizerResult.get()
        synthesizer.pace.assume(0.15)
        let whole = try await synthesizer.synthesize(Self.texts[0], options: Speaker.options())
        let onePass = try await Self.collect(synthesizer, Self.texts[0], early: false)
        #expect(whole.samples == onePass.samples)
    }

    @Test func aSlowMachineRendersInOnePass() async throws {
        let synthesizer = try Self.synthesizerResult.get()
        // A generator slower than real time cannot get ahead of playback inside a chunk.
        synthesizer.pace.assume(1.2)
        let early = try await Self.collect(synthesizer, Self.texts[0], early: true)
        let whole = early.events.allSatisfy { $0.completesChunk }
        #expect(whole)
    }

    /// A stream that shares the lane renders its first chunk in one pass (its pieces would wait
    /// for the other stream's turns, and cost it throughput); alone again, it comes in pieces.
    @Test func aStreamSharingTheLaneRendersInOnePass() async throws {
        let synthesizer = try Self.synthesizerResult.get()
        let other = try synthesizer.lane.admit()
        synthesizer.pace.assume(0.15)
        let shared = try await Self.collect(synthesizer, Self.texts[0], early: true)
        other.release()
        #expect(shared.events.allSatisfy { $0.completesChunk })
        synthesizer.pace.assume(0.15)
        let alone = try await Self.collect(synthesizer, Self.texts[0], early: true)
        #expect(alone.events.contains { !$0.completesChunk })
        #expect(alone.samples.count == shared.samples.count)
    }

    @Test func warmingUpMeasuresThePaceAndTheVoice() throws {
        let synthesizer = SpeechSynthesizer(engine: try Speaker.engineResult.get())
        #expect(synthesizer.pace.estimate(orGuess: 9).measured == false)
        #expect(synthesizer.priors.statistics(for: Speaker.voice) == nil)
        try synthesizer.warmUp(voice: Speaker.voice)
        let (pace, measured) = synthesizer.pace.estimate(orGuess: 9)
        #expect(measured && pace > 0 && pace < 9)
        let prior = try #require(synthesizer.priors.statistics(for: Speaker.voice))
        #expect(prior.seconds > 2)
        #expect(throws: (any Error).self) { try synthesizer.warmUp(voice: "nobody") }
    }

    /// The pieces are planned for the slower passes: a slow pass raises the estimate at once, a
    /// fast one lowers it only part of the way, and nonsense is ignored.
    @Test func thePaceFollowsTheSlowerPasses() {
        let pace = GeneratorPace()
        #expect(pace.estimate(orGuess: 0.5).seconds == 0.5 && !pace.estimate(orGuess: 0.5).measured)
        pace.record(pace: 0.2)
        #expect(pace.estimate(orGuess: 0.5).seconds == 0.2 && pace.estimate(orGuess: 0.5).measured)
        pace.record(pace: 0.3)
        #expect(pace.estimate(orGuess: 0.5).seconds == 0.3)
        pace.record(pace: 0.1)
        let lowered = pace.estimate(orGuess: 0.5).seconds
        #expect(lowered < 0.3 && lowered > 0.2)
        for bad in [0, -1, Double.nan, .infinity] { pace.record(pace: bad) }
        #expect(pace.estimate(orGuess: 0.5).seconds == lowered)
        var timings = StageTimings()
        (timings.source, timings.generator, timings.istft) = (0.1, 0.4, 0.1)
        pace.assume(0.01)
        pace.record(timings, samples: KokoroNetwork.sampleRate * 2)
        #expect(abs(pace.estimate(orGuess: 0.5).seconds - 0.3) < 1e-12, "the source counts: (0.1 + 0.4 + 0.1) / 2 s")
    }
}
