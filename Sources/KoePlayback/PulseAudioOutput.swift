#if os(Linux)
import CPulse
import Foundation

/// Audio output through PulseAudio's asynchronous API (also served by pipewire-pulse): one
/// playback stream on a threaded mainloop, fed from a queue of our own so the server's buffer
/// stays short (about ``targetLatency``) and pause, resume and flush act at once.
///
/// Pause corks the stream, flush drops both our queue and the server's buffer. If the server
/// goes away, the next write reconnects; what was pending then counts as dropped.
public final class PulseAudioOutput: AudioOutput, @unchecked Sendable {
    public let sampleRate: Int
    /// Buffer the server is asked to keep: long enough that a busy CPU does not starve the
    /// stream, short enough that a position is accurate to a few hundredths of a second.
    public static let targetLatency = 0.15

    private let applicationName: String
    private let server: String?
    // The mainloop lock guards everything below (the callbacks run with it held).
    private let mainloop: PulseMainloop
    private var connection: PulseStream?
    private var queue: [Float] = []
    private var queueStart = 0
    private var written = 0
    /// Frames handed to the server since the stream opened or was last flushed.
    private var handed = 0
    private var paused = false
    /// With nothing queued: when everything handed over must have played (plus a margin).
    /// A safety net in case the server's latency estimate or underflow never says so.
    private var drainDeadline: UInt64?

    /// Connects to the sound server (`server`: nil for the default, as `PULSE_SERVER` says)
    /// and opens a mono float stream at `sampleRate`.
    public init(sampleRate: Int, applicationName: String = "Koe", server: String? = nil) throws {
        guard (1...384_000).contains(sampleRate) else { throw PlaybackError.badSampleRate(sampleRate) }
        self.sampleRate = sampleRate
        self.applicationName = applicationName
        self.server = server
        mainloop = try PulseMainloop()
        try mainloop.locked { try reconnect() }
    }

    deinit {
        // The stream and its context are released with the lock held, before the mainloop stops.
        mainloop.locked {
            connection?.close()
            connection = nil
        }
    }

    public func write(_ samples: [Float]) throws {
        try mainloop.locked {
            if connection?.isFailed ?? true { try reconnect() }
            queue += samples
            written += samples.count
            feed(connection?.writableFrames ?? 0)
        }
    }

    public func pause() throws {
        try mainloop.locked {
            paused = true
            drainDeadline = nil
            try connection?.cork(true)
        }
    }

    public func resume() throws {
        try mainloop.locked {
            paused = false
            try connection?.cork(false)
            if queueStart == queue.count { setDrainDeadline() }
        }
    }

    public func flush() throws {
        try mainloop.locked {
            queue.removeAll(keepingCapacity: true)
            queueStart = 0
            handed = 0
            drainDeadline = nil
            try connection?.flush()
        }
    }

    public func drain() async throws {
        while framesPending > 0 {
            if let why = mainloop.locked({ connection?.failure }) { throw PlaybackError.streamFailed(why) }
            try await Task.sleep(nanoseconds: 5_000_000)
        }
    }

    public var isPaused: Bool { mainloop.locked { paused } }
    public var framesWritten: Int { mainloop.locked { written } }

    public var framesConsumed: Int {
        mainloop.locked {
            let queued = queue.count - queueStart
            // The server's latency covers its buffer and the sink's; without timing data yet,
            // everything handed over is still to be heard.
            var inServer = connection?.latencyFrames(sampleRate: sampleRate) ?? handed
            if queued == 0, !paused, let drainDeadline, DispatchTime.now().uptimeNanoseconds > drainDeadline { inServer = 0 }
            return written - queued - min(max(inServer, 0), handed)
        }
    }

    /// Hands the server up to `frames` from the queue (mainloop lock held). When the queue runs
    /// dry, playback is triggered so a tail shorter than the prebuffer still plays.
    private func feed(_ frames: Int) {
        guard let connection, frames > 0 else { return }
        let count = min(frames, queue.count - queueStart)
        if count > 0 {
            queue.withUnsafeBufferPointer { buffer in
                // The server copies the bytes before returning (no free callback given).
                connection.write(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: buffer[queueStart..<queueStart + count])))
            }
            queueStart += count
            handed += count
            if queueStart > 1 << 16 && queueStart * 2 > queue.count {
                queue.removeFirst(queueStart)
                queueStart = 0
            }
        }
        if queueStart == queue.count {
            connection.trigger()
            setDrainDeadline()
        } else {
            drainDeadline = nil
        }
    }

    /// Everything handed over plays within the server's latency (or, without an estimate, the
    /// length of what was handed since the last flush); half a second more is the margin.
    private func setDrainDeadline() {
        let pending = connection?.latencyFrames(sampleRate: sampleRate) ?? handed
        let seconds = Double(min(max(pending, 0), handed)) / Double(sampleRate) + 0.5
        drainDeadline = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
    }

    /// Opens a fresh stream (mainloop lock held); audio pending in a failed one is dropped.
    private func reconnect() throws {
        connection?.close()
        connection = nil
        queue.removeAll(keepingCapacity: true)
        queueStart = 0
        handed = 0
        drainDeadline = nil
        let stream = try PulseStream(mainloop: mainloop, applicationName: applicationName, server: server,
                                     sampleRate: sampleRate, latency: Self.targetLatency, startCorked: paused)
        stream.onWritable = { [unowned self] frames in feed(frames) }
        // The latency estimate may stay a few frames above zero once all is played; an
        // underflow with nothing queued says that everything handed over has been heard.
        stream.onUnderflow = { [unowned self] in if queueStart == queue.count { handed = 0 } }
        connection = stream
    }
}
#endif
