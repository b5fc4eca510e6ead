import Foundation
import KoeCompute
import KoeText
import KokoroModel
import Logging

/// Text in, streamed 24 kHz speech with exact word and sentence timestamps out.
///
/// Load once and share: the network, voices and text front ends are immutable, and every
/// stream keeps its own state, so any number of tasks may speak at once.
///
/// ```swift
/// let koe = try SpeechSynthesizer()
/// for try await event in koe.stream("Hello there. How are you?") {
///     if case .audio(let chunk) = event { play(chunk.samples) }
/// }
/// ```
public final class SpeechSynthesizer: Sendable {
    /// The phoneme-level engine; interfaces use the synthesizer's own API (``voices``,
    /// ``stream(_:options:)``, ``speak(phonemes:options:)``…).
    let engine: KokoroEngine
    /// Where forward passes run: dedicated threads, shared fairly by every stream.
    public let lane: ComputeLane
    private let frontEnds: FrontEndCache
    private let logger: Logger
    /// Replaces the network in tests that need many chunks quickly (a 20 000-word book).
    let forwardPass: ForwardPass?
    /// How fast the generator renders on this machine, from the passes so far: it sizes the
    /// early pieces of a stream's first chunk.
    let pace = GeneratorPace()
    /// The same for the head pieces of early first audio (short renders cost more per second).
    let piecePace = GeneratorPace()
    /// The generator's statistics from the last one pass of each voice: early pieces are
    /// pulled toward them.
    let priors = StatisticsPriors()

    /// Token ids, voice, speed and threads in; audio and per-token durations (pads included) out.
    typealias ForwardPass = @Sendable ([Int], KokoroEngine.Voice, Float, Int) throws -> (audio: [Float], durations: [Int])

    /// What one forward pass returns to the pipeline.
    struct PassResult: Sendable {
        var audio: [Float]
        var durations: [Int]
        var timings: StageTimings
    }

    /// Loads the model, voices and text front end from `files` (default: the provisioned
    /// files under `$KOE_HOME`, see ``ModelFiles/locate(model:voices:)``).
    public convenience init(
        files: ModelFiles? = nil,
        lexiconDirectory: URL = G2P.defaultLexiconDirectory,
        userLexicon: URL? = nil,
        lane: ComputeLane = ComputeLane(),
        logger: Logger = Logger(label: "koe")
    ) throws {
        let engine = try KokoroEngine(files: files ?? ModelFiles.locate(), logger: logger)
        self.init(engine: engine, lexiconDirectory: lexiconDirectory, userLexicon: userLexicon, lane: lane, logger: logger)
    }

    /// Speaks through an engine that is already loaded.
    public convenience init(
        engine: KokoroEngine,
        lexiconDirectory: URL = G2P.defaultLexiconDirectory,
        userLexicon: URL? = nil,
        lane: ComputeLane = ComputeLane(),
        logger: Logger = Logger(label: "koe")
    ) {
        self.init(engine: engine, lexiconDirectory: lexiconDirectory, userLexicon: userLexicon, lane: lane, logger: logger,
                  forwardPass: nil)
    }

    init(engine: KokoroEngine, lexiconDirectory: URL, userLexicon: URL?, lane: ComputeLane = ComputeLane(), logger: Logger,
         forwardPass: ForwardPass?) {
        self.engine = engine
        self.lane = lane
        self.logger = logger
        self.forwardPass = forwardPass
        frontEnds = FrontEndCache(lexiconDirectory: lexiconDirectory, userLexicon: userLexicon, logger: logger)
    }

    /// Output sample rate (24 000 Hz).
    public var sampleRate: Int { KokoroNetwork.sampleRate }

    /// Voice names from the loaded voice files, sorted.
    public var voices: [String] { engine.voices.names }

    /// `af_heart` when loaded, else the first voice.
    public var defaultVoice: String { engine.defaultVoice }

    /// The language used for `options`: the one given, else the voice's (its first letter),
    /// else American English for voices whose language has no text front end here.
    public func language(for options: SpeechOptions) throws -> KoeLanguage {
        Self.language(options, voice: try VoiceBlend(options.voice ?? defaultVoice))
    }

    private static func language(_ options: SpeechOptions, voice: VoiceBlend) -> KoeLanguage {
        options.language ?? KoeLanguage(voiceName: voice.primaryName) ?? .americanEnglish
    }

    /// The text front end for a language (created once, then shared).
    public func frontEnd(for language: KoeLanguage) throws -> G2P {
        try frontEnds.get(language)
    }

    /// The style table `[rows, 256]` of a voice name or blend expression.
    public func styleTable(voice expression: String) throws -> Tensor {
        try VoiceBlend(expression).styleTable(from: engine.voices)
    }

