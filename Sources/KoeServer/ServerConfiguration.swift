import Foundation
import Koe

/// How `koe serve` listens, admits work and guards its routes. Defaults are `static let`
/// constants shared with the command line, so its help text cannot drift from the server.
public struct ServerConfiguration: Sendable {
    /// Loopback only unless asked otherwise.
    public static let defaultHost = "127.0.0.1"
    /// Kokoro-FastAPI's port, so clients configured for it work unchanged.
    public static let defaultPort = 8880
    /// OpenAI's limit on `input`.
    public static let defaultMaxInputCharacters = 4096
    /// Streams admitted to the compute lane at once (their chunks take turns); past it the
    /// server answers 429 with `Retry-After`.
    public static let defaultMaxConcurrent = 8
    /// Seconds running requests get to finish after SIGTERM or SIGINT.
    public static let defaultGracePeriod = 30.0
    /// Threads of the compute lane: forward passes running at once.
    public static let defaultComputeLanes = 1

    public var host: String
    /// 0 picks a free port (reported by ``onListening``).
    public var port: Int
    /// The longest `input`, in Unicode code points.
    public var maxInputCharacters: Int
    /// Streams admitted at once: the lane's ``ComputeLane/Configuration/maxActiveStreams``.
    public var maxConcurrent: Int
    /// When set, every route but `/health` needs `Authorization: Bearer <key>`.
    public var apiKey: String?
    public var gracePeriod: Double
    /// Dedicated threads for forward passes (never the cooperative pool or the event loops).
    public var computeLanes: Int
    /// Threads each forward pass fans out over; default: the cores divided among the lanes.
    public var threadsPerPass: Int
    /// Called once the socket is bound, with the port actually used.
    public var onListening: (@Sendable (Int) -> Void)?

    public init(
        host: String = ServerConfiguration.defaultHost,
        port: Int = ServerConfiguration.defaultPort,
        maxInputCharacters: Int = ServerConfiguration.defaultMaxInputCharacters,
        maxConcurrent: Int = ServerConfiguration.defaultMaxConcurrent,
        apiKey: String? = nil,
        gracePeriod: Double = ServerConfiguration.defaultGracePeriod,
        computeLanes: Int = ServerConfiguration.defaultComputeLanes,
        threadsPerPass: Int? = nil,
        onListening: (@Sendable (Int) -> Void)? = nil
    ) {
        self.host = host
        self.port = port
        self.maxInputCharacters = maxInputCharacters
        self.maxConcurrent = maxConcurrent
        self.apiKey = apiKey.flatMap { $0.isEmpty ? nil : $0 }
        self.gracePeriod = gracePeriod
        self.computeLanes = computeLanes
        let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
        self.threadsPerPass = threadsPerPass ?? max(1, cores / max(1, computeLanes))
        self.onListening = onListening
    }

    /// The compute lane these settings describe, for the synthesizer the server loads: one
    /// lane shared by every request, admitting ``maxConcurrent`` streams.
    public var computeLane: ComputeLane.Configuration {
        ComputeLane.Configuration(lanes: computeLanes, threadsPerPass: threadsPerPass, maxActiveStreams: maxConcurrent)
    }

    /// Checks every limit; the messages state the rule and the value received.
    public func validate() throws {
        func require(_ ok: Bool, _ message: String) throws {
            if !ok { throw ServerConfigurationError(message: message) }
        }
        try require((0...65_535).contains(port), "port must be 0 to 65535, got \(port)")
        try require(maxInputCharacters >= 1, "max-input-chars must be at least 1, got \(maxInputCharacters)")
        try require(maxInputCharacters <= 200_000, "max-input-chars must be at most 200000 (the 2 MiB body limit), got \(maxInputCharacters)")
        try require(maxConcurrent >= 1, "max-concurrent must be at least 1, got \(maxConcurrent)")
        try require(computeLanes >= 1 && computeLanes <= 64, "compute-lanes must be 1 to 64, got \(computeLanes)")
        try require(threadsPerPass >= 1, "threads must be at least 1, got \(threadsPerPass)")
        try require(gracePeriod >= 0 && gracePeriod.isFinite, "grace period must be zero or more seconds, got \(gracePeriod)")
    }
}

/// A server setting out of range.
public struct ServerConfigurationError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
