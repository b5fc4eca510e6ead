/// Errors of the text front end. Messages state the rule and the value received.
public enum TextError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The text is empty or contains nothing but whitespace and control characters.
    case emptyText
    /// A misaki lexicon file is missing (run `scripts/provision.sh`).
    case lexiconMissing(path: String)
    /// A lexicon file is not a JSON object of `word: phonemes` (or `word: {tag: phonemes}`).
    case lexiconMalformed(path: String, reason: String)
    /// A user lexicon line could not be read.
    case userLexiconMalformed(path: String, line: Int, reason: String)
    /// libespeak-ng could not be initialised or has no voice for a language.
    case espeakUnavailable(reason: String)
    /// A language code that is not one of Kokoro's (`a b e f h i j p`).
    case unknownLanguage(String)
    /// The Japanese dictionary (UniDic from unidic-lite) or word list is missing.
    case dictionaryMissing(path: String)
    /// MeCab could not be opened over the dictionary.
    case tokenizerUnavailable(reason: String)

    /// Throws ``emptyText`` for a text of nothing but whitespace and control characters:
    /// the one check of that rule, used by every front end and by the speech pipeline.
    public static func requireContent(_ text: String) throws {
        try requireContent(text.unicodeScalars)
    }

    static func requireContent(_ scalars: some Sequence<Unicode.Scalar>) throws {
        guard scalars.contains(where: { !$0.isWhitespaceLike }) else { throw TextError.emptyText }
    }

    public var description: String {
        switch self {
        case .emptyText:
            "the text is empty: give at least one letter, digit or symbol to speak"
        case .lexiconMissing(let path):
            "misaki lexicon not found at \(path): run scripts/provision.sh (or set KOE_HOME)"
        case .lexiconMalformed(let path, let reason):
            "lexicon \(path) is not a JSON object of word -> phonemes: \(reason)"
        case .userLexiconMalformed(let path, let line, let reason):
            "user lexicon \(path), line \(line): \(reason) (expected `word<TAB>phonemes` or a JSON object)"
        case .espeakUnavailable(let reason):
            "espeak-ng is unavailable: \(reason) (install libespeak-ng1 and espeak-ng-data)"
        case .unknownLanguage(let code):
            "unknown language \"\(code)\": use one of a (American English), b (British English), e, f, h, i, j (Japanese), p"
        case .dictionaryMissing(let path):
            "Japanese dictionary not found at \(path): run scripts/provision.sh (or set KOE_HOME)"
        case .tokenizerUnavailable(let reason):
            "the Japanese tokenizer is unavailable: \(reason) (install libmecab2 and run scripts/provision.sh)"
        }
    }
}
