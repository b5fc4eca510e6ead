import Foundation
import KoeAudio
import Testing

/// One format/option combination to encode and decode back.
struct RoundTripCase: Sendable, CustomTestStringConvertible {
    let name: String
    let format: AudioFormat
    var options = AudioEncoderOptions.default
    /// ffprobe's codec_name for the stream.
    let codec: String

    var testDescription: String { name }

    /// ffmpeg arguments that describe headerless input.
    var inputFormat: [String] { format == .pcm ? ["-f", "s16le", "-ar", "24000", "-ac", "1"] : [] }

    static let all: [RoundTripCase] = [
        RoundTripCase(name: "wav int16", format: .wav, codec: "pcm_s16le"),
        RoundTripCase(name: "wav float32", format: .wav, options: .init(wavSampleFormat: .float32), codec: "pcm_f32le"),
        RoundTripCase(name: "pcm", format: .pcm, codec: "pcm_s16le"),
        mp3,
        RoundTripCase(name: "opus", format: .opus, codec: "opus"),
        RoundTripCase(name: "flac 16-bit", format: .flac, codec: "flac"),
        RoundTripCase(name: "flac 24-bit", format: .flac, options: .init(flacBitsPerSample: 24), codec: "flac"),
        RoundTripCase(name: "aac", format: .aac, codec: "aac"),
    ]
    static let mp3 = RoundTripCase(name: "mp3", format: .mp3, codec: "mp3")
    static let lossless = all.filter { $0.format.isLossless }
}

@Suite("Chunked encoding decoded back by ffmpeg")
struct RoundTripTests {
    let signal = TestSignal.make()
    let n = TestSignal.sampleCount

    @Test("ffprobe sees a mono stream of the right codec", arguments: RoundTripCase.all)
    func streamInfo(_ c: RoundTripCase) throws {
        let folder = try TemporaryFolder()
        let bytes = try TestSignal.encodeChunked(signal, format: c.format, options: c.options)
        let file = try folder.write(bytes, as: "signal.\(c.format.fileExtension)")
        let info = try FFmpeg.probe(file, inputFormat: c.inputFormat)
        #expect(info["codec_name"] == c.codec)
        #expect(info["channels"] == "1")
        // Opus always decodes at 48 kHz; the 24 kHz input rate is informational in OpusHead.
        #expect(info["sample_rate"] == (c.format == .opus ? "48000" : "24000"))
    }

    @Test("lossless formats decode to exactly the quantised input", arguments: RoundTripCase.lossless)
    func losslessExact(_ c: RoundTripCase) throws {
        let folder = try TemporaryFolder()
        let bytes = try TestSignal.encodeChunked(signal, format: c.format, options: c.options)
        let file = try folder.write(bytes, as: "signal.\(c.format.fileExtension)")
        if c.options.wavSampleFormat == .float32 && c.format == .wav {
            let decoded = try FFmpeg.decodeFloat(file)
            #expect(decoded.count == n)
            #expect(decoded == signal)
        } else if c.options.flacBitsPerSample == 24 && c.format == .flac {
            let decoded = try FFmpeg.decodeInt32(file)
            #expect(decoded.count == n)
            #expect(decoded == signal.map { Int32((Double($0) * 8_388_607).rounded()) << 8 })
        } else {
            let decoded = try FFmpeg.decodeInt16(file, inputFormat: c.inputFormat)
            #expect(decoded.count == n)
            #expect(decoded == signal.map(TestSignal.int16))
        }
    }

    @Test("MP3 keeps length within the codec delay and padding, pitch and level")
    func mp3Content() throws {
        let folder = try TemporaryFolder()
        let file = try folder.write(try TestSignal.encodeChunked(signal, format: .mp3), as: "signal.mp3")
        let decoded = try FFmpeg.decodeInt16(file).asFloats
        // Without a LAME tag (impossible to write into a stream) decoders keep LAME's
        // 576-sample encoder delay, the decoder's 529, and the last frame's padding.
        let frame = 576
        #expect(decoded.count >= n && decoded.count <= n + 576 + 529 + 2 * frame, "decoded \(decoded.count) of \(n)")
        try expectSameContent(decoded, rate: 24_000, lags: 0...2_400, label: "mp3")
    }

    @Test("AAC in ADTS keeps length within the priming and last frame, pitch and level")
    func aacContent() throws {
        let folder = try TemporaryFolder()
        let bytes = try TestSignal.encodeChunked(signal, format: .aac)
        // Every frame starts with an ADTS sync word, LC profile, 24 kHz, mono, and its length.
        var offset = 0, frames = 0
        while offset < bytes.count {
            #expect(bytes[offset] == 0xFF && bytes[offset + 1] & 0xF6 == 0xF0, "no ADTS sync at \(offset)")
            #expect(bytes[offset + 2] >> 6 == 1 && (bytes[offset + 2] >> 2) & 0x0F == 6)
            let length = Int(bytes[offset + 3] & 3) << 11 | Int(bytes[offset + 4]) << 3 | Int(bytes[offset + 5]) >> 5
            #expect(length > 7)
            offset += max(length, 1)
            frames += 1
        }
        #expect(offset == bytes.count)
        let file = try folder.write(bytes, as: "signal.aac")
        let decoded = try FFmpeg.decodeInt16(file).asFloats
        // ADTS cannot carry the encoder's 1024-sample priming; the last frame is whole.
        #expect(decoded.count >= n && decoded.count <= n + 1024 + 2 * 1024, "decoded \(decoded.count) of \(n)")
        #expect(frames * 1024 >= decoded.count - 1024)
        try expectSameContent(decoded, rate: 24_000, lags: 0...2_400, label: "aac")
    }

    @Test("Ogg Opus decodes to exactly the input length and is not shifted")
    func opusContent() throws {
        let folder = try TemporaryFolder()
        let file = try folder.write(try TestSignal.encodeChunked(signal, format: .opus), as: "signal.opus")
        // Native rate: 48 kHz after pre-skip and end trimming, so exactly twice the input.
        let native = try FFmpeg.decodeInt16(file)
        #expect(native.count == 2 * n, "decoded \(native.count) at 48 kHz for \(n) at 24 kHz")
        let decoded = try FFmpeg.decodeInt16(file, rate: 24_000).asFloats
        #expect(abs(decoded.count - n) <= 1, "decoded \(decoded.count) at 24 kHz for \(n)")
        let lag = try expectSameContent(decoded, rate: 24_000, lags: -200...200, label: "opus")
        #expect(abs(lag) <= 2, "pre-skip trimming left a shift of \(lag) samples")
    }

    /// Checks pitch, level and waveform; returns the lag of the best alignment.
    @discardableResult
    private func expectSameContent(_ decoded: [Float], rate: Int, lags: ClosedRange<Int>, label: String) throws -> Int {
        let pitch = SignalAnalysis.dominantFrequency(of: decoded, sampleRate: rate)
        #expect(pitch == 440, "\(label): dominant frequency \(pitch) Hz")
        let level = SignalAnalysis.levelDifference(decoded, rateA: rate, signal, rateB: TestSignal.sampleRate)
        #expect(abs(level) <= 1, "\(label): level differs by \(level) dB")
        // A 4 000-sample window from the middle keeps the lag search cheap.
        let window = Array(signal[16_000..<20_000])
        let shifted = Array(decoded.dropFirst(16_000))
        let best = SignalAnalysis.bestCorrelation(shifted, window, lags: lags)
        #expect(best.correlation > 0.95, "\(label): correlation \(best.correlation) at lag \(best.lag)")
        return best.lag
    }
}
