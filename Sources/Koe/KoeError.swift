/// Errors of the speech pipeline: the facts the pipeline itself owns. Facts of the layers
/// below are checked there, once, and reach the caller with their own type:
/// `TextError` (empty text, unknown language, lexicons) and `KokoroModelError` (unknown
/// voice, speed, phonemes, model files). Messages state the rule and the value received.
public enum KoeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text has characters but none of them can be spoken (only symbols Kokoro skips).
    case noSpeech(text: String)
    /// A voice expression that does not parse (`af_heart(2)+`).
    case badVoiceExpression(String, reason: String)
    /// A chunk limit below the smallest useful chunk or above Kokoro's 510 tokens.
    case badChunkLimit(Int, range: ClosedRange<Int>)

    public var description: String {
        switch self {
        case .noSpeech(let text):
            "the text yields no phonemes: nothing in \"\(text.prefix(60))\" can be spoken"
        case .badVoiceExpression(let expression, let reason):
            "cannot read the voice '\(expression)': \(reason) (use a name, a+b, a(2)+b(1) or a-b)"
        case .badChunkLimit(let limit, let range):
            "chunk limit \(limit) is out of range: it must be between \(range.lowerBound) and \(range.upperBound) phonemes"
        }
    }
}
