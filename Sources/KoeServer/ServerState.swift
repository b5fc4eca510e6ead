import Foundation
import Hummingbird
import Koe
import Logging
import ServiceLifecycle

/// The synthesizer once loaded: `/ready` and the speech routes answer 503 until then.
final class SynthesizerSlot: @unchecked Sendable {
    enum State {
        case loading
        case ready(any SpeechSynthesizing, VoiceCatalog)
        case failed(String)
    }

    // Guarded by `lock`.
    private var state: State = .loading
    private let lock = NSLock()

    var current: State {
        lock.lock()
        defer { lock.unlock() }
        return state
    }

    func set(_ synthesizer: any SpeechSynthesizing) {
        let catalog = VoiceCatalog(voices: synthesizer.voices, defaultVoice: synthesizer.defaultVoice)
        lock.lock()
        state = .ready(synthesizer, catalog)
        lock.unlock()
    }

    func fail(_ message: String) {
        lock.lock()
        state = .failed(message)
        lock.unlock()
    }

    /// The synthesizer, or 503 while loading (500 when loading failed).
    func ready() throws(APIError) -> (any SpeechSynthesizing, VoiceCatalog) {
        switch current {
        case .ready(let s, let c): return (s, c)
        case .loading: throw .loading(retryAfter: 2)
        case .failed(let message):
            throw APIError(status: .internalServerError, message: "the model failed to load: \(message)", type: "server_error", code: "model_load_failed")
        }
    }
}

/// What every route shares: the synthesizer (and through it the compute lane), metrics, limits.
final class ServerState: Sendable {
    let slot: SynthesizerSlot
    let metrics: ServerMetrics
    let configuration: ServerConfiguration
    let logger: Logger
    let startedAt = Date()

    init(configuration: ServerConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        slot = SynthesizerSlot()
        metrics = ServerMetrics()
    }

    /// The library's error for a stream the lane refused, as 429 with `Retry-After`: about the
    /// time for the lane to serve each admitted stream one more chunk.
    static func refusal(_ error: ComputeLaneError, lane: ComputeLane) -> APIError {
        let statistics = lane.statistics
        let seconds = max(1, statistics.activeStreams / max(1, lane.configuration.lanes))
        let limit = lane.configuration.maxActiveStreams.map(String.init) ?? "none"
        return .busy(retryAfter: seconds, message: "the server is busy: \(statistics.activeStreams) streams are being synthesised "
                     + "and \(statistics.queued) chunks wait for the compute lane (limit: --max-concurrent \(limit)); retry after \(seconds) s")
    }

    /// Runs synchronous work of the synthesizer (G2P, one forward pass) on its compute lane as
    /// a stream of its own: admitted like any request (429 when the lane is full), in its turn.
    static func onLane<T: Sendable>(of synthesizer: any SpeechSynthesizing,
                                    _ work: @escaping @Sendable (_ threads: Int) throws -> T) async throws -> T {
        let lane = synthesizer.lane
        let ticket: ComputeLane.Ticket
        do {
            ticket = try lane.admit()
        } catch let error as ComputeLaneError {
            throw refusal(error, lane: lane)
        }
        defer { ticket.release() }
        return try await lane.run(ticket) { try work($0.threads) }
    }

    /// Reads the lane's statistics into the gauges of `/metrics`.
    func recordLane() {
        guard case .ready(let synthesizer, _) = slot.current else { return }
        metrics.lane(synthesizer.lane.statistics)
    }
}

/// Loads the synthesizer on a thread of its own once the server is up, so `/health` answers
/// at once and `/ready` tells when speech is available.
struct ModelLoadingService: Service {
    let slot: SynthesizerSlot
    let load: @Sendable () throws -> any SpeechSynthesizing
    let logger: Logger

    func run() async throws {
        let started = DispatchTime.now().uptimeNanoseconds
        let result: Result<any SpeechSynthesizing, any Error> = await withCheckedContinuation { continuation in
            Thread {
                continuation.resume(returning: Result { try load() })
            }.start()
        }
        switch result {
        case .success(let synthesizer):
            slot.set(synthesizer)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            logger.info("model ready", metadata: ["voices": "\(synthesizer.voices.count)", "load_s": "\(String(format: "%.2f", seconds))"])
        case .failure(let error):
            slot.fail("\(error)")
            logger.error("model failed to load: \(error)")
        }
        try? await gracefulShutdown()
    }
}
