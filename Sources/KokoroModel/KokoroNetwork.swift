import Foundation
import KoeCompute

/// Kokoro-82M v1.0: ALBERT, prosody predictor, text encoder, decoder and iSTFTNet
/// generator, built from a `WeightStore`. Immutable and shared: one instance serves any
/// number of concurrent requests, each with its own scratch memory.
public final class KokoroNetwork: Sendable {
    /// 24 kHz mono output.
    public static let sampleRate = 24_000
    /// Audio samples per predicted duration frame.
    public static let samplesPerFrame = 600
    /// Position embeddings (512) minus the two boundary pad tokens.
    public static let maxPhonemes = 510
    public static let vocabularySize = 178
    public static let styleWidth = 256
    /// Speaking rates accepted (OpenAI's range). Each token's predicted duration is divided by
    /// the speed and kept at one frame (25 ms) at least, so past about 2.5 the audio shortens
    /// little more; at 0.25 every sound lasts four times as long. Both ends give clean speech
    /// at the level of speed 1 (EndToEndTests checks it).
    public static let speedRange: ClosedRange<Float> = 0.25...4.0

    let albert: Albert
    let textEncoder: TextEncoder
    let predictor: ProsodyPredictor
    let decoder: DecoderBody
    let generator: Generator

    /// Whether the convolutions (generator, decoder, text encoder, F0 and N stacks) and the
    /// Linear layers (ALBERT, `bert_encoder`, the duration head, every AdaIN fc) run in 8-bit
    /// integers when the weights allow it: where oneDNN is available, unless `KOE_INT8=0`.
    /// The int8 Kokoro file stores these weights as 8-bit integers already and onnxruntime
    /// runs them so (the Linears exactly as it does); the float32 file's weights are not on an
    /// 8-bit grid and stay float. The LSTMs, transposed convolutions and `conv_post` stay
    /// float.
    public static var int8ByDefault: Bool {
        QuantizedConv1d.isAvailable && ProcessInfo.processInfo.environment["KOE_INT8"] != "0"
    }

    /// Whether this network computes the generator's convolutions in 8-bit integers (the
    /// decoder's follow the same choice).
    public var int8: Bool { generator.resblocks.allSatisfy(\.isInt8) }

    public init(weights: WeightStore, int8: Bool = KokoroNetwork.int8ByDefault) throws {
        _ = BLAS.configure
        let w = WeightBinder(store: weights, int8: int8 && QuantizedConv1d.isAvailable)
        albert = try Albert(w)
        textEncoder = try TextEncoder(w)
        predictor = try ProsodyPredictor(w)
        decoder = try DecoderBody(w, int8: int8 && QuantizedConv1d.isAvailable)
        generator = try Generator(w, int8: int8 && QuantizedConv1d.isAvailable)
    }

    /// One synthesis: token ids (without the pads), a 256-wide style row and a speed.
    public struct Request: Sendable {
        public var tokens: [Int]
        public var style: [Float]
        public var speed: Float
        /// Compute threads for this request.
        public var threads: Int
        /// Durations to use instead of the predicted ones (one per token, pads included):
        /// a debugging and testing hook.
        public var forcedDurations: [Int]?

        public init(tokens: [Int], style: [Float], speed: Float = 1, threads: Int = 1, forcedDurations: [Int]? = nil) {
            self.tokens = tokens
            self.style = style
            self.speed = speed
            self.threads = threads
            self.forcedDurations = forcedDurations
        }
    }

    /// Audio and the frames each token (pads included) was given.
    public struct Output: Sendable {
        /// 24 kHz mono samples, exactly `600 · Σ durations` of them.
        public var audio: [Float]
        /// Frames of 600 samples per token, `[pad, tokens…, pad]`.
        public var durations: [Int]
        /// Unrounded durations (frames), same order.
        public var rawDurations: [Float]
        /// Seconds spent in each stage.
        public var timings: StageTimings
    }

    /// Checks a request without running it.
    public static func validate(_ r: Request) throws {
        if r.tokens.isEmpty { throw KokoroModelError.emptyInput }
        if r.tokens.count > maxPhonemes { throw KokoroModelError.tooManyPhonemes(count: r.tokens.count, limit: maxPhonemes) }
        for (i, id) in r.tokens.enumerated() where id < 1 || id >= vocabularySize {
            throw KokoroModelError.tokenOutOfRange(id: id, position: i)
        }
        try checkSpeed(r.speed)
        if r.style.count != styleWidth { throw KokoroModelError.badStyle(count: r.style.count, expected: styleWidth) }
        if let d = r.forcedDurations, d.count != r.tokens.count + 2 || d.contains(where: { $0 < 1 }) {
            throw KokoroModelError.badDurations(count: d.count, expected: r.tokens.count + 2)
        }
    }

    /// Checks a speaking rate against ``speedRange`` (the one place this rule is checked).
    public static func checkSpeed(_ speed: Float) throws {
        guard speedRange.contains(speed) else { throw KokoroModelError.speedOutOfRange(speed, allowed: speedRange) }
    }

    /// Runs the whole network: ``prepare(_:)``, then the generator in one pass.
    public func synthesize(_ r: Request) throws -> Output {
        let v = try prepare(r)
        let pass = try vocode(v, threads: r.threads)
        return Output(audio: pass.audio, durations: v.durations, rawDurations: v.rawDurations, timings: pass.timings)
    }

    /// For each output frame, the token it belongs to (the hard alignment as a gather).
    static func alignmentIndex(_ frames: [Int]) -> [Int] {
        var index = [Int]()
        index.reserveCapacity(frames.reduce(0, +))
        for (i, f) in frames.enumerated() { index.append(contentsOf: repeatElement(i, count: f)) }
        return index
    }
}
