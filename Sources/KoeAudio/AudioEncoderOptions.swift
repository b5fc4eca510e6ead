/// How WAV stores its samples.
public enum WAVSampleFormat: String, Sendable, Codable, CaseIterable {
    /// 16-bit signed integer PCM (`WAVE_FORMAT_PCM`), the default.
    case int16
    /// 32-bit IEEE float (`WAVE_FORMAT_IEEE_FLOAT`), lossless for the model's output.
    case float32
}

/// Settings shared by every encoder; each format reads the ones that apply to it.
///
/// The defaults are `static let` constants so the CLI and server show the same values.
public struct AudioEncoderOptions: Sendable, Codable, Equatable {
    /// MP3 bit rate when ``bitrate`` is nil: 64 kbit/s CBR, transparent enough for speech at 24 kHz.
    public static let defaultMP3Bitrate = 64_000
    /// Opus bit rate when ``bitrate`` is nil: 32 kbit/s, near-transparent for mono speech.
    public static let defaultOpusBitrate = 32_000
    /// AAC bit rate when ``bitrate`` is nil: 64 kbit/s AAC-LC, clean for mono speech at 24 kHz.
    public static let defaultAACBitrate = 64_000
    /// libFLAC's balanced preset.
    public static let defaultFLACCompressionLevel = 5
    /// FLAC sample depth when not set.
    public static let defaultFLACBitsPerSample = 16
    /// Every option at its default.
    public static let `default` = AudioEncoderOptions()

    /// Target bit rate in bit/s for lossy formats (MP3: 8 000-320 000 CBR; Opus: 6 000-510 000 VBR;
    /// AAC: 8 000-320 000, libavcodec's rate control).
    public var bitrate: Int?
    /// Sample storage of WAV output.
    public var wavSampleFormat: WAVSampleFormat
    /// FLAC sample depth: 16 or 24.
    public var flacBitsPerSample: Int
    /// FLAC compression preset, 0 (fastest) to 8 (smallest).
    public var flacCompressionLevel: Int
    /// Adds triangular (TPDF) dither of ±1 LSB before rounding to integers (WAV int16, PCM, FLAC).
    /// The dither sequence is deterministic and continues across chunks.
    public var dither: Bool
    /// The total number of samples, when known before the first chunk: WAV writes an
    /// exact header instead of the streaming `0xFFFFFFFF` sizes and FLAC records it in
    /// STREAMINFO. ``AudioEncoder/finish()`` throws if a different count was encoded.
    public var expectedSampleCount: Int?
    /// MP3 only, for output that can be rewritten (a file): LAME reserves the first frame for
    /// a Xing/LAME tag that ``AudioEncoder/seekableHeader()`` fills in after ``AudioEncoder/finish()``,
    /// so decoders trim the encoder delay and padding and the file plays back gapless at its
    /// exact length. Leave it off for a stream that cannot be rewritten.
    public var mp3InfoTag: Bool

    /// Creates options; every parameter defaults to the library default.
    public init(
        bitrate: Int? = nil,
        wavSampleFormat: WAVSampleFormat = .int16,
        flacBitsPerSample: Int = defaultFLACBitsPerSample,
        flacCompressionLevel: Int = defaultFLACCompressionLevel,
        dither: Bool = false,
        expectedSampleCount: Int? = nil,
        mp3InfoTag: Bool = false
    ) {
        self.bitrate = bitrate
        self.wavSampleFormat = wavSampleFormat
        self.flacBitsPerSample = flacBitsPerSample
        self.flacCompressionLevel = flacCompressionLevel
        self.dither = dither
        self.expectedSampleCount = expectedSampleCount
        self.mp3InfoTag = mp3InfoTag
    }

    /// Decodes options from JSON in which any key may be missing.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = AudioEncoderOptions.default
        bitrate = try c.decodeIfPresent(Int.self, forKey: .bitrate)
        wavSampleFormat = try c.decodeIfPresent(WAVSampleFormat.self, forKey: .wavSampleFormat) ?? d.wavSampleFormat
        flacBitsPerSample = try c.decodeIfPresent(Int.self, forKey: .flacBitsPerSample) ?? d.flacBitsPerSample
        flacCompressionLevel =
            try c.decodeIfPresent(Int.self, forKey: .flacCompressionLevel) ?? d.flacCompressionLevel
        dither = try c.decodeIfPresent(Bool.self, forKey: .dither) ?? d.dither
        expectedSampleCount = try c.decodeIfPresent(Int.self, forKey: .expectedSampleCount)
        mp3InfoTag = try c.decodeIfPresent(Bool.self, forKey: .mp3InfoTag) ?? d.mp3InfoTag
    }

    /// Rates libopus accepts as input.
    static let opusSampleRates = [8_000, 12_000, 16_000, 24_000, 48_000]
    /// Rates MPEG-1/2/2.5 Layer III can carry, so LAME never resamples.
    static let mp3SampleRates = [8_000, 11_025, 12_000, 16_000, 22_050, 24_000, 32_000, 44_100, 48_000]

    /// Checks the rate and the options that `format` uses (``AudioEncoderFactory/make(format:sampleRate:options:)``
    /// does too; call it to reject bad options before any work).
    public func validate(for format: AudioFormat, sampleRate: Int) throws {
        func require(_ ok: Bool, _ name: String, _ value: some CustomStringConvertible, _ rule: String) throws {
            if !ok { throw AudioEncoderError.invalidOption(name: name, value: value.description, rule: rule) }
        }
        if let count = expectedSampleCount {
            try require(count >= 0, "expectedSampleCount", count, "must not be negative")
        }
        switch format {
        case .wav, .pcm:
            try requireRate(format, sampleRate, in: 1...Int(Int32.max))
        case .flac:
            try requireRate(format, sampleRate, in: 1...655_350)
            try require(
                [16, 24].contains(flacBitsPerSample), "flacBitsPerSample", flacBitsPerSample, "must be 16 or 24")
            try require((0...8).contains(flacCompressionLevel), "flacCompressionLevel", flacCompressionLevel,
                        "must be 0 to 8")
        case .mp3:
            try requireRate(format, sampleRate, oneOf: Self.mp3SampleRates)
            if let bitrate {
                try require((8_000...320_000).contains(bitrate), "bitrate", bitrate, "MP3 needs 8000 to 320000 bit/s")
            }
        case .aac:
            try requireRate(format, sampleRate, oneOf: AACStreamEncoder.adtsSampleRates)
            if let bitrate {
                try require((8_000...320_000).contains(bitrate), "bitrate", bitrate, "AAC needs 8000 to 320000 bit/s")
            }
        case .opus:
            try requireRate(format, sampleRate, oneOf: Self.opusSampleRates)
            if let bitrate {
                try require((6_000...510_000).contains(bitrate), "bitrate", bitrate, "Opus needs 6000 to 510000 bit/s")
            }
        }
    }

    private func requireRate(_ format: AudioFormat, _ rate: Int, in range: ClosedRange<Int>) throws {
        if !range.contains(rate) {
            throw AudioEncoderError.invalidOption(
                name: "sampleRate", value: String(rate),
                rule: "\(format.rawValue) needs \(range.lowerBound) to \(range.upperBound) Hz")
        }
    }

    private func requireRate(_ format: AudioFormat, _ rate: Int, oneOf rates: [Int]) throws {
        if !rates.contains(rate) {
            throw AudioEncoderError.unsupportedSampleRate(format: format, sampleRate: rate, supported: rates)
        }
    }
}
