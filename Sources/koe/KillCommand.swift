import ArgumentParser
import Foundation
import KoeDaemon

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `koe kill`: stop playback and end the daemon, waiting until it has gone.
struct Kill: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Stop the daemon (the next koe say starts a new one).")

    func run() throws {
        guard let reply = try DaemonCLI.send(DaemonRequest(.kill)) else {
            print("no daemon was running")
            return
        }
        guard reply.ok else { throw DaemonCLI.fail(reply) }
        // Return once it has released its lock, so `koe kill && koe say` meets a new daemon.
        for _ in 0..<500 where DaemonCLI.client.daemonHoldsLock { usleep(10_000) }
        print("daemon \(reply.pid.map(String.init) ?? "") stopped")
    }
}
