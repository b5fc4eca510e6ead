import ArgumentParser
import KoeDaemon

/// `koe pause`: cork the daemon's stream, keeping what is buffered.
struct Pause: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Pause speech; koe resume continues where it stopped.")

    func run() throws {
        guard let reply = try DaemonCLI.send(DaemonRequest(.pause)) else {
            throw CLIError(message: "no daemon is running: nothing to pause")
        }
        guard reply.ok else { throw DaemonCLI.fail(reply) }
        print(DaemonCLI.describe(reply))
    }
}
