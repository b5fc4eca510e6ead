import CoreMetrics
import Foundation
import Koe
import Metrics
import Prometheus

/// The server's metrics through swift-metrics, kept in this server's own Prometheus registry
/// (no process-wide bootstrap, so several servers or tests never share counters).
final class ServerMetrics: Sendable {
    let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    private let queueDepth: Metrics.Gauge
    private let activeSyntheses: Metrics.Gauge
    private let runningPasses: Metrics.Gauge
    private let firstByte: Metrics.Timer
    private let audioSeconds: FloatingPointCounter
    private let realTimeFactor: Recorder

    init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets["koe_time_to_first_byte_seconds"] =
            [0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 30].map { .milliseconds(Int($0 * 1000)) }
        factory.valueHistogramBuckets["koe_real_time_factor"] = [0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 4]
        self.factory = factory
        queueDepth = Metrics.Gauge(label: "koe_queue_depth", factory: factory)
        activeSyntheses = Metrics.Gauge(label: "koe_active_syntheses", factory: factory)
        runningPasses = Metrics.Gauge(label: "koe_running_passes", factory: factory)
        firstByte = Metrics.Timer(label: "koe_time_to_first_byte_seconds", factory: factory)
        audioSeconds = FloatingPointCounter(label: "koe_audio_seconds_total", factory: factory)
        realTimeFactor = Recorder(label: "koe_real_time_factor", aggregate: true, factory: factory)
        for gauge in [queueDepth, activeSyntheses, runningPasses] { gauge.record(0) }
    }

    /// One finished request, by route pattern, method and status.
    func request(route: String, method: String, status: Int) {
        Counter(label: "koe_http_requests_total",
                dimensions: [("route", route), ("method", method), ("status", String(status))],
                factory: factory).increment()
    }

    /// The compute lane's counters: chunks waiting for a turn (the queue depth), streams
    /// admitted, passes running.
    func lane(_ statistics: ComputeLane.Statistics) {
        queueDepth.record(statistics.queued)
        activeSyntheses.record(statistics.activeStreams)
        runningPasses.record(statistics.running)
    }

    func firstByte(after nanoseconds: UInt64) {
        firstByte.recordNanoseconds(Int64(clamping: nanoseconds))
    }

    /// A finished synthesis: audio produced and synthesis seconds per audio second.
    func synthesis(audioSeconds seconds: Double, synthesisSeconds: Double) {
        guard seconds > 0 else { return }
        audioSeconds.increment(by: seconds)
        realTimeFactor.record(synthesisSeconds / seconds)
    }

    /// The Prometheus text exposition of everything recorded.
    func exposition() -> [UInt8] {
        registry.emitToBuffer()
    }
}
