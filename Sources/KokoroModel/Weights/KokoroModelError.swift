/// Errors raised while loading model files: the ONNX weights, their cache, and voice packs.
///
/// Every message states the rule that was broken and the value that was received.
public enum KokoroModelError: Error, Sendable, Equatable, CustomStringConvertible {
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
    /// Every problem found when checking the extracted tensors against Kokoro-82M's manifest.
    case weights(missing: [String], misShaped: [ShapeMismatch], unexpected: [String])
    /// A voice file that cannot be used as a style table.
    case invalidVoiceFile(path: String, reason: String)
    /// A `.npy` array (or an entry of a `.npz`) that cannot be decoded.
    case invalidNPY(name: String, reason: String)
    /// A voice name absent from the loaded pack.
    case unknownVoice(String, available: [String])

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

    public var description: String {
        switch self {
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
        case .invalidVoiceFile(let path, let reason):
            return "'\(path)' is not a usable voice file: \(reason)"
        case .invalidNPY(let name, let reason):
            return "cannot decode array '\(name)': \(reason)"
        case .unknownVoice(let name, let available):
            let list = available.isEmpty ? "none loaded" : available.joined(separator: ", ")
            return "unknown voice '\(name)'; available voices: \(list)"
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
