/// Every error of KokoroModel: the model files (ONNX weights, their cache, the vocabulary and
/// voice packs) and the inputs of a forward pass (voice, phonemes, speed, style, durations).
///
/// Each fact is checked in one place, and every message states the rule that was broken and
/// the value that was received.
public enum KokoroModelError: Error, Sendable, Equatable, CustomStringConvertible {
    // MARK: Files

    /// A file the engine needs is not there; `hint` says how to get it.
    case missingFile(path: String, hint: String)
    /// A file could not be opened or read.
    case unreadableFile(path: String, reason: String)
    /// The bytes are not a well-formed protobuf message (garbage, or a truncated download).
    case malformedProtobuf(path: String, offset: Int, reason: String)
    /// Well-formed protobuf, but not an ONNX `ModelProto` with a graph.
    case notAnONNXModel(path: String, reason: String)
    /// A valid ONNX model that is not Kokoro-82M v1.0.
    case notKokoroModel(path: String, reason: String)
    /// An initializer this loader cannot decode (external data, unsupported element type…).
    case unsupportedTensor(name: String, reason: String)
    /// Every problem found when checking the tensors against Kokoro-82M's manifest (a tensor
    /// the network needs is reported as missing here too).
    case weights(missing: [String], misShaped: [ShapeMismatch], unexpected: [String])
    /// A `vocab.json` that is not Kokoro's symbol table.
    case badVocabulary(path: String, reason: String)
    /// A voice file that cannot be used as a style table.
    case invalidVoiceFile(path: String, reason: String)
    /// A `.npy` array (or an entry of a `.npz`) that cannot be decoded.
    case invalidNPY(name: String, reason: String)
    /// Voice files that hold no voice at all.
    case noVoices(paths: [String])

    // MARK: Inputs of a forward pass

    /// A voice name absent from the loaded pack.
    case unknownVoice(String, available: [String])
    /// Symbols of a phoneme string that are not in Kokoro's vocabulary.
    case unknownPhonemes([Vocabulary.UnknownSymbol])
    /// An input with no phonemes at all.
    case emptyInput
    /// More tokens than the 512 position embeddings allow (two of them are the pads).
    case tooManyPhonemes(count: Int, limit: Int)
    /// A token id outside the 178-symbol vocabulary.
    case tokenOutOfRange(id: Int, position: Int)
    /// Speed outside the range the network supports.
    case speedOutOfRange(Float, allowed: ClosedRange<Float>)
    /// A style vector (or table) of the wrong width.
    case badStyle(count: Int, expected: Int)
    /// Forced durations that do not match the tokens.
    case badDurations(count: Int, expected: Int)

    /// One tensor whose shape differs from the one Kokoro-82M needs.
    public struct ShapeMismatch: Sendable, Equatable, CustomStringConvertible {
        public let name: String
        public let expected: [Int]
        public let actual: [Int]

        public init(name: String, expected: [Int], actual: [Int]) {
            self.name = name
            self.expected = expected
            self.actual = actual
        }

        public var description: String { "\(name): expected \(expected), got \(actual)" }
    }

    /// Whether the error is about the request (voice, phonemes, speed…) rather than the
    /// model files: an interface answers it as bad input.
    public var isInputError: Bool {
        switch self {
        case .unknownVoice, .unknownPhonemes, .emptyInput, .tooManyPhonemes, .tokenOutOfRange, .speedOutOfRange,
             .badStyle, .badDurations:
            true
        case .missingFile, .unreadableFile, .malformedProtobuf, .notAnONNXModel, .notKokoroModel, .unsupportedTensor,
             .weights, .badVocabulary, .invalidVoiceFile, .invalidNPY, .noVoices:
            false
        }
    }

    public var description: String {
        switch self {
        case .missingFile(let path, let hint):
            return "missing file \(path): \(hint)"
        case .unreadableFile(let path, let reason):
            return "cannot read '\(path)': \(reason)"
        case .malformedProtobuf(let path, let offset, let reason):
            return "'\(path)' is not a valid ONNX file (protobuf decoding failed at byte \(offset): \(reason));"
                + " the file may be truncated or corrupted, download it again"
        case .notAnONNXModel(let path, let reason):
            return "'\(path)' is not an ONNX model: \(reason)"
        case .notKokoroModel(let path, let reason):
            return "'\(path)' is not a Kokoro-82M model: \(reason)"
        case .unsupportedTensor(let name, let reason):
            return "initializer '\(name)' cannot be loaded: \(reason)"
        case .weights(let missing, let misShaped, let unexpected):
            return Self.describeWeights(missing: missing, misShaped: misShaped, unexpected: unexpected)
        case .badVocabulary(let path, let reason):
            return "\(path) is not a Kokoro vocabulary: \(reason)"
        case .invalidVoiceFile(let path, let reason):
            return "'\(path)' is not a usable voice file: \(reason)"
        case .invalidNPY(let name, let reason):
            return "cannot decode array '\(name)': \(reason)"
        case .noVoices(let paths):
            return "no voices found in \(paths.joined(separator: ", ")): a voice file must hold at least one style table"
        case .unknownVoice(let name, let available):
            let list = available.isEmpty ? "none loaded" : available.joined(separator: ", ")
            return "unknown voice '\(name)'; available voices: \(list)"
        case .unknownPhonemes(let u):
            return "\(u.count) symbol\(u.count == 1 ? " is" : "s are") not in Kokoro's phoneme vocabulary: "
                + u.prefix(20).map(\.description).joined(separator: ", ") + (u.count > 20 ? ", …" : "")
        case .emptyInput: return "no phonemes to speak: give at least one symbol"
        case .tooManyPhonemes(let c, let l): return "too many phonemes: \(c), the limit is \(l) per chunk (split longer text into chunks)"
        case .tokenOutOfRange(let id, let p): return "token id \(id) at position \(p) is outside the vocabulary (1...\(KokoroNetwork.vocabularySize - 1))"
        case .speedOutOfRange(let s, let r): return "speed \(s) is out of range: it must be between \(r.lowerBound) and \(r.upperBound)"
        case .badStyle(let c, let e): return "style vector has \(c) values, expected \(e) (or a table of rows of \(e))"
        case .badDurations(let c, let e):
            return "forced durations must be \(e) values of at least 1 frame (one per token, pads included), got \(c) values"
        }
    }

    private static func describeWeights(missing: [String], misShaped: [ShapeMismatch], unexpected: [String]) -> String {
        var lines = ["the model's weights do not match Kokoro-82M v1.0 (every expected tensor must be present with its exact shape):"]
        if !missing.isEmpty {
            lines.append("  \(missing.count) missing: " + missing.joined(separator: ", "))
        }
        if !misShaped.isEmpty {
            lines.append("  \(misShaped.count) mis-shaped: " + misShaped.map(\.description).joined(separator: "; "))
        }
        if !unexpected.isEmpty {
            lines.append("  \(unexpected.count) unexpected: " + unexpected.joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }
}
