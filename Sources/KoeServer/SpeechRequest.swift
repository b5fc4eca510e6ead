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
    /// OpenAI's 0.25-4.0, which is Kokoro's range too.
    var speed: Float
    var streamFormat: StreamFormat
    /// Kokoro-FastAPI's `stream`: false sends the whole file at once.
    var stream: Bool
    var language: KoeLanguage?
    var volume: Float
    /// Kokoro-FastAPI's `normalization_options`, as the switches Koe's front end has.
    var normalization: TextNormalization

    enum StreamFormat: String, Sendable, CaseIterable {
        case audio, sse
    }

    static let volumeRange = 0.0...10.0
    /// Kokoro-FastAPI's normalization switches with no reading in Koe's front end (the others,
    /// `normalize`, `url_normalization`, `email_normalization` and `replace_remaining_symbols`,
    /// map onto ``TextNormalization``). Switches Koe's front end has no reading for: checked for type and otherwise without
    /// effect (documented). Koe reads units as written (`5 km`: "K M") and phone numbers as
    /// numbers, and leaves `(s)` as it is.
    static let ignoredNormalizationSwitches = ["unit_normalization", "phone_normalization", "optional_pluralization_normalization"]

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

        speed = try Self.speed(body)

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
        normalization = try Self.normalization(body)
        for key in ["return_download_link", "return_timing"] { _ = try body.bool(key) }
    }

    /// `normalization_options` as Koe's switches; absent switches keep their default (on), and
    /// `normalize: false` turns them all off. Every switch is type-checked.
    static func normalization(_ body: JSONObject) throws(APIError) -> TextNormalization {
        guard let options = try body.object("normalization_options") else { return .default }
        for key in ignoredNormalizationSwitches { _ = try options.bool(key) }
        let switches = TextNormalization(urls: try options.bool("url_normalization") ?? true,
                                         emails: try options.bool("email_normalization") ?? true,
                                         symbols: try options.bool("replace_remaining_symbols") ?? true)
        return try options.bool("normalize") == false ? .none : switches
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

    /// `speed` (default 1) within Kokoro's range, the one check the library makes.
    static func speed(_ body: JSONObject) throws(APIError) -> Float {
        let speed = Float(try body.number("speed") ?? 1)
        do { try KokoroNetwork.checkSpeed(speed) } catch { throw .badRequest("\(error)", param: "speed") }
        return speed
    }

    /// The library options for this request: a streamed response starts early (its first
    /// chunk in pieces), a whole file is rendered in one pass per chunk.
    func options(threads: Int) -> SpeechOptions {
        SpeechOptions(voice: voice, speed: speed, language: language, threads: threads,
                      earlyFirstAudio: stream && SpeechOptions.defaultEarlyFirstAudio, normalization: normalization)
    }
}
