import Foundation
import Hummingbird
import Koe
import Logging
import NIOCore
import ServiceLifecycle

/// The application of `koe serve` around a synthesizer that is already loaded. Requests are
/// admitted to and computed on the synthesizer's ``ComputeLane``; give it the lane of
/// ``ServerConfiguration/computeLane`` to apply `maxConcurrent`, `computeLanes` and `threadsPerPass`.
///
/// ```swift
/// let configuration = ServerConfiguration()
/// let synthesizer = try SpeechSynthesizer(lane: ComputeLane(configuration.computeLane))
/// let app = try buildApplication(configuration: configuration, synthesizer: synthesizer)
/// try await app.runService()
/// ```
public func buildApplication(
    configuration: ServerConfiguration,
    synthesizer: any SpeechSynthesizing,
    logger: Logger = Logger(label: "koe.server")
) throws -> some ApplicationProtocol {
    let state = try ServerState(validated: configuration, logger: logger)
    state.slot.set(synthesizer)
    return makeApplication(state: state, services: [])
}

/// The application, loading its synthesizer with `load` on a thread of its own once the
/// socket is up: `/health` answers at once, `/ready` and the speech routes answer 503 until
/// the model is in memory.
public func buildApplication(
    configuration: ServerConfiguration,
    logger: Logger = Logger(label: "koe.server"),
    loadSynthesizer load: @escaping @Sendable () throws -> any SpeechSynthesizing
) throws -> some ApplicationProtocol {
    let state = try ServerState(validated: configuration, logger: logger)
    return makeApplication(state: state, services: [ModelLoadingService(slot: state.slot, load: load, logger: logger) as any Service])
}

private func makeApplication(state: ServerState, services: [any Service]) -> some ApplicationProtocol {
    let configuration = state.configuration
    let logger = state.logger
    return Application(
        router: buildRouter(state: state),
        configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port), serverName: "koe"),
        services: services,
        onServerRunning: { channel in
            let port = channel.localAddress?.port ?? configuration.port
            logger.notice("listening on http://\(configuration.host):\(port)")
            configuration.onListening?(port)
        },
        logger: logger
    )
}

/// Every route, behind the access log, OpenAI-shaped errors and (when configured) the API key.
func buildRouter(state: ServerState) -> Router<KoeRequestContext> {
    let router = Router(context: KoeRequestContext.self)
    router.add(middleware: AccessLogMiddleware(state: state))
    router.add(middleware: APIErrorMiddleware())
    if let key = state.configuration.apiKey { router.add(middleware: APIKeyMiddleware(key: key)) }
    SpeechRoutes(state: state).register(on: router)
    InfoRoutes(state: state).register(on: router)
    DevRoutes(state: state).register(on: router)
    WebRoutes().register(on: router)
    return router
}

extension ServerState {
    convenience init(validated configuration: ServerConfiguration, logger: Logger) throws {
        try configuration.validate()
        self.init(configuration: configuration, logger: logger)
    }
}
