#if os(Linux)
import Foundation
import KoePlayback
import Testing

/// A private PulseAudio (null sink) for one test, started and stopped by it.
final class HeadlessPulse {
    let runtime: String
    var server: String { "unix:\(runtime)/pulse/native" }

    init() throws {
        runtime = NSTemporaryDirectory() + "koe-pulse-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: runtime, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        try run(["--daemonize=yes", "--exit-idle-time=-1", "-n",
                 "--load=module-null-sink sink_name=koe_test rate=24000 channels=1", "--load=module-native-protocol-unix"])
    }

    private func run(_ arguments: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/pulseaudio")
        p.arguments = arguments
        p.environment = ProcessInfo.processInfo.environment.merging(
            ["XDG_RUNTIME_DIR": runtime, "PULSE_RUNTIME_PATH": runtime + "/pulse"]) { $1 }
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
    }

    func stop() { try? run(["--kill"]) }
}

@Suite(.serialized) struct PulseAudioOutputTests {
    func waitFor(_ seconds: Double, until condition: () -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while !condition() && Date() < deadline { try await Task.sleep(nanoseconds: 5_000_000) }
        return condition()
    }

    @Test func playsPausesFlushesAndCountsFrames() async throws {
        let pulse = try HeadlessPulse()
        defer { pulse.stop() }
        let output = try PulseAudioOutput(sampleRate: 24000, server: pulse.server)
        let tone = (0..<12000).map { Float(sin(Double($0) * 0.05)) * 0.3 }  // 0.5 s
        try output.write(tone)
        #expect(output.framesWritten == 12000)
        #expect(try await waitFor(2) { output.framesConsumed > 2400 })
        try output.pause()
        #expect(output.isPaused)
        try await Task.sleep(nanoseconds: 50_000_000)
        let held = output.framesConsumed
        try await Task.sleep(nanoseconds: 200_000_000)
        #expect(abs(output.framesConsumed - held) < 240, "the position moved while corked")
        #expect(held < 12000)
        try output.resume()
        try await output.drain()  // plays to the end, even the tail below the prebuffer
        #expect(output.framesConsumed == 12000)

        try output.write(tone + tone + tone)
        #expect(try await waitFor(2) { output.framesConsumed > 14400 })
        try output.flush()
        #expect(output.framesPending == 0)
        #expect(output.framesConsumed == output.framesWritten)

        try output.write(Array(tone.prefix(1200)))  // 50 ms, shorter than the prebuffer
        #expect(try await waitFor(2) { output.framesPending == 0 })
    }

    @Test func noServerIsAClearError() {
        #expect(throws: PlaybackError.self) {
            _ = try PulseAudioOutput(sampleRate: 24000, server: "unix:/nonexistent/pulse/native")
        }
        #expect(throws: PlaybackError.badSampleRate(0)) { _ = try PulseAudioOutput(sampleRate: 0) }
    }
}
#endif
