import Koe

/// The voices a server offers: the synthesizer's own, OpenAI's names mapped onto them, and
/// the descriptions `/v1/audio/voices` lists.
struct VoiceCatalog: Sendable {
    let voices: [String]
    let defaultVoice: String

    /// OpenAI's built-in voices and the Kokoro voice each stands for (Kokoro-FastAPI's idea,
    /// Koe's own table). A mapped voice that is not loaded falls back to `af_heart` when it is,
    /// else to the server's default voice.
    static let openAIVoices: [(openAI: String, kokoro: String)] = [
        ("alloy", "af_alloy"), ("ash", "am_adam"), ("ballad", "bm_lewis"), ("coral", "af_jessica"),
        ("echo", "am_echo"), ("fable", "bm_fable"), ("onyx", "am_onyx"), ("nova", "af_nova"),
        ("sage", "af_sarah"), ("shimmer", "af_bella"), ("verse", "am_michael"), ("marin", "af_heart"),
        ("cedar", "am_liam"),
    ]

    /// Kokoro's language letters, as BCP 47 tags.
    static let languages: [Character: String] = [
        "a": "en-US", "b": "en-GB", "e": "es", "f": "fr", "h": "hi", "i": "it", "j": "ja", "p": "pt-BR", "z": "zh",
    ]

    init(voices: [String], defaultVoice: String) {
        self.voices = voices
        self.defaultVoice = defaultVoice
    }

    /// The loaded voice an OpenAI name stands for, or nil when `name` is not one of OpenAI's.
    func openAIVoice(_ name: String) -> String? {
        guard let entry = Self.openAIVoices.first(where: { $0.openAI == name.lowercased() }) else { return nil }
        if voices.contains(entry.kokoro) { return entry.kokoro }
        return voices.contains("af_heart") ? "af_heart" : defaultVoice
    }

    /// A request's voice as a Koe expression: absent → the default; each name of a blend
    /// checked against the loaded voices (OpenAI names mapped), so a bad voice is a 400
    /// that lists the valid ones before any work starts.
    func resolve(_ expression: String?) throws(APIError) -> String {
        guard let expression else { return defaultVoice }
        let blend: VoiceBlend
        do {
            blend = try VoiceBlend(expression)
        } catch {
            throw .badRequest("\(error)", param: "voice", code: "invalid_voice")
        }
        var terms = blend.terms
        for k in terms.indices where !voices.contains(terms[k].name) {
            guard let mapped = openAIVoice(terms[k].name) else {
                let openAI = Self.openAIVoices.map(\.openAI).joined(separator: ", ")
                throw .badRequest("unknown voice '\(terms[k].name)'; available voices: \(voices.joined(separator: ", ")) (and OpenAI's \(openAI))",
                                  param: "voice", code: "invalid_voice")
            }
            terms[k].name = mapped
        }
        var resolved = blend
        resolved.terms = terms
        return resolved.terms == blend.terms ? expression : resolved.description
    }

    /// One entry of `/v1/audio/voices`.
    struct Entry: Encodable, Sendable {
        var id: String
        var name: String
        var language: String
        var gender: String
    }

    var entries: [Entry] {
        voices.map { id in
            let letters = Array(id)
            let language = letters.first.flatMap { Self.languages[$0] } ?? "und"
            let gender = letters.count > 1 ? (letters[1] == "f" ? "female" : letters[1] == "m" ? "male" : "unknown") : "unknown"
            let base = id.split(separator: "_", maxSplits: 1).last.map(String.init) ?? id
            return Entry(id: id, name: base.prefix(1).uppercased() + base.dropFirst(), language: language, gender: gender)
        }
    }
}
