import ArgumentParser
import Foundation
import Koe
import KoeDaemon
import KoePlayback

/// `koe daemon`: the resident speaker in the foreground (systemd, launchd, tmux); `koe say`
/// starts it detached when none runs.
struct Daemon: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the speech daemon in the foreground (koe say starts it when needed).",
        discussion: """
            One daemon per user, on a socket in $XDG_RUNTIME_DIR/koe/ (else koe-<uid>/ in the \
            temporary folder). It loads the model once and speaks through PulseAudio \
            (pipewire-pulse) on Linux or AVAudioEngine on macOS. It exits after \
            KOE_IDLE_TIMEOUT (default 30m; 90s, 10m, 1h, 0 for never) with nothing to say, \
            and on SIGTERM. Under systemd socket activation it serves the socket in LISTEN_FDS.
            """)

    @Option(name: .customLong("idle-timeout"), help: "Exit after this long with nothing to say (90s, 10m, 1h; 0 never). Default: KOE_IDLE_TIMEOUT, else 30m.")
    var idleTimeout: String?

    @Option(help: ArgumentHelp("Audio output: system (PulseAudio or AVAudioEngine) or null (a silent clock, for tests).", visibility: .hidden))
    var output: String = ProcessInfo.processInfo.environment["KOE_AUDIO_OUTPUT"] ?? "system"

    @Flag(help: ArgumentHelp("Started by koe say (detached).", visibility: .hidden))
    var launched = false

    @OptionGroup var model: ModelOptions

    func validate() throws {
        if let idleTimeout { _ = try parse(idleTimeout) }
        guard ["system", "null"].contains(output) else { throw ValidationError("--output must be system or null, got '\(output)'") }
    }

    private func parse(_ text: String) throws -> Double? {
        do { return try DaemonConfiguration.parseDuration(text) } catch { throw ValidationError("\(error)") }
    }

    func run() async throws {
        var options = model
        if options.logLevel == nil && ProcessInfo.processInfo.environment["KOE_LOG_LEVEL"] == nil { options.logLevel = "info" }
        let logger = CLI.logger(options)
        var configuration: DaemonConfiguration
        do { configuration = try DaemonConfiguration.fromEnvironment() } catch { throw CLIError(error) }
        if let idleTimeout { configuration.idleTimeout = try parse(idleTimeout) }
        let model = self.model
        let output = self.output
        let server = DaemonServer(configuration: configuration, logger: logger) {
            let engine = try CLI.loadEngine(model, logger: logger)
            let synthesizer = SpeechSynthesizer(engine: engine, logger: logger)
            // The default voice's text front end is loaded with the model, not on the first say.
            _ = try? synthesizer.frontEnd(for: synthesizer.language(for: SpeechOptions()))
            // One pass now: the first say pays no set-up, and its first audio is early.
            try? synthesizer.warmUp()
            let audio: any AudioOutput = output == "null"
                ? try ClockedAudioOutput(sampleRate: synthesizer.sampleRate, keepsPlayed: false)
                : try SystemAudioOutput.open(sampleRate: synthesizer.sampleRate)
            return Speaker(source: SynthesizerSource(synthesizer), output: audio, logger: logger)
        }
        do {
            switch try server.start() {
            case .serving:
                // The server's threads do the work and end the process; this task only waits.
                while true { try await Task.sleep(nanoseconds: 3_600_000_000_000) }
            case .alreadyRunning:
                // Exit 0: a supervisor (launchd KeepAlive) must not respawn a duplicate forever.
                FileHandle.standardError.write(Data("koe daemon: a daemon is already running for this user\n".utf8))
            }
        } catch {
            throw CLIError(error)
        }
    }
}
