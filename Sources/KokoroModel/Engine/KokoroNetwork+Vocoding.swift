import Foundation
import KoeCompute

extension KokoroNetwork {
    /// Audio samples per generator frame (12.5 ms): the decoder's features run at twice the
    /// duration frame rate.
    public static let samplesPerGeneratorFrame = 300
    /// Generator frames per predicted duration frame (600 samples).
    public static let generatorFramesPerDurationFrame = samplesPerFrame / samplesPerGeneratorFrame

    /// A forward pass up to the vocoder: durations fixed, the decoder's features and the F0
    /// curve computed for the whole chunk (about 15 % of a pass). The harmonic source is
    /// rendered with the generator, as far as a window needs it (its phase runs from the
    /// chunk's start, so a prefix of it is exactly the prefix of the whole). The
    /// generator then renders the chunk at once (``vocode(_:threads:)``, exactly what
    /// ``synthesize(_:)`` returns), or windows of it early (``vocodeWindow(_:frames:context:threads:)``).
    public struct Vocoding: Sendable {
        /// Decoder output `[512, F]`.
        let features: Tensor
        /// F0 in Hz, one value per generator frame `[F]`.
        let f0: [Float]
        /// The decoder half of the style row.
        let style: [Float]
        /// Frames of 600 samples per token, `[pad, tokens…, pad]`.
        public let durations: [Int]
        /// Unrounded durations (frames), same order.
        public let rawDurations: [Float]
        /// Seconds spent so far, stage by stage.
        public var timings: StageTimings

        /// Generator frames in the chunk, each ``KokoroNetwork/samplesPerGeneratorFrame`` samples.
        public var frameCount: Int { features.shape[1] }
        /// Samples of the chunk's audio.
        public var sampleCount: Int { frameCount * KokoroNetwork.samplesPerGeneratorFrame }
    }

    /// Runs the network up to the generator; `checkpoint` is called between its stages (a
    /// throw abandons the pass).
    public func prepare(_ r: Request, checkpoint: () throws -> Void = {}) throws -> Vocoding {
        try Self.validate(r)
        var timings = StageTimings()
        func timed<T>(_ stage: WritableKeyPath<StageTimings, Double>, _ body: () -> T) -> T {
            let t0 = DispatchTime.now().uptimeNanoseconds
            let v = body()
            timings[keyPath: stage] += Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
            return v
        }
        let ids = [0] + r.tokens + [0]
        let th = max(1, r.threads)
        let sd = Array(r.style[0..<128]), sp = Array(r.style[128..<256])

        let dEn = timed(\.albert) { albert(ids, threads: th) }
        try checkpoint()
        let d = timed(\.durationEncoder) { predictor.encodeDurations(dEn, prosodyStyle: sp, threads: th) }
        let logits = timed(\.durations) { predictor.durationLogits(d, threads: th) }
        let raw = ProsodyPredictor.durations(logits: logits, speed: r.speed)
        let frames = r.forcedDurations ?? ProsodyPredictor.frames(raw)
        let index = Self.alignmentIndex(frames)
        try checkpoint()

        let (f0, n) = timed(\.prosody) {
            predictor.curves(alignedFeatures: TensorOps.gatherRows(d, index), prosodyStyle: sp, threads: th)
        }
        let tEn = timed(\.textEncoder) { textEncoder(ids, threads: th) }
        let asr = TensorOps.gatherColumns(tEn, index)
        try checkpoint()
        let x = timed(\.decoder) { decoder(asr: asr, f0: f0, n: n, style: sd, threads: th).x }
        return Vocoding(features: x, f0: f0, style: sd, durations: frames, rawDurations: raw, timings: timings)
    }

    /// The source spectrum of the chunk's first `frames` generator frames, `[22, 60·frames + 1]`:
    /// the whole chunk's spectrum up to its last column (which sees the prefix's end).
    func sourceSpectrum(_ v: Vocoding, frames: Int) -> Tensor {
        Generator.sourceSpectrum(generator.source(f0: Array(v.f0[0..<min(frames, v.f0.count)])))
    }

