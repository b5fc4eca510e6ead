import ArgumentParser
import KoeDaemon

/// `koe stop`: drop what plays and what is queued (the daemon stays, model warm).
struct Stop: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Stop speaking and drop the queue (the daemon stays loaded).")

    func run() throws {
        guard let reply = try DaemonCLI.send(DaemonRequest(.stop)) else {
            print("idle (no daemon)")
            return
        }
        guard reply.ok else { throw DaemonCLI.fail(reply) }
        print(DaemonCLI.describe(reply))
    }
}
