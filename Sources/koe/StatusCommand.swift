import ArgumentParser
import Foundation
import KoeDaemon

/// `koe status`: idle, playing or paused, then the text and position.
struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show what the daemon is doing: idle, playing or paused, the text and position.",
        discussion: "Prints `idle (no daemon)` when no daemon runs (and never starts one).")

    @Flag(help: "Print the daemon's reply as one JSON object ({\"daemon\":false,\"state\":\"idle\"} without a daemon).")
    var json = false

    func run() throws {
        guard let reply = try DaemonCLI.send(DaemonRequest(.status)) else {
            print(json ? #"{"daemon":false,"state":"idle"}"# : "idle (no daemon)")
            return
        }
        guard reply.ok else { throw DaemonCLI.fail(reply) }
        print(json ? String(decoding: LineCodec.line(reply).dropLast(), as: UTF8.self) : DaemonCLI.describe(reply))
    }
}
