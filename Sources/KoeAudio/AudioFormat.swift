/// An audio container/codec Koe can stream, named as OpenAI's `response_format` names it.
///
/// Each format is produced by a streaming ``AudioEncoder`` made by ``AudioEncoderFactory``;
/// 32-bit float WAV is ``wav`` with ``AudioEncoderOptions/wavSampleFormat`` set to
/// ``WAVSampleFormat/float32``.
public enum AudioFormat: String, Sendable, CaseIterable, Codable {
    /// RIFF WAVE, 16-bit PCM by default (32-bit IEEE float on request).
    case wav
    /// Headerless signed 16-bit little-endian PCM, mono.
    case pcm
    /// MPEG-1/2 Layer III through LAME.
    case mp3
    /// Opus in an Ogg container (RFC 7845).
    case opus
    /// Free Lossless Audio Codec, native FLAC stream.
    case flac
    /// AAC-LC in ADTS frames, through libavcodec's native encoder.
    case aac

    /// Recognises a file extension or common alias, case-insensitively and with or
    /// without a leading dot: `wav`/`wave`, `pcm`/`raw`/`s16le`, `mp3`, `opus`/`ogg`/`oga`, `flac`, `aac`/`adts`.
    public init?(fileExtension: String) {
        var ext = fileExtension.lowercased()
        if ext.hasPrefix(".") { ext.removeFirst() }
        switch ext {
        case "wav", "wave": self = .wav
        case "pcm", "raw", "s16le", "l16": self = .pcm
        case "mp3": self = .mp3
        case "opus", "ogg", "oga": self = .opus
        case "flac": self = .flac
        case "aac", "adts": self = .aac
        default: return nil
        }
    }

    /// The MIME type an HTTP server sends for this format, e.g. `audio/mpeg`.
    ///
    /// `pcm` is `audio/L16`; see ``contentType(sampleRate:)`` for the form with parameters.
    public var mimeType: String {
        switch self {
        case .wav: "audio/wav"
        case .pcm: "audio/L16"
        case .mp3: "audio/mpeg"
        case .opus: "audio/ogg"
        case .flac: "audio/flac"
        case .aac: "audio/aac"
        }
    }

    /// A `Content-Type` value; for headerless `pcm` it carries the rate and channel
    /// count (`audio/L16; rate=24000; channels=1`, RFC 2586), which a client cannot read from the body.
    public func contentType(sampleRate: Int) -> String {
        switch self {
        case .pcm: "audio/L16; rate=\(sampleRate); channels=1"
        default: mimeType
        }
    }

    /// The usual file extension, without the dot (`opus` files are Ogg Opus).
    public var fileExtension: String { rawValue }

    /// Whether decoding gives back exactly the quantised samples that were encoded.
    public var isLossless: Bool {
        switch self {
        case .wav, .pcm, .flac: true
        case .mp3, .opus, .aac: false
        }
    }
}
