import KoeText
import KokoroModel

/// What an interface (the HTTP server, a daemon) needs from a speech engine: voices, the
/// output rate, streamed speech from text, and Kokoro-FastAPI's phoneme routes.
///
/// ``SpeechSynthesizer`` conforms; interface tests conform a fake that emits chunks without
/// model files.
public protocol SpeechSynthesizing: Sendable {
    /// Output sample rate in Hz (24 000 for Kokoro).
    var sampleRate: Int { get }
    /// Voice names that can be used alone or in blends, sorted.
    var voices: [String] { get }
    /// The voice used when a request names none.
    var defaultVoice: String { get }
    /// Where the forward passes of ``stream(_:options:)`` run and streams are admitted: an
    /// interface reads its statistics (queue depth), and runs ``phonemize(_:options:)`` and
    /// ``speak(phonemes:options:)`` on it with a ticket of their own.
    var lane: ComputeLane { get }
    /// Audio chunks in order, then a summary; errors on bad input come from the first
    /// iteration, before any audio. Dropping the iterator stops synthesis before the next chunk.
    func stream(_ text: String, options: SpeechOptions) -> AsyncThrowingStream<SpeechEvent, Error>
    /// Text to Kokoro phonemes in the language `options` selects (its `language`, else its voice's).
    func phonemize(_ text: String, options: SpeechOptions) throws -> PhonemizedText
    /// One forward pass on Kokoro phonemes (at most 510 symbols) with the voice and speed of
    /// `options`. Synchronous compute: callers run it on ``lane``, off the cooperative pool.
    func speak(phonemes: String, options: SpeechOptions) throws -> PhonemeSpeech
}

/// Phonemes for a text and their token ids in Kokoro's vocabulary.
public struct PhonemizedText: Sendable, Equatable, Codable {
    public var phonemes: String
    public var tokens: [Int]

    public init(phonemes: String, tokens: [Int]) {
        self.phonemes = phonemes
        self.tokens = tokens
    }
}

/// Audio for a phoneme string: samples at the synthesizer's rate and frames of 600 samples per token.
public struct PhonemeSpeech: Sendable, Equatable {
    public var samples: [Float]
    /// Frames per token, the two boundary pads included.
    public var durations: [Int]

    public init(samples: [Float], durations: [Int]) {
        self.samples = samples
        self.durations = durations
    }
}

extension SpeechSynthesizer: SpeechSynthesizing {
    public func phonemize(_ text: String, options: SpeechOptions) throws -> PhonemizedText {
        let g2p = try frontEnd(for: try language(for: options))
        let phonemes = try g2p.phonemize(text, normalization: options.normalization).phonemes
        return PhonemizedText(phonemes: phonemes, tokens: try engine.vocabulary.encode(phonemes))
    }

    public func speak(phonemes: String, options: SpeechOptions) throws -> PhonemeSpeech {
        let voice = try VoiceBlend(options.voice ?? defaultVoice).engineVoice(in: engine.voices)
        let result = try engine.synthesize(phonemes: phonemes, voice: voice, speed: options.speed, threads: options.threads)
        return PhonemeSpeech(samples: result.audio, durations: result.durations)
    }
}
