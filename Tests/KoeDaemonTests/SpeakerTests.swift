import Foundation
import KoePlayback
import Testing
@testable import KoeDaemon

/// A stand-in synthesiser: each utterance is constant samples of the level its text names
/// ("0.25" speaks 0.25), in chunks of `chunkSeconds`, after `delay` per chunk.
struct LevelSource: SpeechSource {
    var sampleRate = 8000
    var seconds = 0.4
    var chunkSeconds = 0.1
    var delay = 0.005

    func check(_ utterance: Utterance) throws {
        guard Float(utterance.text) != nil else { throw DaemonError.badRequest("not a level: \(utterance.text)") }
    }

    func audio(for utterance: Utterance) -> AsyncThrowingStream<[Float], Error> {
        let level = Float(utterance.text) ?? 0
        let chunk = Int(chunkSeconds * Double(sampleRate))
        let chunks = Int((seconds / chunkSeconds).rounded())
        let counter = Counter()
        let delay = self.delay
        return AsyncThrowingStream(unfolding: {
            guard counter.next() < chunks else { return nil }
            try await Task.sleep(nanoseconds: UInt64(delay * 1e9))
            return [Float](repeating: level, count: chunk)
        })
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func next() -> Int { lock.withLock { defer { value += 1 }; return value } }
}

/// Collects utterance ends from the speaker's thread.
final class Ends: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [(Int, UtteranceEnd)] = []
    func handler(_ tag: Int) -> Speaker.EndHandler { { end, _ in self.lock.withLock { self.list.append((tag, end)) } } }
    var all: [(Int, UtteranceEnd)] { lock.withLock { list } }
}

struct SpeakerTests {
    func make(_ source: LevelSource = LevelSource()) throws -> (Speaker, ClockedAudioOutput) {
        let output = try ClockedAudioOutput(sampleRate: source.sampleRate)
        return (Speaker(source: source, output: output), output)
    }

    /// Ticks the speaker until `condition` holds (at most `seconds`).
    func run(_ speaker: Speaker, seconds: Double = 5, until condition: () -> Bool) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while !condition() && Date() < deadline {
            speaker.tick()
            try await Task.sleep(nanoseconds: 2_000_000)
        }
        #expect(condition(), "timed out")
    }

    /// The distinct levels in the order they played.
    func levels(_ played: [Float]) -> [Float] {
        played.reduce(into: [Float]()) { runs, x in if runs.last != x { runs.append(x) } }
    }

    @Test func queuedUtterancesPlayInOrderAndWhole() async throws {
        let (speaker, output) = try make()
        let ends = Ends()
        _ = speaker.say(Utterance(text: "0.25"), queue: true, onEnd: ends.handler(1))
        _ = speaker.say(Utterance(text: "0.5"), queue: true, onEnd: ends.handler(2))
        _ = speaker.say(Utterance(text: "0.75"), queue: true, onEnd: ends.handler(3))
        #expect(speaker.status.queued == 2)
        try await run(speaker) { ends.all.count == 3 }
        #expect(ends.all.map(\.0) == [1, 2, 3])
        #expect(ends.all.allSatisfy { $0.1 == .done })
        let played = output.played
        #expect(levels(played) == [0.25, 0.5, 0.75])
        #expect(played.count == 3 * 3200)
        #expect(speaker.status.state == .idle && speaker.idle)
    }

    @Test func sayPreemptsWhatPlaysAndWhatWaits() async throws {
        let (speaker, output) = try make(LevelSource(seconds: 1.0))
        let ends = Ends()
        _ = speaker.say(Utterance(text: "0.25"), queue: false, onEnd: ends.handler(1))
        _ = speaker.say(Utterance(text: "0.5"), queue: true, onEnd: ends.handler(2))
        try await run(speaker) { speaker.status.position > 0.2 }
        let id = speaker.say(Utterance(text: "0.75"), queue: false, onEnd: ends.handler(3))
        #expect(speaker.status.text == "0.75" && speaker.status.id == id)
        try await run(speaker) { ends.all.count == 3 }
        #expect(ends.all.map(\.0) == [1, 2, 3])
        #expect(ends.all.map(\.1) == [.stopped, .stopped, .done])
        let played = output.played
        #expect(levels(played) == [0.25, 0.75])
        #expect(played.filter { $0 == 0.25 }.count < 8000)
        #expect(played.filter { $0 == 0.75 }.count == 8000)
    }

    @Test func pauseFreezesThePositionAndResumeContinues() async throws {
        let (speaker, output) = try make(LevelSource(seconds: 0.6))
        let ends = Ends()
        _ = speaker.say(Utterance(text: "0.5"), queue: false, onEnd: ends.handler(1))
        try await run(speaker) { speaker.status.position > 0.1 }
        #expect(speaker.pause() == .paused)
        let held = speaker.status
        try await Task.sleep(nanoseconds: 150_000_000)
        speaker.tick()
        #expect(speaker.status.position == held.position)
        #expect(speaker.status.state == .paused && speaker.status.text == "0.5")
        #expect(ends.all.isEmpty)
        #expect(speaker.resume() == .playing)
        try await run(speaker) { ends.all.count == 1 }
        #expect(output.played.count == 4800)  // nothing lost or repeated across the pause
    }

    @Test func stopDropsEverything() async throws {
        let (speaker, output) = try make(LevelSource(seconds: 1.0))
        let ends = Ends()
        _ = speaker.say(Utterance(text: "0.5"), queue: false, onEnd: ends.handler(1))
        _ = speaker.say(Utterance(text: "0.25"), queue: true, onEnd: ends.handler(2))
        try await run(speaker) { speaker.status.position > 0.1 }
        _ = speaker.pause()
        speaker.stop()
        #expect(ends.all.map(\.1) == [.stopped, .stopped])
        #expect(speaker.status == Speaker.Status(state: .idle, id: nil, text: nil, voice: nil, position: 0, duration: 0, synthesized: false, queued: 0))
        #expect(output.framesPending == 0 && !output.isPaused)
        let heard = output.played.count
        try await Task.sleep(nanoseconds: 100_000_000)
        #expect(output.played.count == heard)
        #expect(speaker.pause() == .idle)  // nothing to pause: the stream stays uncorked
        #expect(!output.isPaused)
    }

    @Test func synthesisRunsAheadOnlySoFar() async throws {
        // 30 s of audio made at once would overrun the buffer; the player waits instead.
        let (speaker, output) = try make(LevelSource(seconds: 30, chunkSeconds: 1, delay: 0))
        _ = speaker.say(Utterance(text: "0.5"), queue: false)
        try await Task.sleep(nanoseconds: 300_000_000)
        #expect(output.secondsPending <= Speaker.bufferAhead + 1)
        speaker.stop()
    }
}