    /// The instance-norm statistics of one generator pass, layer by layer: a prior for the
    /// windows of another chunk (see ``vocodeWindow(_:frames:context:threads:prior:priorSeconds:)``).
    public struct GeneratorStatistics: Sendable {
        let layers: [InstanceNormTape.Layer]
        /// Seconds of audio the statistics were taken over.
        public let seconds: Double
    }

    /// One generator pass over a whole chunk.
    public struct Rendering: Sendable {
        /// `600 · Σ durations` samples.
        public var audio: [Float]
        /// The chunk's timings so far, with the generator's stages added.
        public var timings: StageTimings
        public var statistics: GeneratorStatistics
    }

    /// The whole chunk's audio in one generator pass; `checkpoint` is called between the
    /// generator's blocks (a throw abandons the pass).
    public func vocode(_ v: Vocoding, threads: Int, checkpoint: () throws -> Void = {}) rethrows -> Rendering {
        var timings = v.timings
        let tape = InstanceNormTape.record()
        let started = DispatchTime.now().uptimeNanoseconds
        let har = sourceSpectrum(v, frames: v.frameCount)
        let t0 = DispatchTime.now().uptimeNanoseconds
        let post = try generator.body(v.features, har: har, style: v.style, threads: max(1, threads), tape: tape,
                                      checkpoint: checkpoint)
        let t1 = DispatchTime.now().uptimeNanoseconds
        let audio = generator.inverseSTFT(post)
        timings.source += Double(t0 - started) / 1e9
        timings.generator += Double(t1 - t0) / 1e9
        timings.istft += Double(DispatchTime.now().uptimeNanoseconds - t1) / 1e9
        let seconds = Double(audio.count) / Double(Self.sampleRate)
        return Rendering(audio: audio, timings: timings, statistics: GeneratorStatistics(layers: tape.layers, seconds: seconds))
    }

    /// Generator frames `frames` of the chunk rendered on their own: the generator runs over
    /// the window widened by `context` frames on each side (clipped to the chunk) and the
    /// widening is cut off again. Convolutions see all they need once `context` >= 8, but the
    /// instance norms take their statistics from the window instead of the whole chunk, so the
    /// audio approximates ``vocode(_:threads:)``'s, closer the longer the window. Returns
    /// `300 · frames.count` samples. With a `prior` (the statistics of another pass, of the
    /// same voice), each norm's statistics are pulled toward the prior's, which counts as
    /// `priorSeconds` of audio against the window's own length.
    public func vocodeWindow(_ v: Vocoding, frames: Range<Int>, context: Int, threads: Int,
                             prior: GeneratorStatistics? = nil, priorSeconds: Double = 0,
                             checkpoint: () throws -> Void = {}) rethrows -> [Float] {
        let f = v.frameCount
        let range = frames.clamped(to: 0..<f)
        guard !range.isEmpty else { return [] }
        let lo = max(0, range.lowerBound - max(0, context)), hi = min(f, range.upperBound + max(0, context))
        let x = TensorOps.gatherColumns(v.features, Array(lo..<hi))
        let harColumns = Generator.sourceFramesPerFrame
        let har = TensorOps.gatherColumns(sourceSpectrum(v, frames: hi), Array((lo * harColumns)...(hi * harColumns)))
        let spf = Self.samplesPerGeneratorFrame
        let tape = prior.map {
            InstanceNormTape.blending($0.layers, priorSeconds: priorSeconds,
                                      windowSeconds: Double((hi - lo) * spf) / Double(Self.sampleRate))
        }
        let post = try generator.body(x, har: har, style: v.style, threads: max(1, threads), tape: tape, checkpoint: checkpoint)
        let audio = generator.inverseSTFT(post)
        return Array(audio[((range.lowerBound - lo) * spf)..<((range.upperBound - lo) * spf)])
    }
}
