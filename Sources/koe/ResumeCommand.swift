import ArgumentParser
import KoeDaemon

/// `koe resume` (or `koe play`): continue paused speech.
struct Resume: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Resume paused speech where it stopped.", aliases: ["play"])

    func run() throws {
        guard let reply = try DaemonCLI.send(DaemonRequest(.resume)) else {
            throw CLIError(message: "no daemon is running: nothing to resume")
        }
        guard reply.ok else { throw DaemonCLI.fail(reply) }
        print(DaemonCLI.describe(reply))
    }
}
