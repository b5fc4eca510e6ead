import Foundation

/// Where the network's forward passes run: a few dedicated threads, never Swift's
/// cooperative pool, so that a server's handlers, timers and streaming writes keep answering
/// while every core computes.
///
/// A lane runs at most ``Configuration/lanes`` passes at once, each with
/// ``Configuration/threadsPerPass`` compute threads (together about the machine's cores).
/// Work waits in a queue that is served round robin by stream: every active stream gets its
/// next chunk in turn, so a short request started while a book is read is not stuck behind
/// it. A stream that already has ``Configuration/maxActiveStreams`` others beside it is
/// refused with ``ComputeLaneError/busy(active:limit:)``, which a server turns into 429.
///
/// One lane is shared by every stream of a ``SpeechSynthesizer``; pass the same lane to
/// several synthesizers to share the cores between them.
public final class ComputeLane: Sendable {
    public struct Configuration: Sendable, Codable, Equatable {
        /// Forward passes that may run at the same time.
        public var lanes: Int
        /// Compute threads each pass uses.
        public var threadsPerPass: Int
        /// Streams admitted at once (running or waiting for their next chunk); nil: no limit.
        public var maxActiveStreams: Int?
        /// How much lower than the process the lane's threads run (Unix nice levels, 0-19):
        /// request handlers, timers and audio output then get a core at once while every lane
        /// computes, and the passes take the rest.
        public var niceness: Int = 5

        /// One pass at a time over every core: the shortest time to first audio.
        public static var `default`: Configuration {
            Configuration(lanes: 1, threadsPerPass: SpeechOptions.defaultThreads)
        }

        public init(lanes: Int, threadsPerPass: Int, maxActiveStreams: Int? = nil, niceness: Int = 5) {
            self.niceness = min(19, max(0, niceness))
            self.lanes = max(1, lanes)
            self.threadsPerPass = max(1, threadsPerPass)
            self.maxActiveStreams = maxActiveStreams.map { max(1, $0) }
        }

        /// `lanes` passes at once sharing `cores` (default: this machine's) between them.
        public static func sharing(cores: Int = ProcessInfo.processInfo.activeProcessorCount, lanes: Int,
                                   maxActiveStreams: Int? = nil) -> Configuration {
            Configuration(lanes: lanes, threadsPerPass: max(1, cores / max(1, lanes)), maxActiveStreams: maxActiveStreams)
        }
    }

    /// Counters, for tests, `/metrics` and logs.
    public struct Statistics: Sendable, Codable, Equatable {
        /// Passes running now.
        public var running: Int
        /// Passes waiting for a free lane.
        public var queued: Int
        /// Streams admitted and not yet finished.
        public var activeStreams: Int
        /// The most passes that ever ran at once.
        public var peakRunning: Int
        /// Passes finished since the lane was made.
        public var completed: Int
        /// Streams refused because the lane was full.
        public var refused: Int
    }

    public let configuration: Configuration
    private let state: LaneState

    public init(_ configuration: Configuration = .default) {
        self.configuration = configuration
        state = LaneState(lanes: configuration.lanes, niceness: configuration.niceness)
    }

    /// The lane's threads end once nothing refers to it.
    deinit { state.stop() }

    public var statistics: Statistics { state.statistics }

    /// Admits one stream, or throws ``ComputeLaneError/busy(active:limit:)`` when
    /// ``Configuration/maxActiveStreams`` are already admitted. Release the ticket when the
    /// stream ends (its deinit does too).
    public func admit() throws -> Ticket {
        guard let id = state.admit(limit: configuration.maxActiveStreams) else {
            throw ComputeLaneError.busy(active: state.statistics.activeStreams, limit: configuration.maxActiveStreams ?? 0)
        }
        return Ticket(id: id, state: state)
    }

    /// What a pass sees of its turn on the lane.
    public struct Pass: Sendable {
        /// Compute threads the pass may use.
        public let threads: Int
        let job: LaneState.Job

        /// Throws `CancellationError` once the task waiting for this pass has been cancelled:
        /// long passes call it between their stages, so that a stopped or preempted stream
        /// frees its lane within a stage rather than at the end of the pass.
        public func checkCancellation() throws {
            if job.isCancelRequested { throw CancellationError() }
        }
    }

    /// Runs `work` on one of the lane's threads, in the ticket's turn, and returns its result.
    /// Cancelling the calling task while it waits removes the work from the queue; once
    /// running, the pass stops at its next ``Pass/checkCancellation()``.
    public func run<T: Sendable>(_ ticket: Ticket, _ work: @escaping @Sendable (_ pass: Pass) throws -> T) async throws -> T {
        let threads = configuration.threadsPerPass
        let job = LaneState.Job()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
                job.body = {
                    let result = Result { try work(Pass(threads: threads, job: job)) }
                    return { continuation.resume(with: result) }
                }
                job.cancelled = {
                    continuation.resume(throwing: CancellationError())
                }
                state.enqueue(job, stream: ticket.id)
            }
        } onCancel: {
            state.cancel(job)
        }
    }

    /// An admitted stream: its place in the round robin.
    public final class Ticket: Sendable {
        let id: Int
        private let state: LaneState

        init(id: Int, state: LaneState) {
            self.id = id
            self.state = state
        }

        /// Ends the stream's admission (idempotent).
        public func release() { state.release(id) }

        deinit { state.release(id) }
    }
}

/// Why the lane did not take a stream.
public enum ComputeLaneError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Every admission slot is taken.
    case busy(active: Int, limit: Int)

    public var description: String {
        switch self {
        case .busy(let active, let limit):
            "the synthesis queue is full: \(active) streams are active and the limit is \(limit); try again shortly"
        }
    }
}
