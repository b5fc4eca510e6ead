import Foundation
import KoeDaemon

/// What the daemon's client commands share.
enum DaemonCLI {
    /// This executable, which `koe say` starts as `koe daemon`.
    static var executable: String {
        Bundle.main.executablePath ?? CommandLine.arguments[0]
    }

    static let client = DaemonClient()

    /// A request to the running daemon; nil when none runs.
    static func send(_ request: DaemonRequest) throws -> DaemonReply? {
        do { return try client.send(request) } catch { throw CLIError(error) }
    }

    /// The human form of a status: the state first, then the text and position.
    static func describe(_ reply: DaemonReply) -> String {
        let state = reply.state ?? .idle
        guard state != .idle, let text = reply.text else {
            return reply.loading == true ? "idle (loading the model)" : "idle"
        }
        let shown = text.count > 70 ? String(text.prefix(69)) + "…" : text
        let position = String(format: "%.2f", reply.position ?? 0)
        let duration = String(format: "%.2f", reply.duration ?? 0)
        let more = reply.synthesized == false ? "+" : ""
        let queued = (reply.queued ?? 0) > 0 ? " (\(reply.queued ?? 0) queued)" : ""
        return "\(state.rawValue) \(position)/\(duration)\(more) s: \(shown.replacingOccurrences(of: "\n", with: " "))\(queued)"
    }

    static func fail(_ reply: DaemonReply) -> CLIError {
        CLIError(message: reply.error ?? "the daemon refused the request")
    }
}
