import ArgumentParser
import Foundation
import KokoroModel

struct Voices: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the voices found in the voice files.")

    @OptionGroup var model: ModelOptions

    func run() async throws {
        do {
            let files = try ModelFiles.locate(voices: model.voiceFiles.isEmpty ? nil : model.voiceFiles.map { URL(fileURLWithPath: $0) })
            let pack = try VoicePack.load(files.voices)
            for name in pack.names { print(name) }
        } catch {
            throw CLIError(error)
        }
    }
}
