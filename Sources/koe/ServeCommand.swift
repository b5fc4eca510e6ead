import ArgumentParser
import Foundation
import Hummingbird
import Koe
import KoeServer
import Logging
import ServiceLifecycle

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve OpenAI's speech API (and Kokoro-FastAPI's extras) over HTTP.",
        discussion: """
            POST /v1/audio/speech streams audio chunk by chunk in mp3, opus, aac, flac, wav or pcm, \
            or SSE events with word timestamps; see GET /openapi.json for every route. The socket \
            opens at once; /ready answers 200 once the model is loaded. SIGTERM or SIGINT stops \
            accepting, lets running requests finish within --grace-period, and exits 0.
            """)

    @Option(help: "Address to listen on (loopback by default; 0.0.0.0 for every interface).")
    var host: String = ServerConfiguration.defaultHost

    @Option(help: "Port to listen on; 0 picks a free one (printed on standard output).")
    var port: Int = ServerConfiguration.defaultPort

    @Option(name: .customLong("max-input-chars"), help: "Longest 'input' accepted, in characters.")
    var maxInputCharacters: Int = ServerConfiguration.defaultMaxInputCharacters

    @Option(name: .customLong("max-concurrent"), help: "Requests synthesised at once, their chunks taking turns on the compute lane; beyond them the answer is 429 with Retry-After.")
    var maxConcurrent: Int = ServerConfiguration.defaultMaxConcurrent

    @Option(name: .customLong("api-key"), help: "Require Authorization: Bearer <key> on every route but /health (or KOE_API_KEY).")
    var apiKey: String?

    @Option(name: .customLong("compute-lanes"), help: "Forward passes running at once, each on its own thread.")
    var computeLanes: Int = ServerConfiguration.defaultComputeLanes

    @Option(help: "Threads per forward pass. Default: the cores divided among the compute lanes.")
    var threads: Int?

    @Option(name: .customLong("grace-period"), help: "Seconds running requests get to finish after SIGTERM or SIGINT.")
    var gracePeriod: Double = ServerConfiguration.defaultGracePeriod

    @OptionGroup var lexicons: LexiconOptions

    @OptionGroup var model: ModelOptions

    var serverConfiguration: ServerConfiguration {
        ServerConfiguration(
            host: host, port: port, maxInputCharacters: maxInputCharacters, maxConcurrent: maxConcurrent,
            apiKey: apiKey ?? ProcessInfo.processInfo.environment["KOE_API_KEY"],
            gracePeriod: gracePeriod, computeLanes: computeLanes, threadsPerPass: threads,
            onListening: { port in
                FileHandle.standardOutput.write(Data("koe serve: listening on http://\(host):\(port)\n".utf8))
            })
    }

    func validate() throws {
        do {
            try serverConfiguration.validate()
        } catch {
            throw ValidationError("\(error)")
        }
    }

    func run() async throws {
        var logger = CLI.logger(model)
        if model.logLevel == nil && ProcessInfo.processInfo.environment["KOE_LOG_LEVEL"] == nil {
            logger.logLevel = .info  // one line per request unless asked otherwise
        }
        let files = try model.files()
        let (lexicons, user) = (lexicons.directory, lexicons.userLexiconURL)
        let engineLogger = logger
        let configuration = serverConfiguration
        let app = try buildApplication(configuration: configuration, logger: logger) {
            // One compute lane for every request: it admits --max-concurrent streams.
            let synthesizer = try SpeechSynthesizer(files: files, lexiconDirectory: lexicons, userLexicon: user,
                                                    lane: ComputeLane(configuration.computeLane), logger: engineLogger)
            // Load the front end of the default voice's language before the first request.
            _ = try synthesizer.frontEnd(for: synthesizer.language(for: SpeechOptions()))
            // One pass now: the first request pays no set-up, and its first audio is early.
            try? synthesizer.warmUp()
            return synthesizer
        }
        var group = ServiceGroupConfiguration(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        group.maximumGracefulShutdownDuration = .milliseconds(Int(gracePeriod * 1000))
        try await ServiceGroup(configuration: group).run()
        logger.notice("stopped")
    }
}
