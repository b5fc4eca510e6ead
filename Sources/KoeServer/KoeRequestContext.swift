import Hummingbird
import NIOCore

/// The request context of Koe's routes: Hummingbird's core plus the connection, so a stream
/// can stop synthesising as soon as its client goes away.
public struct KoeRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The connection the request came on.
    public let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}
