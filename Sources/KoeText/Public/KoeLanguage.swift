/// A language Kokoro speaks, named by Kokoro's one-letter language code.
public enum KoeLanguage: String, Sendable, CaseIterable, Codable {
    case americanEnglish = "a"
    case britishEnglish = "b"
    case spanish = "e"
    case french = "f"
    case hindi = "h"
    case italian = "i"
    case japanese = "j"
    case portuguese = "p"

    /// The language of a Kokoro voice, from the first letter of its name
    /// (`af_heart` → American English, `bm_george` → British English, `ef_dora` → Spanish).
    /// `jf_alpha` → Japanese. Returns nil for voices of languages Koe does not phonemize
    /// (Chinese `z`).
    public init?(voiceName: String) {
        guard let first = voiceName.trimmingWhitespace().first else { return nil }
        self.init(rawValue: String(first).lowercased())
    }

    /// The language named by a Kokoro code (`a`), an espeak-style code (`en-us`, `fr`)
    /// or an English name (`french`), case-insensitively.
    public init?(code: String) {
        let key = code.trimmingWhitespace().lowercased().replacingOccurrences(of: "_", with: "-")
        if let language = KoeLanguage(rawValue: key) {
            self = language
            return
        }
        switch key {
        case "en-us", "en", "american", "american-english", "english": self = .americanEnglish
        case "en-gb", "british", "british-english": self = .britishEnglish
        case "es", "spanish": self = .spanish
        case "fr", "fr-fr", "french": self = .french
        case "hi", "hindi": self = .hindi
        case "it", "italian": self = .italian
        case "ja", "ja-jp", "jp", "japanese": self = .japanese
        case "pt", "pt-br", "portuguese", "brazilian-portuguese": self = .portuguese
        default: return nil
        }
    }

    /// The language named by `code` (see ``init(code:)``).
    /// - Throws: ``TextError/unknownLanguage(_:)`` naming the code and the accepted ones.
    public static func parse(_ code: String) throws -> KoeLanguage {
        guard let language = KoeLanguage(code: code) else { throw TextError.unknownLanguage(code) }
        return language
    }

    /// The language of a Kokoro voice (see ``init(voiceName:)``).
    /// - Throws: ``TextError/unknownLanguage(_:)`` naming the voice's first letter.
    public static func parse(voice: String) throws -> KoeLanguage {
        guard let language = KoeLanguage(voiceName: voice) else { throw TextError.unknownLanguage(String(voice.prefix(1))) }
        return language
    }

    /// Whether the language uses misaki's English lexicons (otherwise espeak-ng alone, or
    /// for Japanese MeCab with UniDic).
    public var isEnglish: Bool { self == .americanEnglish || self == .britishEnglish }

    /// The espeak-ng language used for this language, as Kokoro's pipeline chooses it.
    public var espeakLanguage: String {
        switch self {
        case .americanEnglish: "en-us"
        case .britishEnglish: "en-gb"
        case .spanish: "es"
        case .french: "fr-fr"
        case .hindi: "hi"
        case .italian: "it"
        case .japanese: "ja"
        case .portuguese: "pt-br"
        }
    }
}