    /// The test's stand-in for the network, on the calling thread (nil with the real network).
    func standInPass(tokens: [Int], voice: KokoroEngine.Voice, speed: Float, threads: Int) throws -> PassResult? {
        guard let forwardPass else { return nil }
        let (audio, durations) = try forwardPass(tokens, voice, speed, threads)
        return PassResult(audio: audio, durations: durations, timings: StageTimings())
    }

    /// The network up to the generator, with the chunk's audio to be rendered in one pass, or
    /// `inPieces` as this machine's pace allows (one pass still when the chunk is too short to
    /// gain). Every one pass updates the pace and the voice's statistics for the next heads.
    /// `skipsLeadingPause`: the pieces are sized from the end of the chunk's opening pad.
    func vocoder(tokens: [Int], voice: KokoroEngine.Voice, voiceName: String, speed: Float, threads: Int,
                 inPieces: Bool, skipsLeadingPause: Bool = false, checkpoint: () throws -> Void = {}) throws -> StreamingVocoder {
        let v = try engine.prepare(tokens: tokens, voice: voice, speed: speed, threads: threads, checkpoint: checkpoint)
        let (seconds, measured) = pace.estimate(orGuess: GeneratorPace.guess(int8: engine.network.int8))
        let lead = skipsLeadingPause ? (v.durations.first ?? 0) * KokoroNetwork.generatorFramesPerDurationFrame : 0
        let piece = piecePace.estimate(orGuess: 0)
        return StreamingVocoder(
            network: engine.network, vocoding: v, pace: inPieces ? seconds : nil, paceIsKnown: measured,
            piecePace: piece.measured ? piece.seconds : nil, lead: lead,
            prior: priors.statistics(for: voiceName),
            onePass: { [pace, priors] pass in
                pace.record(pass.timings, samples: pass.audio.count)
                priors.record(pass.statistics, for: voiceName)
            },
            onPiece: { [piecePace] in piecePace.record(pace: $0) })
    }

    /// Checks the text and `options` and resolves the voice and language, so a bad request
    /// fails before any work (the language's front end is loaded later, on a compute lane).
    func prepare(_ text: String, _ options: SpeechOptions) throws -> (voice: KokoroEngine.Voice, language: KoeLanguage) {
        try TextError.requireContent(text)
        return try prepare(options)
    }

    /// Checks `options` and resolves the voice and language.
    func prepare(_ options: SpeechOptions) throws -> (voice: KokoroEngine.Voice, language: KoeLanguage) {
        try options.validate()
        let blend = try VoiceBlend(options.voice ?? defaultVoice)
        return (try blend.engineVoice(in: engine.voices), Self.language(options, voice: blend))
    }

    /// Checks what ``stream(_:options:)`` checks before any work: the text is not empty, the
    /// speed and chunk limits are in range, the voice expression parses and names loaded voices.
    /// - Throws: `TextError`, `KokoroModelError` or ``KoeError``, as the stream's first iteration would.
    public func check(_ text: String, options: SpeechOptions) throws {
        _ = try prepare(text, options)
    }

    /// Speaks `text` as a stream: audio chunks in order (the first one short, to start playback
    /// soon), then a summary. Synthesis runs as the consumer asks for events, one chunk ahead
    /// at most, so memory stays bounded on any length of text; cancelling the consuming task
    /// stops synthesis before the next chunk.
    ///
    /// Errors (empty text, unknown voice, text with nothing to say) are thrown by the first
    /// iteration, before any audio.
    public func stream(_ text: String, options: SpeechOptions = SpeechOptions()) -> AsyncThrowingStream<SpeechEvent, Error> {
        let run = SpeechRun(synthesizer: self, text: text, options: options)
        return AsyncThrowingStream(unfolding: { try await run.next() })
    }

    /// Runs one short forward pass now, on the calling thread, and discards it, so that the
    /// first request pays for no lazy set-up of the compute kernels, and the generator's pace
    /// on this machine and the voice's statistics are known (they shape the early pieces of
    /// every stream's first chunk). Long-running hosts, such as the server and the daemon,
    /// call it once after loading, with the front end of their default language.
    public func warmUp(voice: String? = nil) throws {
        let name = voice ?? defaultVoice
        let (engineVoice, _) = try prepare(SpeechOptions(voice: name))
        let tokens = try engine.vocabulary.encode(Self.warmUpPhonemes)
        var vocoder = try self.vocoder(tokens: tokens, voice: engineVoice, voiceName: name, speed: 1,
                                       threads: lane.configuration.threadsPerPass, inPieces: false)
        _ = try vocoder.next(threads: lane.configuration.threadsPerPass)
    }

