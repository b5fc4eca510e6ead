import ArgumentParser
import Foundation
import KoeAudio
import KokoroModel

struct Synthesize: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Speak phonemes (Kokoro's symbols) into an audio file.")

    @Option(help: "Phonemes in Kokoro's vocabulary, at most 510 symbols.")
    var phonemes: String

    @Option(help: "Voice name from the loaded voice files (see `koe voices`). Default: af_heart, else the first voice.")
    var voice: String?

    @Option(help: "Speaking rate, \(KokoroNetwork.speedRange.lowerBound) to \(KokoroNetwork.speedRange.upperBound).")
    var speed: Float = 1.0

    @Option(name: .shortAndLong, help: "Output file; its extension picks the format (wav, pcm, mp3, opus, flac).")
    var output: String

    @Option(help: "Format, overriding the output's extension: \(AudioFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: String?

    @Option(help: "Also write the per-token durations here as JSON.")
    var timings: String?

    @Option(help: "Compute threads.")
    var threads: Int = CLI.defaultThreads

    @OptionGroup var model: ModelOptions

    func validate() throws {
        if !KokoroNetwork.speedRange.contains(speed) {
            throw ValidationError("speed \(speed) is out of range: it must be between \(KokoroNetwork.speedRange.lowerBound) and \(KokoroNetwork.speedRange.upperBound)")
        }
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
        _ = try outputFormat()
    }

    func outputFormat() throws -> AudioFormat {
        if let format {
            guard let f = AudioFormat(rawValue: format.lowercased()) else {
                throw ValidationError("unknown format '\(format)'; use one of \(AudioFormat.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return f
        }
        let ext = URL(fileURLWithPath: output).pathExtension
        guard let f = AudioFormat(fileExtension: ext) else {
            throw ValidationError("cannot tell the format from '\(output)'; use an extension (\(AudioFormat.allCases.map(\.rawValue).joined(separator: ", "))) or --format")
        }
        return f
    }

    func run() async throws {
        let logger = CLI.logger(model)
        let format = try outputFormat()
        do {
            let engine = try CLI.loadEngine(model, logger: logger)
            let voiceName = voice ?? engine.defaultVoice
            let result = try engine.synthesize(phonemes: phonemes, voice: .named(voiceName), speed: speed, threads: threads)
            let bytes = try AudioEncoderFactory.encode(result.audio, format: format, sampleRate: result.sampleRate)
            try CLI.writeAtomically(bytes, to: output)
            if let timings {
                let t = TimingsFile(sample_rate: result.sampleRate, samples_per_frame: KokoroNetwork.samplesPerFrame,
                                    phonemes: phonemes, durations: result.durations)
                let enc = JSONEncoder()
                enc.outputFormatting = [.withoutEscapingSlashes]
                do {
                    try CLI.writeAtomically(Array(try enc.encode(t)), to: timings)
                } catch {
                    try? FileManager.default.removeItem(atPath: output)  // all or nothing
                    throw error
                }
            }
            logger.info("wrote \(output)", metadata: ["seconds": "\(Double(result.audio.count) / Double(result.sampleRate))"])
        } catch let e as ValidationError {
            throw e
        } catch {
            throw CLIError(error)
        }
    }
}

/// `--timings` file: one duration (frames of 600 samples) per token the network saw,
/// the two boundary pads included.
struct TimingsFile: Codable {
    var sample_rate: Int
    var samples_per_frame: Int
    var phonemes: String
    var durations: [Int]
}
