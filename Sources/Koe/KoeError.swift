/// Errors of the speech pipeline. Messages state the rule and the value received.
public enum KoeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text is empty or only whitespace.
    case emptyText
    /// The text has characters but none of them can be spoken (only symbols Kokoro skips).
    case noSpeech(text: String)
    /// A voice expression that does not parse (`af_heart(2)+`).
    case badVoiceExpression(String, reason: String)
    /// A voice name that is in none of the loaded voice files.
    case unknownVoice(String, available: [String])
    /// Speed outside Kokoro's range.
    case speedOutOfRange(Float, range: ClosedRange<Float>)
    /// A chunk limit below the smallest useful chunk or above Kokoro's 510 tokens.
    case badChunkLimit(Int, range: ClosedRange<Int>)

    public var description: String {
        switch self {
        case .emptyText:
            "the text is empty: give at least one word to speak"
        case .noSpeech(let text):
            "the text yields no phonemes: nothing in \"\(text.prefix(60))\" can be spoken"
        case .badVoiceExpression(let expression, let reason):
            "cannot read the voice '\(expression)': \(reason) (use a name, a+b, a(2)+b(1) or a-b)"
        case .unknownVoice(let name, let available):
            "unknown voice '\(name)'; available voices: \(available.joined(separator: ", "))"
        case .speedOutOfRange(let speed, let range):
            "speed \(speed) is out of range: it must be between \(range.lowerBound) and \(range.upperBound)"
        case .badChunkLimit(let limit, let range):
            "chunk limit \(limit) is out of range: it must be between \(range.lowerBound) and \(range.upperBound) phonemes"
        }
    }
}