    /// About three seconds of speech: "The quick brown fox jumps over the lazy dog, and then it runs back home again."
    static let warmUpPhonemes = "ðə kwˈɪk bɹˈaʊn fˈɑːks dʒˈʌmps ˌoʊvɚ ðə lˈeɪzi dˈɔːɡ, ænd ðˈɛn ɪt ɹˈʌnz bˈæk hˈoʊm əɡˈɛn."

    /// Speaks `text` whole: the stream's chunks joined, with all timestamps.
    public func synthesize(_ text: String, options: SpeechOptions = SpeechOptions()) async throws -> Speech {
        var options = options
        options.earlyFirstAudio = false
        var samples: [Float] = []
        var words: [WordTimestamp] = []
        var sentences: [SentenceTimestamp] = []
        for try await event in stream(text, options: options) {
            switch event {
            case .audio(let chunk):
                samples += chunk.samples
                words += chunk.words
                sentences += chunk.sentences
            case .finished(let summary):
                return Speech(samples: samples, sampleRate: sampleRate, words: words, sentences: sentences, summary: summary)
            }
        }
        throw CancellationError()
    }
}

/// Text front ends by language, created on first use.
final class FrontEndCache: @unchecked Sendable {
    // Guarded by `lock`; G2P instances themselves are immutable and Sendable.
    private let lock = NSLock()
    private var cache: [KoeLanguage: G2P] = [:]
    private let lexiconDirectory: URL
    private let userLexicon: URL?
    private let logger: Logger

    init(lexiconDirectory: URL, userLexicon: URL?, logger: Logger) {
        self.lexiconDirectory = lexiconDirectory
        self.userLexicon = userLexicon
        self.logger = logger
    }

    func get(_ language: KoeLanguage) throws -> G2P {
        lock.lock()
        defer { lock.unlock() }
        if let g2p = cache[language] { return g2p }
        let g2p = try G2P(language: language, lexiconDirectory: lexiconDirectory, userLexicon: userLexicon, logger: logger)
        cache[language] = g2p
        return g2p
    }
}

/// Seconds the generator takes per second of audio on this machine: the upper envelope of the
/// last one passes (before the first, a cautious guess).
final class GeneratorPace: @unchecked Sendable {
    // Guarded by `lock`.
    private let lock = NSLock()
    private var measured: Double?

    /// Before any pass, a guess from the CPU: the int8 generator with VNNI renders about
    /// seven times faster than real time on two cores; without VNNI, or in float32, too slowly
    /// to gain from pieces until measured.
    static func guess(int8: Bool) -> Double { int8 && QuantizedConv1d.usesVNNI ? 0.2 : 0.5 }

    /// The pace, and whether it was measured (else it is `guess`).
    func estimate(orGuess guess: Double) -> (seconds: Double, measured: Bool) {
        lock.withLock { measured.map { ($0, true) } ?? (guess, false) }
    }

    /// Sets the pace as if measured (tests).
    func assume(_ pace: Double) { lock.withLock { measured = pace } }

    /// The pace of a one pass: the harmonic source, the generator and the inverse STFT, all
    /// of which a one pass renders after the pieces before it.
    func record(_ timings: StageTimings, samples: Int) {
        guard samples > 0 else { return }
        record(pace: (timings.source + timings.generator + timings.istft) / (Double(samples) / Double(KokoroNetwork.sampleRate)))
    }

    /// Seconds per second of audio, as one pass (or one head piece) just took. The estimate
    /// follows the slower passes at once and the faster ones a quarter of the way: on a shared
    /// host the generator's pace moves by a third from pass to pass, and a plan made for the
    /// average pass lets playback starve in the slow ones.
    func record(pace: Double) {
        guard pace.isFinite, pace > 0 else { return }
        lock.withLock { measured = measured.map { pace >= $0 ? pace : 0.75 * $0 + 0.25 * pace } ?? pace }
    }
}

/// The generator's instance-norm statistics from the last one pass of each voice (name or
/// blend expression), for the early pieces of the next stream in that voice.
final class StatisticsPriors: @unchecked Sendable {
    /// Voices remembered at most (a blend expression counts as one).
    static let capacity = 64
    // Guarded by `lock`.
    private let lock = NSLock()
    private var byVoice: [String: KokoroNetwork.GeneratorStatistics] = [:]

    func statistics(for voice: String) -> KokoroNetwork.GeneratorStatistics? { lock.withLock { byVoice[voice] } }

    func record(_ statistics: KokoroNetwork.GeneratorStatistics, for voice: String) {
        lock.withLock {
            if byVoice[voice] == nil && byVoice.count >= Self.capacity { byVoice.removeAll() }
            byVoice[voice] = statistics
        }
    }
}
