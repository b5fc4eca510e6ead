import Foundation

/// An output without a sound device: it "plays" in real time by the monotonic clock and keeps
/// what it played, so the daemon can be tested (and run headless) with exact positions.
///
/// Pause stops its clock, flush drops what is pending, and ``played`` holds every frame that
/// played through, in order, without the flushed ones.
public final class ClockedAudioOutput: AudioOutput, @unchecked Sendable {
    public let sampleRate: Int
    private let keepsPlayed: Bool
    // Everything below is guarded by `lock`.
    private let lock = NSLock()
    private var pending: [Float] = []
    private var pendingStart = 0
    private var written = 0
    private var consumed = 0
    private var paused = false
    private var settledAt: UInt64
    private var playedFrames: [Float] = []

    /// - Parameter keepsPlayed: keep every played frame in ``played`` (tests); off, it keeps none.
    public init(sampleRate: Int, keepsPlayed: Bool = true) throws {
        guard (1...384_000).contains(sampleRate) else { throw PlaybackError.badSampleRate(sampleRate) }
        self.sampleRate = sampleRate
        self.keepsPlayed = keepsPlayed
        settledAt = DispatchTime.now().uptimeNanoseconds
    }

    public func write(_ samples: [Float]) throws {
        locked {
            settle()
            pending += samples
            written += samples.count
        }
    }

    public func pause() throws { locked { settle(); paused = true } }
    public func resume() throws { locked { settle(); paused = false } }

    public func flush() throws {
        locked {
            settle()
            consumed = written
            pending.removeAll(keepingCapacity: true)
            pendingStart = 0
        }
    }

    public func drain() async throws {
        while framesPending > 0 {
            try await Task.sleep(nanoseconds: 5_000_000)
        }
    }

    public var isPaused: Bool { locked { paused } }
    public var framesWritten: Int { locked { written } }
    public var framesConsumed: Int { locked { settle(); return consumed } }

    /// The frames played so far, flushed ones left out.
    public var played: [Float] { locked { settle(); return playedFrames } }

    /// Moves the clock's progress since the last call into `consumed`. The clock keeps the
    /// fraction of a frame it has not played yet, so frequent calls do not drift.
    private func settle() {
        let now = DispatchTime.now().uptimeNanoseconds
        let available = pending.count - pendingStart
        guard !paused, available > 0 else { settledAt = now; return }
        let due = Int(Double(now - settledAt) * Double(sampleRate) / 1e9)
        let count = min(due, available)
        if count < due {
            settledAt = now
        } else {
            settledAt += UInt64(Double(count) * 1e9 / Double(sampleRate))
        }
        guard count > 0 else { return }
        if keepsPlayed { playedFrames += pending[pendingStart..<pendingStart + count] }
        pendingStart += count
        consumed += count
        if pendingStart > 1 << 16 && pendingStart * 2 > pending.count {
            pending.removeFirst(pendingStart)
            pendingStart = 0
        }
    }

    private func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }
}
