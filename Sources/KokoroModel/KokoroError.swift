/// Errors raised when running the network on a request.
public enum KokoroError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A tensor the network needs is absent from the loaded weights.
    case missingWeight(String)
    /// More tokens than the 512 position embeddings allow (two of them are the pads).
    case tooManyPhonemes(count: Int, limit: Int)
    /// An input with no phonemes at all.
    case emptyInput
    /// A token id outside the 178-symbol vocabulary.
    case tokenOutOfRange(id: Int, position: Int)
    /// Speed outside the supported range.
    case speedOutOfRange(Float, allowed: ClosedRange<Float>)
    /// A style vector of the wrong width.
    case badStyle(count: Int, expected: Int)
    /// Forced durations that do not match the tokens.
    case badDurations(count: Int, expected: Int)

    public var description: String {
        switch self {
        case .missingWeight(let n): "the model has no tensor '\(n)'"
        case .tooManyPhonemes(let c, let l): "too many phonemes: \(c), the limit is \(l) per chunk (split longer text into chunks)"
        case .emptyInput: "no phonemes to speak"
        case .tokenOutOfRange(let id, let p): "token id \(id) at position \(p) is outside the vocabulary (1...177)"
        case .speedOutOfRange(let s, let r): "speed \(s) is out of range: it must be between \(r.lowerBound) and \(r.upperBound)"
        case .badStyle(let c, let e): "style vector has \(c) values, expected \(e)"
        case .badDurations(let c, let e): "\(c) forced durations given for \(e) tokens"
        }
    }
}
