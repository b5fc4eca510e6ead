import ArgumentParser
import Foundation
import Koe
import KokoroModel

struct Voices: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the voices found in the voice files, or save a blend as a voice file.",
        discussion: """
            A blend uses Kokoro-FastAPI's syntax: a+b (equal parts), a(2)+b(1) (weights, normalised), \
            a-b (subtraction). Saved as .npy, it loads with --voices FILE under the file's name.
            """)

    @Option(help: "A voice expression to blend, e.g. 'jf_alpha(2)+jf_nezumi(1)'.")
    var blend: String?

    @Option(help: "With --blend: write the blended voice to this .npy file.")
    var save: String?

    @OptionGroup var model: ModelOptions

    func validate() throws {
        if save != nil && blend == nil { throw ValidationError("--save needs --blend") }
        if blend != nil && save == nil { throw ValidationError("--blend needs --save FILE.npy") }
        if let save, URL(fileURLWithPath: save).pathExtension.lowercased() != "npy" {
            throw ValidationError("save the voice as a .npy file, got '\(save)'")
        }
    }

    func run() async throws {
        do {
            let files = try ModelFiles.locate(voices: model.voiceFiles.isEmpty ? nil : model.voiceFiles.map { URL(fileURLWithPath: $0) })
            let pack = try VoicePack.load(files.voices)
            if let blend, let save {
                let table = try VoiceBlend(blend).styleTable(from: pack)
                let file = try PendingFile(path: save)
                try file.close()
                try VoicePack.write(table, to: file.temporary)
                try file.commit()
                print("saved \(blend) to \(save) as voice '\(URL(fileURLWithPath: save).deletingPathExtension().lastPathComponent)'")
                return
            }
            for name in pack.names { print(name) }
        } catch {
            throw CLIError(error)
        }
    }
}
