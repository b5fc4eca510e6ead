import Foundation
import KoeText
import KokoroModel

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
    /// Early first audio unless `KOE_EARLY_FIRST_AUDIO=0` (every chunk one pass, exactly).
    public static let defaultEarlyFirstAudio = ProcessInfo.processInfo.environment["KOE_EARLY_FIRST_AUDIO"] != "0"
    /// The range a chunk limit may take (Kokoro's limit is 510 tokens per pass).
    public static let chunkLimitRange = 16...510

    /// A voice name or blend expression (`af_heart`, `af_heart(2)+af_bella(1)`);
    /// nil picks the engine's default voice.
    public var voice: String?
    /// Speaking rate, within `KokoroNetwork.speedRange`.
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
    /// Whether a stream's first chunk may come in pieces, so that audio starts after a
    /// fraction of the chunk's compute: its first moments rendered on their own (close to,
    /// not the same as, the one pass), the rest from the one pass, crossfaded; durations and
    /// timestamps unchanged. ``SpeechSynthesizer/synthesize(_:options:)`` always renders in one pass,
    /// and so does a stream that shares the compute lane with others: its pieces would wait for
    /// their chunks' turns anyway, and would cost them throughput.
    public var earlyFirstAudio: Bool
    /// Whether the consumer drops the stream's leading pause (Kokoro's opening pad, about a
    /// quarter of a second), as the daemon does to start speaking sooner: early pieces are then
    /// sized from the end of that pause, so that the first one holds speech to play while the
    /// next renders. The audio and timestamps are the same either way.
    public var skipsLeadingPause = false
    /// Which readings of addresses and symbols the text front end applies (all by default).
    public var normalization: TextNormalization

    public init(
        voice: String? = nil,
        speed: Float = SpeechOptions.defaultSpeed,
        language: KoeLanguage? = nil,
        threads: Int = SpeechOptions.defaultThreads,
        firstChunkLimit: Int = SpeechOptions.defaultFirstChunkLimit,
        chunkTarget: Int = SpeechOptions.defaultChunkTarget,
        earlyFirstAudio: Bool = SpeechOptions.defaultEarlyFirstAudio,
        normalization: TextNormalization = .default
    ) {
        self.voice = voice
        self.speed = speed
        self.language = language
        self.threads = threads
        self.firstChunkLimit = firstChunkLimit
        self.chunkTarget = chunkTarget
        self.normalization = normalization
        self.earlyFirstAudio = earlyFirstAudio
    }

    /// Checks the speed and chunk limits (cheap: no model needed), as every stream does
    /// before any work.
    /// - Throws: `KokoroModelError.speedOutOfRange` or ``KoeError/badChunkLimit(_:range:)``.
    public func validate() throws {
        try KokoroNetwork.checkSpeed(speed)
        for limit in [firstChunkLimit, chunkTarget] where !Self.chunkLimitRange.contains(limit) {
            throw KoeError.badChunkLimit(limit, range: Self.chunkLimitRange)
        }
    }
}
