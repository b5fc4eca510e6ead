import Foundation
import Koe
import KoeAudio
import KoeText
import KokoroModel

/// A checked body of `/v1/audio/speech` and `/v1/audio/captioned_speech`: OpenAI's fields and
/// Kokoro-FastAPI's extras, every value validated before any work.
struct SpeechRequest: Sendable {
    /// Accepted and echoed in logs; any string works (the same model serves all names).
    var model: String
    var input: String
    /// The Koe voice expression after mapping OpenAI names and `{"id": …}`.
    var voice: String
    var format: AudioFormat
    /// The speed asked for (0.25-4.0) and the one the network uses (its range is narrower).
    var requestedSpeed: Double
    var speed: Float
    var streamFormat: StreamFormat
    /// Kokoro-FastAPI's `stream`: false sends the whole file at once.
    var stream: Bool
    var language: KoeLanguage?
    var volume: Float

    enum StreamFormat: String, Sendable, CaseIterable {
        case audio, sse
    }

    /// OpenAI's speed range; the network's narrower range is applied by clamping.
    static let speedRange = 0.25...4.0
    static let volumeRange = 0.0...10.0
    /// Kokoro-FastAPI's normalization switches. Koe's normaliser always runs in full, so they
    /// are checked for type and otherwise have no effect (documented).
    static let normalizationSwitches = [
        "normalize", "unit_normalization", "url_normalization", "email_normalization",
        "optional_pluralization_normalization", "phone_normalization", "replace_remaining_symbols",
    ]

    init(_ body: JSONObject, voices: VoiceCatalog, maxInputCharacters: Int) throws(APIError) {
        model = try body.string("model") ?? "kokoro"
        input = try body.requiredString("input")
        guard input.unicodeScalars.contains(where: { !$0.properties.isWhitespace && $0.value >= 0x20 }) else {
            throw .badRequest("'input' is empty: give at least one word to speak", param: "input", code: "empty_input")
        }
        let length = input.unicodeScalars.count
        guard length <= maxInputCharacters else {
            throw .badRequest("'input' has \(length) characters; the limit is \(maxInputCharacters)",
                              param: "input", code: "string_above_max_length")
        }
        _ = try body.string("instructions")  // accepted; Kokoro has no style prompt
        voice = try voices.resolve(try Self.voiceField(body))

        let formatName = try body.string("response_format") ?? AudioFormat.mp3.rawValue
        guard let format = AudioFormat(rawValue: formatName.lowercased()) else {
            throw .badRequest("unknown response_format '\(formatName)'; use one of \(AudioFormat.allCases.map(\.rawValue).joined(separator: ", "))",
                              param: "response_format")
        }
        self.format = format

        let speed = try body.number("speed") ?? 1
        guard Self.speedRange.contains(speed) else {
            throw .badRequest("speed \(speed) is out of range: it must be between 0.25 and 4.0", param: "speed")
        }
        requestedSpeed = speed
        self.speed = Self.networkSpeed(speed)

        let streamFormatName = try body.string("stream_format") ?? StreamFormat.audio.rawValue
        guard let streamFormat = StreamFormat(rawValue: streamFormatName) else {
            throw .badRequest("unknown stream_format '\(streamFormatName)'; use audio or sse", param: "stream_format")
        }
        self.streamFormat = streamFormat
        stream = try body.bool("stream") ?? true

        if let code = try body.string("lang_code"), !code.isEmpty {
            guard let language = KoeLanguage(code: code) else {
                throw .badRequest(TextError.unknownLanguage(code).description, param: "lang_code")
            }
            self.language = language
        }
        let volume = try body.number("volume_multiplier") ?? 1
        guard Self.volumeRange.contains(volume) else {
            throw .badRequest("volume_multiplier \(volume) is out of range: it must be between 0 and 10", param: "volume_multiplier")
        }
        self.volume = Float(volume)
        if let normalization = try body.object("normalization_options") {
            for key in Self.normalizationSwitches { _ = try normalization.bool(key) }
        }
        for key in ["return_download_link", "return_timing"] { _ = try body.bool(key) }
    }

    /// `voice` as a string, `{"id": …}` (OpenAI's custom-voice form), or absent (the default voice).
    static func voiceField(_ body: JSONObject) throws(APIError) -> String? {
        switch body.fields["voice"] {
        case nil, .null: return nil
        case .string(let s): return s
        case .object(let o):
            guard case .string(let id)? = o["id"] else {
                throw .badRequest("'voice' as an object needs a string 'id'", param: "voice", code: "invalid_type")
            }
            return id
        case let other?: throw JSONObject.typeError("voice", "a string or an object with 'id'", other)
        }
    }

    /// Kokoro divides its predicted durations by the speed, and its range is narrower than
    /// OpenAI's: speeds beyond it are clamped to its ends.
    static func networkSpeed(_ speed: Double) -> Float {
        let range = SpeechRequest.networkSpeedRange
        return min(max(Float(speed), range.lowerBound), range.upperBound)
    }

    static var networkSpeedRange: ClosedRange<Float> { KokoroNetwork.speedRange }

    /// The library options for this request.
    func options(threads: Int) -> SpeechOptions {
        SpeechOptions(voice: voice, speed: speed, language: language, threads: threads)
    }
}
