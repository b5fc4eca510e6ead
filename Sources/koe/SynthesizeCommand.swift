import ArgumentParser
import Foundation
import Koe

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct Synthesize: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Speak text (or Kokoro phonemes) into an audio file, with timestamps and captions.",
        discussion: """
            The text comes from the argument, --input FILE, or standard input. The audio format \
            follows the output's extension or --format. With --stream, audio goes to standard \
            output chunk by chunk as it is synthesised.
            """)

    @Argument(help: "The text to speak. Omit it to read --input or standard input.")
    var text: String?

    @Option(name: .shortAndLong, help: "Read the text from this file ('-' for standard input).")
    var input: String?

    @Option(help: "Speak these phonemes (Kokoro's symbols, at most 510) instead of text.")
    var phonemes: String?

    @Option(help: "Voice name or blend (a+b, a(2)+b(1), a-b); see `koe voices`. Default: af_heart, else the first voice.")
    var voice: String?

    @Option(help: "Speaking rate, \(KokoroNetwork.speedRange.lowerBound) to \(KokoroNetwork.speedRange.upperBound).")
    var speed: Float = SpeechOptions.defaultSpeed

    @Option(name: [.short, .long], help: "Text language: a (American English), b (British), j (Japanese), e, f, h, i, p, or a code like en-gb. Default: the voice's first letter, else a.")
    var language: KoeLanguage?

    @Option(name: .shortAndLong, help: "Output file; its extension picks the format (wav, pcm, mp3, opus, flac).")
    var output: String?

    @Option(help: "Format, overriding the output's extension.")
    var format: AudioFormat?

    @Option(name: .customLong("sample-format"), help: "WAV sample format.")
    var sampleFormat: WAVSampleFormat = .int16

    @Option(help: "Bit rate in bit/s for mp3 (default \(AudioEncoderOptions.defaultMP3Bitrate)) and opus (default \(AudioEncoderOptions.defaultOpusBitrate)).")
    var bitrate: Int?

    @Option(help: "Write word and sentence timestamps here as JSON.")
    var timestamps: String?

    @Option(help: "Write captions here: .srt or .vtt (cues by sentence and line length).")
    var captions: String?

    @Option(help: "Write word timestamps here as TSV (word, start, end in seconds).")
    var tsv: String?

    @Option(help: "With --phonemes: write the per-token durations here as JSON.")
    var timings: String?

    @Flag(help: "Write the audio to standard output as each chunk is ready.")
    var stream = false

    @Flag(name: .customLong("no-progress"), help: "Never draw the progress bar (it is drawn only on a terminal anyway).")
    var noProgress = false

    @Option(help: "Compute threads.")
    var threads: Int = SpeechOptions.defaultThreads

    @OptionGroup var lexicons: LexiconOptions

    @OptionGroup var model: ModelOptions

    func validate() throws {
        try CLI.validating { try SpeechOptions(speed: speed).validate() }
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
        if stream {
            if output != nil && output != "-" { throw ValidationError("--stream writes to standard output: leave out --output") }
        } else if output == nil {
            throw ValidationError("give an output file with --output (or --stream to write to standard output)")
        }
        if phonemes != nil {
            if text != nil || input != nil { throw ValidationError("give either text or --phonemes, not both") }
            if timestamps != nil || captions != nil || tsv != nil {
                throw ValidationError("--timestamps, --captions and --tsv need text; with --phonemes use --timings")
            }
        } else {
            if text != nil && input != nil { throw ValidationError("give the text as an argument or with --input, not both") }
            if timings != nil { throw ValidationError("--timings goes with --phonemes; for text use --timestamps") }
        }
        if let captions, !["srt", "vtt"].contains(URL(fileURLWithPath: captions).pathExtension.lowercased()) {
            throw ValidationError("captions must be a .srt or .vtt file, got '\(captions)'")
        }
        _ = try outputFormat()
    }

    func outputFormat() throws -> AudioFormat {
        if let format { return format }
        guard let output, output != "-" else { return .wav }
        let ext = URL(fileURLWithPath: output).pathExtension
        guard let f = AudioFormat(fileExtension: ext) else {
            throw ValidationError("cannot tell the format from '\(output)'; use an extension (\(AudioFormat.allCases.map(\.rawValue).joined(separator: ", "))) or --format")
        }
        return f
    }

    /// Encoder settings; a file (not a stream) gets the MP3 tag that makes playback gapless.
    var encoderOptions: AudioEncoderOptions {
        AudioEncoderOptions(bitrate: bitrate, wavSampleFormat: sampleFormat,
                            mp3InfoTag: !stream && output != nil && output != "-")
    }

    func run() async throws {
        let logger = CLI.logger(model)
        let format = try outputFormat()
        do {
            try encoderOptions.validate(for: format, sampleRate: KokoroNetwork.sampleRate)  // before any work
            if let phonemes {
                try speakPhonemes(phonemes, format: format, logger: logger)
            } else {
                try await speakText(try readText(), format: format, logger: logger)
            }
        } catch let e as ValidationError {
            throw e
        } catch {
            throw CLIError(error)
        }
    }

    /// The text from the argument, --input, or standard input (when it is not a terminal).
    func readText() throws -> String {
        if let text { return text }
        if let input, input != "-" {
            do {
                let data = try Data(contentsOf: URL(fileURLWithPath: input))
                return String(decoding: data, as: UTF8.self)
            } catch {
                throw CLIError(message: "cannot read \(input): \(error.localizedDescription)")
            }
        }
        if input == nil && isatty(STDIN_FILENO) == 1 {
            throw CLIError(message: "give a text to speak: as an argument, with --input FILE, or on standard input")
        }
        return String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
    }
}
