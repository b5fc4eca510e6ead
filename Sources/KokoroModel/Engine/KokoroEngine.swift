import Foundation
import KoeCompute
import Logging

/// Phonemes in, 24 kHz audio and per-token durations out.
///
/// Load once, synthesise many times, from any number of tasks at once: the network's
/// weights are immutable and shared, and every call allocates its own scratch memory.
public final class KokoroEngine: Sendable {
    public let network: KokoroNetwork
    public let vocabulary: Vocabulary
    public let voices: VoicePack
    public let files: ModelFiles
    /// Seconds spent loading weights (from the cache when it is warm).
    public let loadSeconds: Double
    private let logger: Logger

    /// The voice used when none is named: `af_heart` when present, else the first voice.
    public var defaultVoice: String {
        voices.names.contains("af_heart") ? "af_heart" : (voices.names.first ?? "af_heart")
    }

    /// Keeps the process's heap to one arena for threads that allocate from now on (see
    /// ``MemoryAdvice/oneHeapArena``); the engine does it when it loads, a program that starts
    /// threads before that (a server, an async main) may call it first.
    public static func useOneHeapArena() { MemoryAdvice.oneHeapArena }

    public init(files: ModelFiles, logger: Logger = Logger(label: "koe.engine")) throws {
        let t0 = DispatchTime.now().uptimeNanoseconds
        MemoryAdvice.oneHeapArena
        let weights = try KokoroWeightsLoader.load(model: files.model, cacheDirectory: files.cacheDirectory, logger: logger)
        network = try KokoroNetwork(weights: weights)
        MemoryAdvice.trimHeap()
        loadSeconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        vocabulary = try Vocabulary(contentsOf: files.vocabulary)
        voices = try VoicePack.load(files.voices)
        if voices.names.isEmpty { throw KokoroModelError.noVoices(paths: files.voices.map(\.path)) }
        self.files = files
        self.logger = logger
        logger.debug("engine ready", metadata: ["model": "\(files.model.lastPathComponent)", "load_s": "\(loadSeconds)", "int8_generator": "\(network.int8)"])
    }

    /// A voice: a name from the loaded packs, or a style given directly.
    public enum Voice: Sendable, Equatable {
        case named(String)
        /// One 256-wide style row, or a `[rows, 256]` table indexed by phoneme count.
        case style(Tensor)
    }

    /// What one synthesis produced.
    public struct Synthesis: Sendable {
        public var audio: [Float]
        /// Frames of 600 samples per token, the two boundary pads included.
        public var durations: [Int]
        public var tokens: [Int]
        public var phonemes: String
        public var timings: StageTimings
        public var sampleRate: Int { KokoroNetwork.sampleRate }
    }

    /// The style row for `voice` and an utterance of `count` phonemes (`pack[count − 1]`).
    public func style(for voice: Voice, phonemeCount count: Int) throws -> [Float] {
        switch voice {
        case .named(let name):
            return try voices.style(for: name, phonemeCount: count)
        case .style(let t):
            if t.count == KokoroNetwork.styleWidth { return t.data }
            guard t.rank >= 2, t.count % KokoroNetwork.styleWidth == 0 else {
                throw KokoroModelError.badStyle(count: t.count, expected: KokoroNetwork.styleWidth)
            }
            let w = KokoroNetwork.styleWidth
            let r = VoicePack.row(forPhonemeCount: count, rows: t.count / w)
            return Array(t.data[(r * w)..<((r + 1) * w)])
        }
    }

    /// Synthesises a phoneme string (Kokoro's symbols; at most 510 of them).
    public func synthesize(phonemes: String, voice: Voice, speed: Float = 1, threads: Int = 1) throws -> Synthesis {
        let tokens = try vocabulary.encode(phonemes)
        return try synthesize(tokens: tokens, phonemes: phonemes, voice: voice, speed: speed, threads: threads)
    }

    /// Synthesises token ids (without the boundary pads). The request is checked by
    /// ``KokoroNetwork/validate(_:)``.
    public func synthesize(
        tokens: [Int], phonemes: String = "", voice: Voice, speed: Float = 1, threads: Int = 1,
        forcedDurations: [Int]? = nil
    ) throws -> Synthesis {
        let v = try prepare(tokens: tokens, voice: voice, speed: speed, threads: threads, forcedDurations: forcedDurations)
        let pass = try network.vocode(v, threads: threads)
        let (audio, timings) = (pass.audio, pass.timings)
        logger.debug("synthesised", metadata: [
            "tokens": "\(tokens.count)", "audio_s": "\(Double(audio.count) / Double(KokoroNetwork.sampleRate))",
            "stages_s": "\(timings.networkStages.sorted { $0.seconds > $1.seconds }.map { "\($0.name)=\(String(format: "%.3f", $0.seconds))" }.joined(separator: " "))",
        ])
        return Synthesis(audio: audio, durations: v.durations, tokens: tokens, phonemes: phonemes, timings: timings)
    }

    /// Runs the network up to the generator for token ids (without the boundary pads): the
    /// durations are known and the audio can be rendered at once or in pieces
    /// (``KokoroNetwork/vocode(_:threads:)``, ``StreamingVocoder``).
    public func prepare(
        tokens: [Int], voice: Voice, speed: Float = 1, threads: Int = 1, forcedDurations: [Int]? = nil,
        checkpoint: () throws -> Void = {}
    ) throws -> KokoroNetwork.Vocoding {
        let request = KokoroNetwork.Request(tokens: tokens, style: try style(for: voice, phonemeCount: tokens.count),
                                            speed: speed, threads: threads, forcedDurations: forcedDurations)
        return try network.prepare(request, checkpoint: checkpoint)
    }
}
