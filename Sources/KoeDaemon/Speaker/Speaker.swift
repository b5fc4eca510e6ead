import Foundation
import KoePlayback
import Logging

/// The daemon's voice: a queue of utterances spoken one after another into one output stream.
///
/// A `say` preempts (everything playing or queued is dropped and the stream flushed) unless
/// it asks to queue. Pause and resume cork the stream; stop drops everything. Positions come
/// from the output's frame counters, so they follow what was actually heard.
///
/// All state is guarded by `lock`; commands return at once, whatever synthesis is doing, so
/// pause and stop act within the stream's latency even while a chunk is being synthesised.
public final class Speaker: @unchecked Sendable {
    /// An utterance's end is reported through this (on the speaker's monitor thread).
    public typealias EndHandler = @Sendable (UtteranceEnd, String?) -> Void

    /// Synthesis runs ahead of playback by at most this many seconds of audio.
    public static let bufferAhead = 12.0

    struct Entry {
        let id: Int
        let utterance: Utterance
        let onEnd: EndHandler?
        /// When `say` accepted it (uptime nanoseconds).
        let accepted = DispatchTime.now().uptimeNanoseconds
        /// The output's frame index at the utterance's first sample (once it started).
        var start: Int?
        var written = 0
        var synthesized = false
        var failure: String?
    }

    let source: SpeechSource
    let output: AudioOutput
    let logger: Logger
    let lock = NSLock()
    // Guarded by `lock`.
    var waiting: [Entry] = []
    /// Started utterances, oldest first: being synthesised, or with audio still to be heard.
    var active: [Entry] = []
    var generation = 0
    var nextID = 1
    var player: Task<Void, Never>?
    var idleSince = DispatchTime.now().uptimeNanoseconds

    public init(source: SpeechSource, output: AudioOutput, logger: Logger = Logger(label: "koe.daemon")) {
        self.source = source
        self.output = output
        self.logger = logger
    }

    /// Accepts an utterance (already checked) and returns its id. Without `queue` it preempts.
    public func say(_ utterance: Utterance, queue: Bool, onEnd: EndHandler? = nil) -> Int {
        var ended: [Entry] = []
        let id: Int = locked {
            if !queue || (active.isEmpty && waiting.isEmpty) {
                ended = dropAll()
                if output.isPaused { try? output.resume() }
            }
            let id = nextID
            nextID += 1
            waiting.append(Entry(id: id, utterance: utterance, onEnd: onEnd))
            if player == nil { startPlayer() }
            return id
        }
        report(ended, .stopped, "preempted by a new say")
        logger.info("say", metadata: ["id": "\(id)", "queue": "\(queue)", "chars": "\(utterance.text.count)"])
        return id
    }

    /// Corks the stream if something is playing.
    public func pause() -> PlaybackState {
        locked {
            if !isIdle { try? output.pause() }
            return state
        }
    }

    public func resume() -> PlaybackState {
        locked {
            try? output.resume()
            return state
        }
    }

    /// Drops what plays and what is queued; with `id`, only while that utterance is still
    /// playing or queued (so an interrupted `say --wait` does not stop a newer say).
    public func stop(reason: String = "stopped", id: Int? = nil) {
        let ended = locked { () -> [Entry] in
            if let id, !(active + waiting).contains(where: { $0.id == id }) { return [] }
            let ended = dropAll()
            if output.isPaused { try? output.resume() }
            return ended
        }
        report(ended, .stopped, reason)
    }

    /// Nothing playing, synthesising or queued.
    public var idle: Bool { locked { isIdle } }

    /// Seconds since the speaker last became idle (0 while busy).
    public var idleSeconds: Double {
        locked { isIdle ? Double(DispatchTime.now().uptimeNanoseconds - idleSince) / 1e9 : 0 }
    }

    /// Marks activity (a request arrived), restarting the idle clock.
    public func touch() { locked { idleSince = DispatchTime.now().uptimeNanoseconds } }

    /// Retires utterances whose audio has all been heard and reports their end; the daemon
    /// calls this every few milliseconds.
    public func tick() {
        var done: [Entry] = []
        locked {
            let consumed = output.framesConsumed
            while let first = active.first, first.synthesized, let start = first.start, consumed >= start + first.written {
                done.append(active.removeFirst())
            }
            if !done.isEmpty && isIdle { idleSince = DispatchTime.now().uptimeNanoseconds }
        }
        for entry in done {
            if let failure = entry.failure {
                logger.warning("say failed", metadata: ["id": "\(entry.id)", "error": "\(failure)"])
                entry.onEnd?(.failed, failure)
            } else {
                entry.onEnd?(.done, nil)
            }
        }
    }

    // The members below expect the lock to be held.

    var isIdle: Bool { active.isEmpty && waiting.isEmpty }

    var state: PlaybackState { isIdle ? .idle : (output.isPaused ? .paused : .playing) }

    /// Ends every utterance, flushes the stream and retires the player (lock held).
    func dropAll() -> [Entry] {
        let ended = active + waiting
        active = []
        waiting = []
        generation += 1
        player?.cancel()
        player = nil
        if !ended.isEmpty { try? output.flush() }
        idleSince = DispatchTime.now().uptimeNanoseconds
        return ended
    }

    func report(_ entries: [Entry], _ end: UtteranceEnd, _ why: String?) {
        for entry in entries { entry.onEnd?(end, why) }
    }

    func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}
