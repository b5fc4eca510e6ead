import ArgumentParser
import Foundation
import Koe
import KoeDaemon

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `koe say`: hand text to the daemon (starting it when none runs) and return once accepted.
struct Say: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Speak text aloud through the resident daemon, starting it when none runs.",
        discussion: """
            Returns once the daemon has accepted the text (--wait: once it has been spoken). \
            A new say interrupts what is playing; --queue plays it after what is queued. The \
            daemon is started detached, logging to $XDG_STATE_HOME/koe/daemon.log.
            """)

    @Argument(help: "The text to speak. Omit it to read standard input.")
    var text: String?

    @Option(name: .shortAndLong, help: "Voice name or blend (a+b, a(2)+b(1)); see `koe voices`. Default: the daemon's default voice.")
    var voice: String?

    @Option(name: .shortAndLong, help: "Speaking rate, \(KokoroNetwork.speedRange.lowerBound) to \(KokoroNetwork.speedRange.upperBound).")
    var speed: Float = SpeechOptions.defaultSpeed

    @Option(name: .shortAndLong, help: "Text language, or a code like en-gb. Default: the voice's first letter, else a.")
    var language: KoeLanguage?

    @Flag(help: "Return when the text has been spoken (exit 1 if it was stopped or failed).")
    var wait = false

    @Flag(help: "Play after what is playing and queued, instead of interrupting it.")
    var queue = false

    func validate() throws {
        try CLI.validating { try SpeechOptions(speed: speed).validate() }
    }

    func run() throws {
        let text = try readText()
        do { try TextError.requireContent(text) } catch { throw CLIError(error) }
        let request = DaemonRequest(.say, text: text, voice: voice, speed: speed, language: language?.rawValue,
                                    queue: queue ? true : nil, wait: wait ? true : nil)
        do {
            let (connection, accepted) = try DaemonCLI.client.deliver(request, executable: DaemonCLI.executable)
            guard accepted.ok else { throw DaemonCLI.fail(accepted) }
            guard wait else { return }
            let interrupt = stopOnSignal(id: accepted.id)
            defer { interrupt.forEach { $0.cancel() } }
            connection.setReplyTimeout(seconds: 0)
            guard let end = try connection.reply() else { throw CLIError(message: "the daemon went away before the end") }
            guard end.ok else {
                throw CLIError(message: "speech \(end.end?.rawValue ?? "ended") before the end: \(end.error ?? "no reason given")")
            }
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError(error)
        }
    }

    /// While waiting, SIGINT, SIGTERM or SIGHUP (Ctrl-C, speech-dispatcher cancelling a
    /// message) stop this utterance in the daemon before the client exits.
    private func stopOnSignal(id: Int?) -> [DispatchSourceSignal] {
        [SIGINT, SIGTERM, SIGHUP].map { (sig: Int32) -> DispatchSourceSignal in
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                _ = try? DaemonCLI.client.send(DaemonRequest(.stop, id: id))
                processExit(128 + sig)
            }
            source.resume()
            return source
        }
    }

    private func readText() throws -> String {
        if let text { return text }
        if isatty(STDIN_FILENO) == 1 {
            throw CLIError(message: "give a text to speak: as an argument or on standard input")
        }
        return String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
    }
}

/// The C `exit`, which ParsableCommand's static `exit(withError:)` hides inside the command.
private func processExit(_ status: Int32) -> Never { exit(status) }
