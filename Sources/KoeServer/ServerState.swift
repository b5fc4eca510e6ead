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

/// What every route shares: the synthesizer, the compute lane, admission, metrics, limits.
final class ServerState: Sendable {
    let slot: SynthesizerSlot
    let lane: ComputeLane
    let limiter: AdmissionLimiter
    let metrics: ServerMetrics
    let configuration: ServerConfiguration
    let logger: Logger
    let startedAt = Date()

    init(configuration: ServerConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        slot = SynthesizerSlot()
        lane = ComputeLane.shared(threads: configuration.computeLanes)
        limiter = AdmissionLimiter(maxConcurrent: configuration.maxConcurrent, queueSize: configuration.queueSize)
        metrics = ServerMetrics()
    }

    /// A slot for one synthesis, or 429 with `Retry-After` when the line is full.
    func admit() async throws -> AdmissionLimiter.Permit {
        do {
            let permit = try await limiter.acquire()
            recordAdmission()
            return permit
        } catch AdmissionLimiter.Refusal.queueFull(let active, let waiting) {
            let seconds = max(1, (active + waiting) / max(1, limiter.maxConcurrent))
            throw APIError.busy(retryAfter: seconds, message: "the server is busy: \(active) syntheses running and \(waiting) waiting (limits: --max-concurrent \(limiter.maxConcurrent), --queue-size \(limiter.queueSize)); retry after \(seconds) s")
        }
    }

    /// Gives a slot back (once) and updates the queue gauges.
    func release(_ permit: AdmissionLimiter.Permit) {
        permit.release()
        recordAdmission()
    }

    func recordAdmission() {
        let depth = limiter.depth
        metrics.admission(active: depth.active, waiting: depth.waiting)
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
