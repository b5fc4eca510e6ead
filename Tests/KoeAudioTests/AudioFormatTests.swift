import Foundation
import KoeAudio
import Testing

@Suite("AudioFormat names, MIME types and extensions")
struct AudioFormatTests {
    @Test(
        "MIME type and extension",
        arguments: [
            (AudioFormat.wav, "audio/wav", "wav"), (.pcm, "audio/L16", "pcm"), (.mp3, "audio/mpeg", "mp3"),
            (.opus, "audio/ogg", "opus"), (.flac, "audio/flac", "flac"), (.aac, "audio/aac", "aac"),
        ])
    func mimeAndExtension(format: AudioFormat, mime: String, ext: String) {
        #expect(format.mimeType == mime)
        #expect(format.fileExtension == ext)
        #expect(AudioFormat(fileExtension: ext) == format)
        #expect(AudioFormat(rawValue: ext) == format)
    }

    @Test(
        "extensions and aliases are recognised case-insensitively",
        arguments: [
            ("WAV", AudioFormat.wav), (".wave", .wav), ("raw", .pcm), ("s16le", .pcm), (".MP3", .mp3),
            ("ogg", .opus), ("oga", .opus), ("Opus", .opus), ("flac", .flac), ("ADTS", .aac),
        ])
    func aliases(ext: String, format: AudioFormat) {
        #expect(AudioFormat(fileExtension: ext) == format)
    }

    @Test("unknown extensions are rejected", arguments: ["", ".", "m4a", "mp4", "wavx", "mp"])
    func unknownExtension(ext: String) {
        #expect(AudioFormat(fileExtension: ext) == nil)
    }

    @Test("the formats OpenAI's response_format names, and no others")
    func allCases() {
        #expect(AudioFormat.allCases.map(\.rawValue) == ["wav", "pcm", "mp3", "opus", "flac", "aac"])
        #expect(AudioFormat.allCases.filter(\.isLossless) == [.wav, .pcm, .flac])
    }

    @Test("headerless PCM's content type carries rate and channels")
    func contentType() throws {
        #expect(AudioFormat.pcm.contentType(sampleRate: 24_000) == "audio/L16; rate=24000; channels=1")
        #expect(AudioFormat.mp3.contentType(sampleRate: 24_000) == "audio/mpeg")
        #expect(try AudioEncoderFactory.make(format: .pcm, sampleRate: 16_000).contentType
            == "audio/L16; rate=16000; channels=1")
        #expect(try AudioEncoderFactory.make(format: .opus).contentType == "audio/ogg")
    }

    @Test("formats and options round-trip through JSON; missing option keys take defaults")
    func codable() throws {
        let formats = try JSONDecoder().decode([AudioFormat].self, from: Data(#"["opus","wav"]"#.utf8))
        #expect(formats == [.opus, .wav])
        let empty = try JSONDecoder().decode(AudioEncoderOptions.self, from: Data("{}".utf8))
        #expect(empty == .default)
        let options = AudioEncoderOptions(
            bitrate: 48_000, wavSampleFormat: .float32, flacBitsPerSample: 24, dither: true)
        let decoded = try JSONDecoder().decode(AudioEncoderOptions.self, from: JSONEncoder().encode(options))
        #expect(decoded == options)
    }
}
