import ArgumentParser
import Foundation
import Koe
import KokoroModel
import Logging

@main
struct KoeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "koe",
        abstract: "Fast, local, private Kokoro-82M text-to-speech.",
        version: KoeVersion.current,
        subcommands: [
            Synthesize.self,
            Voices.self,
            Bench.self,
            Phonemize.self,
            Serve.self,
            Say.self, Pause.self, Resume.self, Stop.self, Status.self, Kill.self, Daemon.self,
        ]
    )

    /// ArgumentParser's own `main`, after one process-wide setting that must come before the
    /// concurrency runtime's threads first allocate.
    static func main() async {
        KokoroEngine.useOneHeapArena()
        do {
            var command = try parseAsRoot()
            if var asynchronous = command as? AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}

/// Options every command that loads the model shares.
struct ModelOptions: ParsableArguments {
    @Option(help: "Kokoro ONNX model (kokoro-v1.0.onnx or kokoro-v1.0.int8.onnx). Default: the provisioned one in $KOE_HOME.")
    var model: String?

    @Option(name: .customLong("voices"), help: "Voice file (.npz pack, voices-v1.0.bin, .npy or raw .bin); repeatable.")
    var voiceFiles: [String] = []

    @Option(name: .customLong("log-level"), help: "Log level (or KOE_LOG_LEVEL; default warning).")
    var logLevel: Logger.Level?

    /// The model and voice files: those given, else the library's lookup (``ModelFiles/locate(model:voices:vocabulary:environment:)``).
    func files() throws -> ModelFiles {
        try ModelFiles.locate(model: model.map { URL(fileURLWithPath: $0) },
                              voices: voiceFiles.isEmpty ? nil : voiceFiles.map { URL(fileURLWithPath: $0) })
    }
}
