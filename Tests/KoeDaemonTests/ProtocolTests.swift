import Foundation
import Testing
@testable import KoeDaemon

struct ProtocolTests {
    private func error(_ line: String) -> String {
        do {
            _ = try LineCodec.request(from: Array(line.utf8))
            return "parsed"
        } catch {
            return "\(error)"
        }
    }

    @Test func requestsRoundTrip() throws {
        let request = DaemonRequest(.say, text: "Hi \"there\"\n", voice: "jf_alpha", speed: 1.2, queue: true, wait: true)
        let line = try LineCodec.line(request)
        #expect(line.last == 0x0A)
        #expect(line.dropLast().contains(0x0A) == false)
        #expect(try LineCodec.request(from: Array(line.dropLast())) == request)
    }

    @Test(arguments: [
        ("not json", "one JSON object per line"),
        ("[1,2]", "not an object"),
        (#"{"cmd":"say"}"#, "protocol version"),
        (#"{"v":2,"cmd":"say"}"#, "protocol version 2 is not spoken by this daemon (version 1)"),
        (#"{"v":1}"#, "needs a command"),
        (#"{"v":1,"cmd":"dance"}"#, "unknown command 'dance'; commands: say, pause"),
        (#"{"v":1,"cmd":"say","text":5}"#, "field 'text' must be a String"),
        (#"{"v":1,"cmd":"say","queue":"yes"}"#, "field 'queue' must be a Bool"),
    ])
    func badLinesGetMessages(line: String, message: String) {
        #expect(error(line).contains(message), "\(line) -> \(error(line))")
    }

    @Test func repliesOfAnotherVersionAreNamed() throws {
        #expect(throws: DaemonError.versionMismatch(client: 1, daemon: 3)) {
            try LineCodec.reply(from: Array(#"{"v":3,"ok":true}"#.utf8))
        }
        var reply = DaemonReply()
        reply.state = .paused
        reply.position = 1.5
        #expect(try LineCodec.reply(from: Array(LineCodec.line(reply).dropLast())) == reply)
    }

    @Test(arguments: [("90s", 90.0), ("10m", 600), ("1h", 3600), ("1.5m", 90), ("250ms", 0.25), ("45", 45), (" 2 min ", 120)])
    func idleTimeouts(text: String, seconds: Double) throws {
        #expect(try DaemonConfiguration.parseDuration(text) == seconds)
    }

    @Test(arguments: ["0", "never", "off"])
    func idleTimeoutOff(text: String) throws {
        #expect(try DaemonConfiguration.parseDuration(text) == nil)
    }

    @Test(arguments: ["", "soon", "-5s", "10x", "s"])
    func badIdleTimeouts(text: String) {
        #expect(throws: DaemonError.badIdleTimeout(text)) { try DaemonConfiguration.parseDuration(text) }
    }

    @Test func socketActivationNeedsOurPid() {
        #expect(DaemonConfiguration.socketActivation(["LISTEN_PID": "1", "LISTEN_FDS": "1"]) == nil)
        #expect(DaemonConfiguration.socketActivation(["LISTEN_PID": "\(getpid())", "LISTEN_FDS": "0"]) == nil)
    }
}
