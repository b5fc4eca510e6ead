import Foundation
import Testing
@testable import Koe

/// The compute lane under several streams at once, on the real model.
@Suite struct ComputeLaneTests {
    static let long = """
        The harbour was quiet before dawn. Fishing boats rocked against the pier, and a gull \
        called once from the lighthouse. Somewhere a radio played an old song about the sea. \
        The baker opened his shutters and the smell of bread drifted down the lane. By six the \
        first ferry had left, carrying a dozen sleepy passengers across the bay.
        """
    static let short = "Short answers come first."

    /// One event of the log: which stream, which chunk.
    struct Arrival: Sendable {
        var stream: String
        var chunk: Int
    }

    actor Log {
        var arrivals: [Arrival] = []
        func add(_ a: Arrival) { arrivals.append(a) }
        func count(of stream: String) -> Int { arrivals.filter { $0.stream == stream }.count }
    }

    static func consume(_ synthesizer: SpeechSynthesizer, _ text: String, name: String, log: Log,
                        options: SpeechOptions) async throws {
        for try await event in synthesizer.stream(text, options: options) {
            if case .audio(let chunk) = event { await log.add(Arrival(stream: name, chunk: chunk.index)) }
        }
    }

    /// A running pass sees its task's cancellation at its next checkpoint (without one it
    /// would run on, and this test would hang), and the lane is free again for others.
    @Test func cancellingTheTaskStopsARunningPassAtItsCheckpoint() async throws {
        let lane = ComputeLane(.init(lanes: 1, threadsPerPass: 1))
        let ticket = try lane.admit()
        let pass = Task {
            try await lane.run(ticket) { (turn: ComputeLane.Pass) throws -> Int in
                while true {
                    try turn.checkCancellation()
                    usleep(1_000)
                }
            }
        }
        while lane.statistics.running == 0 { try await Task.sleep(for: .milliseconds(5)) }
        pass.cancel()
        await #expect(throws: CancellationError.self) { try await pass.value }
        #expect(try await lane.run(ticket) { $0.threads } == 1)
        ticket.release()
    }

