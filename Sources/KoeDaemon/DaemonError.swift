import Foundation

/// Errors of the daemon and its client; each message states the rule and the value received.
public enum DaemonError: Error, Sendable, Equatable, CustomStringConvertible {
    case badRequest(String)
    case notJSON(String)
    case lineTooLong(limit: Int)
    case versionMismatch(client: Int, daemon: Int)
    case unknownCommand(String)
    case noDaemon(socket: String)
    case launchFailed(String)
    case socket(String)
    case badIdleTimeout(String)
    case unsafeDirectory(String)
    case modelFailed(String)

    public var description: String {
        switch self {
        case .badRequest(let why): why
        case .notJSON(let why): "a request is one JSON object per line: \(why)"
        case .lineTooLong(let limit): "a request line may hold at most \(limit) bytes"
        case .versionMismatch(let client, let daemon):
            "protocol version \(client) is not spoken by this daemon (version \(daemon)); run `koe kill` and try again to start a daemon of this koe"
        case .unknownCommand(let cmd):
            "unknown command '\(cmd)'; commands: \(DaemonCommand.allCases.map(\.rawValue).joined(separator: ", "))"
        case .noDaemon(let socket): "no daemon is running (no answer on \(socket))"
        case .launchFailed(let why): "could not start the daemon: \(why)"
        case .socket(let why): why
        case .badIdleTimeout(let value):
            "KOE_IDLE_TIMEOUT must be a duration like 90s, 10m, 1h or 0 (never), got '\(value)'"
        case .unsafeDirectory(let why): why
        case .modelFailed(let why): "the daemon could not load the model: \(why)"
        }
    }
}
