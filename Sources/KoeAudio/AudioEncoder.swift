import Foundation

/// A streaming encoder: feed mono float samples in chunks, send each returned byte
/// chunk on as it comes, then send what ``finish()`` returns.
///
/// Encoders keep their state across ``encode(_:)`` calls and never reset between
/// chunks, so the concatenated output is one seamless stream. An encoder is
/// per-request state: use one from a single task at a time.
public protocol AudioEncoder: AnyObject {
    /// The format this encoder produces.
    var format: AudioFormat { get }
    /// The sample rate of the input, in Hz (Kokoro produces 24 000).
    var sampleRate: Int { get }
    /// How many input samples have been accepted so far.
    var sampleCount: Int { get }
    /// Encodes the next chunk of mono samples in [-1, 1] and returns the bytes ready to send.
    ///
    /// Values outside [-1, 1] are clipped and NaN becomes silence. The result may be
    /// empty (codecs buffer whole frames), and the first non-empty result starts with
    /// the container header.
    func encode(_ samples: [Float]) throws -> [UInt8]
    /// Flushes buffered audio and returns the final bytes of the stream.
    ///
    /// Calling it again returns no bytes; calling ``encode(_:)`` after it throws
    /// ``AudioEncoderError/alreadyFinished(format:)``.
    func finish() throws -> [UInt8]
    /// After ``finish()``, for output that can be rewritten: bytes to write over the start
    /// of the output that complete its header (the MP3 Xing/LAME tag), or nil when the
    /// stream is complete as sent.
    func seekableHeader() -> [UInt8]?
}

extension AudioEncoder {
    public func seekableHeader() -> [UInt8]? { nil }

    /// After ``finish()``, for a stream saved whole to the file at `url`: makes its header
    /// exact (WAV sizes, the FLAC total, the MP3 Xing/LAME tag), which a stream could not.
    public func completeHeader(ofFileAt url: URL) throws {
        switch format {
        case .wav: try WAVFile.patchHeader(of: url)
        case .flac: try FLACFile.patchTotalSamples(of: url, sampleCount: sampleCount)
        case .mp3, .opus, .pcm, .aac: break
        }
        if let header = seekableHeader() {
            let handle = try FileHandle(forUpdating: url)
            defer { try? handle.close() }
            try handle.seek(toOffset: 0)
            try handle.write(contentsOf: Data(header))
        }
    }
}

extension AudioEncoder {
    /// The `Content-Type` of the stream this encoder produces (see ``AudioFormat/contentType(sampleRate:)``).
    public var contentType: String { format.contentType(sampleRate: sampleRate) }
}

/// Creates the ``AudioEncoder`` for a format.
public enum AudioEncoderFactory {
    /// Kokoro's output rate, the default input rate of every encoder.
    public static let defaultSampleRate = 24_000

    /// Makes a streaming encoder for `format` whose input is mono at `sampleRate` Hz.
    ///
    /// - Throws: ``AudioEncoderError`` when the rate or an option is not supported by
    ///   the format, or the codec library fails to start.
    public static func make(
        format: AudioFormat,
        sampleRate: Int = defaultSampleRate,
        options: AudioEncoderOptions = .default
    ) throws -> any AudioEncoder {
        try options.validate(for: format, sampleRate: sampleRate)
        switch format {
        case .wav: return WAVStreamEncoder(sampleRate: sampleRate, options: options)
        case .pcm: return PCMStreamEncoder(sampleRate: sampleRate, options: options)
        case .mp3: return try MP3StreamEncoder(sampleRate: sampleRate, options: options)
        case .opus: return try OggOpusStreamEncoder(sampleRate: sampleRate, options: options)
        case .flac: return try FLACStreamEncoder(sampleRate: sampleRate, options: options)
        case .aac: return try AACStreamEncoder(sampleRate: sampleRate, options: options)
        }
    }

    /// Encodes a whole signal at once; the total is known, so WAV and FLAC headers
    /// carry the exact length.
    public static func encode(
        _ samples: [Float],
        format: AudioFormat,
        sampleRate: Int = defaultSampleRate,
        options: AudioEncoderOptions = .default
    ) throws -> [UInt8] {
        var known = options
        known.expectedSampleCount = samples.count
        let encoder = try make(format: format, sampleRate: sampleRate, options: known)
        var bytes = try encoder.encode(samples) + encoder.finish()
        if let header = encoder.seekableHeader(), header.count <= bytes.count {
            bytes.replaceSubrange(0..<header.count, with: header)
        }
        return bytes
    }
}

/// Bookkeeping every encoder shares: input count, finished flag, the announced total.
struct EncoderProgress {
    let format: AudioFormat
    let expectedSampleCount: Int?
    private(set) var sampleCount = 0
    private(set) var isFinished = false

    init(format: AudioFormat, expectedSampleCount: Int?) {
        self.format = format
        self.expectedSampleCount = expectedSampleCount
    }

    /// Records `count` more input samples; throws once the stream is finished.
    mutating func accept(_ count: Int) throws {
        if isFinished { throw AudioEncoderError.alreadyFinished(format: format) }
        sampleCount += count
    }

    /// Marks the stream finished; returns false when it already was.
    mutating func markFinished() -> Bool {
        defer { isFinished = true }
        return !isFinished
    }

    /// Throws when a total announced in the header differs from what was encoded.
    func checkExpectedCount() throws {
        if let expected = expectedSampleCount, expected != sampleCount {
            throw AudioEncoderError.sampleCountMismatch(expected: expected, actual: sampleCount)
        }
    }
}