    @Test func fourStreamsShareTheLaneFairlyWithinItsConfiguration() async throws {
        let lane = ComputeLane(.init(lanes: 2, threadsPerPass: 1))
        let synthesizer = SpeechSynthesizer(engine: try Speaker.engineResult.get(), lane: lane)
        let options = Speaker.options { $0.firstChunkLimit = 40; $0.chunkTarget = 40 }
        let log = Log()

        // Samples the lane's counters while the streams run.
        let sampling = Task.detached { () -> Int in
            var most = 0
            while !Task.isCancelled {
                most = max(most, lane.statistics.running)
                try? await Task.sleep(for: .milliseconds(2))
            }
            return most
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await Self.consume(synthesizer, Self.long, name: "long1", log: log, options: options) }
            group.addTask { try await Self.consume(synthesizer, Self.long, name: "long2", log: log, options: options) }
            // The short ones start once the long ones are under way.
            while await log.count(of: "long1") < 1 { try await Task.sleep(for: .milliseconds(5)) }
            let longBefore = await log.count(of: "long1")
            group.addTask { try await Self.consume(synthesizer, Self.short, name: "short1", log: log, options: options) }
            group.addTask { try await Self.consume(synthesizer, Self.short, name: "short2", log: log, options: options) }
            try await group.waitForAll()

            let arrivals = await log.arrivals
            let firstShort = try #require(arrivals.firstIndex { $0.stream == "short1" })
            let longBeforeShort = arrivals[..<firstShort].filter { $0.stream == "long1" }.count
            // Round robin: the short stream waits for at most one more chunk of the long one.
            #expect(longBeforeShort - longBefore <= 1, "\(arrivals.map { "\($0.stream)#\($0.chunk)" })")
            #expect(arrivals.filter { $0.stream == "long1" }.count >= 4)
        }
        sampling.cancel()
        let sampled = await sampling.value
        let stats = lane.statistics
        #expect(stats.peakRunning <= 2 && sampled <= 2)
        #expect(stats.peakRunning == 2, "two lanes and four streams: both lanes should have been busy at once")
        #expect(stats.running == 0 && stats.queued == 0 && stats.activeStreams == 0)
        #expect(stats.completed >= 10)
    }

    @Test func aFullLaneRefusesAStreamWithAClearError() async throws {
        let lane = ComputeLane(.init(lanes: 1, threadsPerPass: 1, maxActiveStreams: 1))
        let synthesizer = SpeechSynthesizer(engine: try Speaker.engineResult.get(), lane: lane)
        let options = Speaker.options { $0.firstChunkLimit = 40; $0.chunkTarget = 40 }
        var first = synthesizer.stream(Self.long, options: options).makeAsyncIterator()
        _ = try await first.next()
        await #expect(throws: ComputeLaneError.busy(active: 1, limit: 1)) {
            for try await _ in synthesizer.stream(Self.short, options: options) {}
        }
        #expect(lane.statistics.refused == 1)
        // Once the first stream is gone, its slot is free again.
        while try await first.next() != nil {}
        var spoken = 0
        for try await event in synthesizer.stream(Self.short, options: options) {
            if case .audio(let chunk) = event, chunk.completesChunk { spoken += 1 }
        }
        #expect(spoken == 1)
    }

    @Test func cancellingAStreamWhileItWaitsFreesItsPlace() async throws {
        let lane = ComputeLane(.init(lanes: 1, threadsPerPass: 1))
        let synthesizer = SpeechSynthesizer(engine: try Speaker.engineResult.get(), lane: lane)
        let options = Speaker.options { $0.firstChunkLimit = 40; $0.chunkTarget = 40 }
        let streams = (0..<3).map { _ in
            Task { try await Self.consume(synthesizer, Self.long, name: "x", log: Log(), options: options) }
        }
        try await Task.sleep(for: .milliseconds(300))
        for s in streams { s.cancel() }
        for s in streams { _ = try? await s.value }
        let stats = lane.statistics
        #expect(stats.queued == 0 && stats.running == 0 && stats.activeStreams == 0)
        #expect(stats.completed <= 6, "cancelled streams stop before their next chunk")
    }
}

/// Run alone by scripts/test.sh (other suites in the same process would load the cooperative
/// pool themselves): while every lane computes, the pool stays free for timers and handlers.
@Suite struct ComputeLaneResponsivenessTests {
    /// The worst lateness of a 10 ms timer on the cooperative pool, in ms, until `until` is done.
    static func probe(while work: () async throws -> Void) async throws -> (worst: Double, samples: Int) {
        let probe = Task { () -> (worst: Double, samples: Int) in
            var worst = 0.0, samples = 0
            while !Task.isCancelled {
                let t0 = ContinuousClock.now
                try? await Task.sleep(for: .milliseconds(10))
                let late = (ContinuousClock.now - t0) - .milliseconds(10)
                worst = max(worst, Double(late.components.attoseconds) / 1e15 + Double(late.components.seconds) * 1e3)
                samples += 1
            }
            return (worst, samples)
        }
        try await work()
        probe.cancel()
        return await probe.value
    }

    @Test func theCooperativePoolAnswersWithin50msWhileEveryLaneComputes() async throws {
        let lane = ComputeLane(.sharing(lanes: 2))
        let synthesizer = SpeechSynthesizer(engine: try Speaker.engineResult.get(), lane: lane)
        let options = Speaker.options { $0.firstChunkLimit = 60; $0.chunkTarget = 120 }
        // What the machine itself gives (other processes may be running): the same probe, idle.
        let idle = try await Self.probe { try await Task.sleep(for: .seconds(3)) }
        let busy = try await Self.probe {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<4 {
                    group.addTask {
                        try await ComputeLaneTests.consume(synthesizer, ComputeLaneTests.long, name: "s\(i)",
                                                           log: ComputeLaneTests.Log(), options: options)
                    }
                }
                try await group.waitForAll()
            }
        }
        #expect(lane.statistics.peakRunning == 2)
        #expect(busy.samples > 20)
        #expect(busy.worst < 50 + idle.worst,
                "a 10 ms timer was \(busy.worst) ms late while the lanes computed (\(idle.worst) ms when idle)")
    }
}
