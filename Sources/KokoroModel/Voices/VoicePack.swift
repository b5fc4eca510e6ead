import KoeCompute

/// Kokoro voices: for each voice name, a style table `[rows, 256]` (510 rows in the
/// released packs). Row `n − 1` is the style for an utterance of `n` phonemes; its first 128
/// values condition the decoder, the last 128 the prosody predictor.
///
/// Immutable and shared between requests.
public struct VoicePack: Sendable {
    /// Width of one style row.
    public static let styleWidth = 256

    /// Style tables by voice name, each `[rows, 256]`.
    public let voices: [String: Tensor]

    /// A pack from style tables; each must be `[rows, 256]` with at least one row.
    ///
    /// - Throws: `KokoroModelError.invalidVoiceFile` naming the first table of another shape.
    public init(voices: [String: Tensor]) throws {
        for (name, table) in voices {
            guard table.rank == 2, table.shape[0] >= 1, table.shape[1] == Self.styleWidth else {
                throw KokoroModelError.invalidVoiceFile(
                    path: name, reason: "style table has shape \(table.shape), expected [rows, \(Self.styleWidth)] with rows ≥ 1")
            }
        }
        self.voices = voices
    }

    /// Voice names, sorted.
    public var names: [String] { voices.keys.sorted() }

    /// The style table `[rows, 256]` of `voice`.
    ///
    /// - Throws: `KokoroModelError.unknownVoice` listing the available voices.
    public func table(for voice: String) throws -> Tensor {
        guard let table = voices[voice] else { throw KokoroModelError.unknownVoice(voice, available: names) }
        return table
    }

    /// The 256-value style row for an utterance of `n` phonemes: row `n − 1`, clamped to the
    /// table (hexgrad's `pack[len(phonemes) - 1]`).
    ///
    /// - Throws: `KokoroModelError.unknownVoice` listing the available voices.
    public func style(for voice: String, phonemeCount n: Int) throws -> [Float] {
        let table = try table(for: voice)
        let row = Self.row(forPhonemeCount: n, rows: table.shape[0])
        let w = Self.styleWidth
        return Array(table.data[(row * w)..<((row + 1) * w)])
    }

    /// `min(max(n − 1, 0), rows − 1)`.
    static func row(forPhonemeCount n: Int, rows: Int) -> Int {
        min(max(n - 1, 0), rows - 1)
    }

    /// This pack with the voices of `other` added; `other` wins on equal names.
    public func merging(_ other: VoicePack) -> VoicePack {
        // Both packs were validated, so the union needs no checks.
        VoicePack(validated: voices.merging(other.voices) { _, new in new })
    }

    init(validated voices: [String: Tensor]) {
        self.voices = voices
    }
}
