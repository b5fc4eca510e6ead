/// Errors of the phoneme-level engine: files, voices and inputs.
public enum KokoroEngineError: Error, Sendable, Equatable, CustomStringConvertible {
    case missingFile(String, hint: String)
    case badVocabulary(String, reason: String)
    case unknownVoice(String, available: [String])
    case unknownPhonemes([Vocabulary.UnknownSymbol])
    case noVoices(String)

    public var description: String {
        switch self {
        case .missingFile(let p, let hint): "missing file \(p): \(hint)"
        case .badVocabulary(let p, let r): "\(p) is not a Kokoro vocabulary: \(r)"
        case .unknownVoice(let v, let all):
            "unknown voice '\(v)'; available voices: \(all.joined(separator: ", "))"
        case .unknownPhonemes(let u):
            "\(u.count) symbol\(u.count == 1 ? " is" : "s are") not in Kokoro's phoneme vocabulary: "
                + u.prefix(20).map(\.description).joined(separator: ", ") + (u.count > 20 ? ", …" : "")
        case .noVoices(let p): "no voices found in \(p)"
        }
    }
}
