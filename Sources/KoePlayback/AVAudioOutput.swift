#if canImport(AVFoundation) && !os(Linux)
import AVFoundation
import Foundation

/// Audio output on macOS: one AVAudioEngine with a player node kept running. Written audio is
/// scheduled in slices of ``sliceSeconds`` whose playback callbacks give the position; pause
/// pauses the player, flush stops it (dropping every scheduled slice) and starts it again.
public final class AVAudioOutput: AudioOutput, @unchecked Sendable {
    public let sampleRate: Int
    /// Position granularity: each slice reports itself when it has been played back.
    public static let sliceSeconds = 0.05

    private let engine = AVAudioEngine()
    private let player = AVAudioPlayerNode()
    private let format: AVAudioFormat
    // Guarded by `lock`.
    private let lock = NSLock()
    private var written = 0
    private var consumed = 0
    private var generation = 0
    private var paused = false
    private var observer: NSObjectProtocol?

    public init(sampleRate: Int) throws {
        guard (1...384_000).contains(sampleRate),
              let format = AVAudioFormat(commonFormat: .pcmFormatFloat32, sampleRate: Double(sampleRate), channels: 1, interleaved: false)
        else { throw PlaybackError.badSampleRate(sampleRate) }
        self.sampleRate = sampleRate
        self.format = format
        engine.attach(player)
        engine.connect(player, to: engine.mainMixerNode, format: format)
        do { try engine.start() } catch { throw PlaybackError.serverUnavailable("\(error)") }
        player.play()
        // A device change stops the engine; start it again (never tear it down in the handler).
        observer = NotificationCenter.default.addObserver(
            forName: .AVAudioEngineConfigurationChange, object: engine, queue: nil
        ) { [weak self] _ in self?.restart() }
    }

    deinit {
        if let observer { NotificationCenter.default.removeObserver(observer) }
        player.stop()
        engine.stop()
    }

    public func write(_ samples: [Float]) throws {
        let slice = max(1, Int(Self.sliceSeconds * Double(sampleRate)))
        var start = 0
        while start < samples.count {
            let count = min(slice, samples.count - start)
            guard let buffer = AVAudioPCMBuffer(pcmFormat: format, frameCapacity: AVAudioFrameCount(count)),
                  let channel = buffer.floatChannelData?[0]
            else { throw PlaybackError.streamFailed("cannot allocate an audio buffer of \(count) frames") }
            for i in 0..<count { channel[i] = samples[start + i] }
            buffer.frameLength = AVAudioFrameCount(count)
            let gen = locked { () -> Int in written += count; return generation }
            player.scheduleBuffer(buffer, completionCallbackType: .dataPlayedBack) { [weak self] _ in
                self?.played(count, generation: gen)
            }
            start += count
        }
    }

    public func pause() throws {
        locked { paused = true }
        player.pause()
    }

    public func resume() throws {
        locked { paused = false }
        player.play()
    }

    public func flush() throws {
        let resume = locked { () -> Bool in
            generation += 1
            consumed = written
            return !paused
        }
        player.stop()  // drops every scheduled buffer
        if resume { player.play() }
    }

    public func drain() async throws {
        while framesPending > 0 { try await Task.sleep(nanoseconds: 5_000_000) }
    }

    public var isPaused: Bool { locked { paused } }
    public var framesWritten: Int { locked { written } }
    public var framesConsumed: Int { locked { consumed } }

    private func played(_ frames: Int, generation gen: Int) {
        locked { if gen == generation { consumed = min(written, consumed + frames) } }
    }

    private func restart() {
        try? engine.start()
        if !isPaused { player.play() }
    }

    private func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }
}
#endif
