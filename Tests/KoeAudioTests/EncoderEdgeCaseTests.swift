import Foundation
import KoeAudio
import Testing

@Suite("Empty input, bad samples, misuse and bad options")
struct EncoderEdgeCaseTests {
    static let allFormats = AudioFormat.allCases

    @Test("finishing without samples gives a stream decoders accept as empty", arguments: allFormats)
    func finishWithoutSamples(_ format: AudioFormat) throws {
        let encoder = try AudioEncoderFactory.make(format: format)
        let bytes = try encoder.encode([]) + encoder.finish()
        #expect(encoder.sampleCount == 0)
        guard format != .pcm else {
            #expect(bytes.isEmpty)
            return
        }
        let folder = try TemporaryFolder()
        let file = try folder.write(bytes, as: "empty.\(format.fileExtension)")
        let decoded = try FFmpeg.decodeInt16(file)
        // MP3 and ADTS cannot express zero length: their encoders send a frame or two of silence.
        let silent = format == .mp3 || format == .aac
        #expect(silent ? decoded.allSatisfy { abs($0) <= 1 } : decoded.isEmpty, "\(decoded.count) samples")
    }

    @Test("NaN and infinities are sanitised, never crash or poison the stream", arguments: allFormats)
    func nonFiniteSamples(_ format: AudioFormat) throws {
        let bad: [Float] = [.nan, .infinity, -.infinity, 2, -3, 0.5, -.nan, .signalingNaN]
        let tail = TestSignal.make(count: 4_800)
        let encoder = try AudioEncoderFactory.make(format: format)
        let bytes = try encoder.encode(bad) + encoder.encode(tail) + encoder.finish()
        if format == .pcm {
            let values = int16s(Array(bytes.prefix(2 * bad.count)))
            #expect(values == [0, 32_767, -32_767, 32_767, -32_767, 16_384, 0, 0])
        }
        let folder = try TemporaryFolder()
        let inputFormat = format == .pcm ? ["-f", "s16le", "-ar", "24000", "-ac", "1"] : []
        let file = try folder.write(bytes, as: "bad.\(format.fileExtension)")
        let decoded = try FFmpeg.decodeInt16(file, inputFormat: inputFormat, rate: 24_000)
        #expect(decoded.count >= bad.count + tail.count - 1)
        #expect(SignalAnalysis.dominantFrequency(of: decoded.asFloats, sampleRate: 24_000) == 440)
    }

    @Test("encode after finish throws; finish again returns nothing", arguments: allFormats)
    func misuse(_ format: AudioFormat) throws {
        let encoder = try AudioEncoderFactory.make(format: format)
        _ = try encoder.encode(TestSignal.make(count: 1_000))
        _ = try encoder.finish()
        #expect(throws: AudioEncoderError.alreadyFinished(format: format)) { try encoder.encode([0]) }
        #expect(try encoder.finish().isEmpty)
    }

    @Test("an encoder dropped before finish releases its codec cleanly", arguments: allFormats)
    func dropUnfinished(_ format: AudioFormat) throws {
        for _ in 0..<20 {
            let encoder = try AudioEncoderFactory.make(format: format)
            _ = try encoder.encode(TestSignal.make(count: 5_000))
        }
    }

    @Test("a total announced up front must match what was encoded", arguments: allFormats)
    func expectedCountMismatch(_ format: AudioFormat) throws {
        let encoder = try AudioEncoderFactory.make(format: format, options: .init(expectedSampleCount: 2_000))
        _ = try encoder.encode(TestSignal.make(count: 1_000))
        #expect(throws: AudioEncoderError.sampleCountMismatch(expected: 2_000, actual: 1_000)) {
            try encoder.finish()
        }
    }

    @Test("dither moves samples by at most one step and continues across chunks")
    func dither() throws {
        let signal = TestSignal.make(count: 4_000)
        let plain = try AudioEncoderFactory.encode(signal, format: .pcm)
        let dithered = try AudioEncoderFactory.encode(signal, format: .pcm, options: .init(dither: true))
        let a = int16s(plain)
        let b = int16s(dithered)
        #expect(a != b)
        #expect(zip(a, b).allSatisfy { abs(Int($0) - Int($1)) <= 1 })
    }

    @Test(
        "unsupported rates and options are refused with the value in the message",
        arguments: [
            (AudioFormat.opus, 22_050, AudioEncoderOptions.default, "22050"),
            (.mp3, 96_000, .default, "96000"),
            (.mp3, 24_000, .init(bitrate: 1_000), "1000"),
            (.opus, 24_000, .init(bitrate: 600_000), "600000"),
            (.flac, 24_000, .init(flacBitsPerSample: 20), "20"),
            (.flac, 24_000, .init(flacCompressionLevel: 9), "9"),
            (.wav, 0, .default, "0"),
            (.pcm, 24_000, .init(expectedSampleCount: -1), "-1"),
        ])
    func invalidConfiguration(format: AudioFormat, rate: Int, options: AudioEncoderOptions, value: String) {
        let error = #expect(throws: AudioEncoderError.self) {
            try AudioEncoderFactory.make(format: format, sampleRate: rate, options: options)
        }
        #expect(error?.description.contains(value) == true, "\(String(describing: error))")
    }

    @Test("the sample rate is a parameter", arguments: [(AudioFormat.opus, 48_000), (.mp3, 22_050), (.flac, 44_100)])
    func otherRates(format: AudioFormat, rate: Int) throws {
        let signal = TestSignal.make(count: rate, sampleRate: rate)
        let bytes = try AudioEncoderFactory.encode(signal, format: format, sampleRate: rate)
        let folder = try TemporaryFolder()
        let file = try folder.write(bytes, as: "rate.\(format.fileExtension)")
        let decoded = try FFmpeg.decodeInt16(file, rate: rate).asFloats
        #expect(abs(decoded.count - rate) <= (format == .mp3 ? 3 * 1_152 : 1))
        #expect(SignalAnalysis.dominantFrequency(of: decoded, sampleRate: rate) == 440)
    }

    private func int16s(_ bytes: [UInt8]) -> [Int16] {
        stride(from: 0, to: bytes.count - 1, by: 2).map {
            Int16(bitPattern: UInt16(bytes[$0]) | UInt16(bytes[$0 + 1]) << 8)
        }
    }
}
