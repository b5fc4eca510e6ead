import Foundation
import Hummingbird
import Koe
import KoeAudio
import KoeText

/// Kokoro-FastAPI's `/dev/phonemize` and `/dev/generate_from_phonemes`.
struct DevRoutes {
    let state: ServerState
    /// Kokoro's limit per forward pass.
    static let maxPhonemes = 510

    func register(on router: Router<KoeRequestContext>) {
        router.post("/dev/phonemize") { request, _ in try await phonemize(request) }
        router.post("/dev/generate_from_phonemes") { request, _ in try await generate(request) }
    }

    /// `{"text", "language"}` → `{"phonemes", "tokens"}`.
    func phonemize(_ request: Request) async throws -> Response {
        let (synthesizer, catalog) = try state.slot.ready()
        let body = try await request.jsonObject()
        let text = try body.requiredString("text")
        guard text.unicodeScalars.count <= state.configuration.maxInputCharacters else {
            throw APIError.badRequest("'text' has \(text.unicodeScalars.count) characters; the limit is \(state.configuration.maxInputCharacters)",
                                      param: "text", code: "string_above_max_length")
        }
        var options = SpeechOptions(voice: catalog.defaultVoice)
        if let code = try body.string("language") ?? body.string("lang_code") {
            guard let language = KoeLanguage(code: code) else {
                throw APIError.badRequest(TextError.unknownLanguage(code).description, param: "language")
            }
            options.language = language
        }
        let result: PhonemizedText
        do {
            let options = options
            result = try await ServerState.onLane(of: synthesizer) { _ in try synthesizer.phonemize(text, options: options) }
        } catch {
            var e = APIError(library: error)
            if e.param == "input" { e.param = "text" }
            throw e
        }
        return try JSONCoding.response(result)
    }

    /// `{"phonemes", "voice", "speed", "response_format"}` → the audio (WAV by default), whole.
    func generate(_ request: Request) async throws -> Response {
        let (synthesizer, catalog) = try state.slot.ready()
        let body = try await request.jsonObject()
        let phonemes = try body.requiredString("phonemes")
        let count = phonemes.unicodeScalars.count
        guard count > 0, phonemes.unicodeScalars.contains(where: { !$0.properties.isWhitespace }) else {
            throw APIError.badRequest("'phonemes' is empty", param: "phonemes", code: "empty_input")
        }
        guard count <= Self.maxPhonemes else {
            throw APIError.badRequest("'phonemes' has \(count) symbols; Kokoro speaks at most \(Self.maxPhonemes) in one pass", param: "phonemes")
        }
        let voice = try catalog.resolve(try SpeechRequest.voiceField(body))
        let speed = try SpeechRequest.speed(body)
        let formatName = try body.string("response_format") ?? AudioFormat.wav.rawValue
        guard let format = AudioFormat(rawValue: formatName.lowercased()) else {
            throw APIError.badRequest("unknown response_format '\(formatName)'; use one of \(AudioFormat.allCases.map(\.rawValue).joined(separator: ", "))",
                                      param: "response_format")
        }
        let options = SpeechOptions(voice: voice, speed: speed, threads: state.configuration.threadsPerPass)
        let bytes: [UInt8]
        do {
            bytes = try await ServerState.onLane(of: synthesizer) { _ in
                let speech = try synthesizer.speak(phonemes: phonemes, options: options)
                return try AudioEncoderFactory.encode(speech.samples, format: format, sampleRate: synthesizer.sampleRate,
                                                      options: AudioEncoderOptions(mp3InfoTag: true))
            }
        } catch {
            throw APIError(library: error)
        }
        return Response(status: .ok, headers: [.contentType: format.contentType(sampleRate: synthesizer.sampleRate)],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
