import Foundation
import KoeText

/// How to speak a text. Defaults are `static let` constants shared with the CLI and server.
public struct SpeechOptions: Sendable, Codable, Equatable {
    /// Default speaking rate.
    public static let defaultSpeed: Float = 1.0
    /// Phonemes in the first chunk at most: a short first chunk starts playback sooner.
    public static let defaultFirstChunkLimit = 100
    /// Later chunks join whole sentences up to this many phonemes.
    public static let defaultChunkTarget = 300
    /// Compute threads per chunk: every core of this machine.
    public static let defaultThreads = max(1, ProcessInfo.processInfo.activeProcessorCount)
    /// The range a chunk limit may take (Kokoro's limit is 510 tokens per pass).
    public static let chunkLimitRange = 16...510

    /// A voice name or blend expression (`af_heart`, `af_heart(2)+af_bella(1)`);
    /// nil picks the engine's default voice.
    public var voice: String?
    /// Speaking rate, 0.25 to 4.0 (`KokoroNetwork.speedRange`).
    public var speed: Float
    /// The text's language; nil takes it from the voice's first letter (American English for
    /// voices of languages without a text front end here, such as Japanese).
    public var language: KoeLanguage?
    /// Compute threads per chunk.
    public var threads: Int
    /// Phonemes in the first chunk at most (cut at a clause, else between words).
    public var firstChunkLimit: Int
    /// Later chunks join whole sentences up to this many phonemes; a longer sentence is cut
    /// at clauses below Kokoro's 510.
    public var chunkTarget: Int
    /// Which readings of addresses and symbols the text front end applies (all by default).
    public var normalization: TextNormalization

    public init(
        voice: String? = nil,
        speed: Float = SpeechOptions.defaultSpeed,
        language: KoeLanguage? = nil,
        threads: Int = SpeechOptions.defaultThreads,
        firstChunkLimit: Int = SpeechOptions.defaultFirstChunkLimit,
        chunkTarget: Int = SpeechOptions.defaultChunkTarget,
        normalization: TextNormalization = .default
    ) {
        self.voice = voice
        self.speed = speed
        self.language = language
        self.threads = threads
        self.firstChunkLimit = firstChunkLimit
        self.chunkTarget = chunkTarget
        self.normalization = normalization
    }
}
