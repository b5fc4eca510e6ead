import Foundation

/// What follows a normalisation in the same sweep over memory.
public enum PostActivation: Sendable {
    case identity
    case leakyReLU(slope: Float)
    /// Snake `y + (1/α)·sin²(α·y)` with one α per channel.
    case snake(alpha: [Float])
}

public enum Normalization {
    /// LayerNorm over the last axis of a `[N, F]` tensor: `(x − μ)/√(σ² + eps) · γ + β`.
    public static func layerNormRows(_ x: Tensor, gamma: [Float], beta: [Float], eps: Float) -> Tensor {
        precondition(x.rank == 2 && gamma.count == x.shape[1] && beta.count == x.shape[1],
                     "layerNormRows: \(x.shape) vs γ \(gamma.count)")
        let n = x.shape[0], f = x.shape[1]
        var out = x.data
        out.withUnsafeMutableBufferPointer { op in
            for r in 0..<n {
                let row = op.baseAddress! + r * f
                var mean: Float = 0
                for j in 0..<f { mean += row[j] }
                mean /= Float(f)
                var v: Float = 0
                for j in 0..<f { let d = row[j] - mean; v += d * d }
                let inv = 1 / (v / Float(f) + eps).squareRoot()
                for j in 0..<f { row[j] = (row[j] - mean) * inv * gamma[j] + beta[j] }
            }
        }
        return Tensor(shape: x.shape, data: out)
    }

    /// Normalises a channel-major `[C, T]` tensor across channels at each time step, then
    /// applies `scale[c]·x̂ + shift[c]` and the activation.
    public static func layerNormChannels(
        _ x: Tensor, scale: [Float], shift: [Float], eps: Float, activation: PostActivation = .identity
    ) -> Tensor {
        precondition(x.rank == 2 && scale.count == x.shape[0] && shift.count == x.shape[0])
        let c = x.shape[0], t = x.shape[1]
        var mean = [Float](repeating: 0, count: t)
        var sq = [Float](repeating: 0, count: t)
        x.data.withUnsafeBufferPointer { xp in
            for ch in 0..<c {
                let row = xp.baseAddress! + ch * t
                for j in 0..<t { mean[j] += row[j] }
            }
            for j in 0..<t { mean[j] /= Float(c) }
            for ch in 0..<c {
                let row = xp.baseAddress! + ch * t
                for j in 0..<t { let d = row[j] - mean[j]; sq[j] += d * d }
            }
        }
        let inv = sq.map { 1 / ($0 / Float(c) + eps).squareRoot() }
        var out = [Float](repeating: 0, count: c * t)
        x.data.withUnsafeBufferPointer { xp in
            out.withUnsafeMutableBufferPointer { op in
                for ch in 0..<c {
                    let src = xp.baseAddress! + ch * t, dst = op.baseAddress! + ch * t
                    let s = scale[ch], b = shift[ch]
                    for j in 0..<t { dst[j] = (src[j] - mean[j]) * inv[j] * s + b }
                    Activation.apply(activation, channel: ch, dst, count: t)
                }
            }
        }
        return Tensor(shape: x.shape, data: out)
    }

    /// AdaIN: instance norm of each channel over time (biased variance, eps), then
    /// `(1 + γ[c])·x̂ + β[c]`, then the activation — one read and one write per element.
    public static func adaptiveInstanceNorm(
        _ x: Tensor, gamma: [Float], beta: [Float], eps: Float = 1e-5,
        activation: PostActivation = .identity, threads: Int = 1
    ) -> Tensor {
        adaptiveInstanceNorm(x, gamma: gamma, beta: beta, eps: eps, activation: activation, threads: threads, tape: nil)
    }
}

/// The statistics of a sequence of instance norms, layer by layer in the order a pass computes
/// them: recorded from one pass (``record()``), and lent to a later pass over a short window
/// (``blending(_:priorSeconds:windowSeconds:)``), whose own statistics are then pulled toward
/// them, as a prior worth `priorSeconds` of audio against the window's `windowSeconds`.
/// One pass at a time uses a tape.
public final class InstanceNormTape: @unchecked Sendable {
    /// One layer's per-channel mean and mean square over time.
    public struct Layer: Sendable {
        public var mean: [Float]
        public var meanSquare: [Float]
    }

    /// What this pass computed, layer by layer (its own statistics, before any blending).
    public private(set) var layers: [Layer] = []
    private let prior: [Layer]?
    /// The prior's share in the blend, 0 when recording.
    private let priorShare: Double

    private init(prior: [Layer]?, priorShare: Double) {
        self.prior = prior
        self.priorShare = priorShare
    }

    /// A tape that only records: normalisation is unchanged.
    public static func record() -> InstanceNormTape { InstanceNormTape(prior: nil, priorShare: 0) }

    /// A tape that blends each layer's statistics with `prior`'s layer of the same position.
    public static func blending(_ prior: [Layer], priorSeconds: Double, windowSeconds: Double) -> InstanceNormTape {
        let share = priorSeconds / max(priorSeconds + windowSeconds, 1e-9)
        return InstanceNormTape(prior: prior, priorShare: share)
    }

    /// The prior for the layer about to be computed, with its share (nil when none).
    func nextPrior(channels: Int) -> (Layer, Double)? {
        let index = layers.count
        guard let prior, priorShare > 0, index < prior.count, prior[index].mean.count == channels else { return nil }
        return (prior[index], priorShare)
    }

    func append(_ layer: Layer) { layers.append(layer) }
}

extension Normalization {
    /// ``adaptiveInstanceNorm(_:gamma:beta:eps:activation:threads:)`` that records each channel's
    /// statistics on `tape`, and blends them with the tape's prior when it has one (nil: neither).
    public static func adaptiveInstanceNorm(
        _ x: Tensor, gamma: [Float], beta: [Float], eps: Float = 1e-5,
        activation: PostActivation = .identity, threads: Int = 1, tape: InstanceNormTape?
    ) -> Tensor {
        precondition(x.rank == 2 && gamma.count == x.shape[0] && beta.count == x.shape[0],
                     "adaptiveInstanceNorm: \(x.shape) vs γ \(gamma.count)")
        let c = x.shape[0], t = x.shape[1]
        let prior = tape?.nextPrior(channels: c)
        var out = [Float](repeating: 0, count: c * t)
        var means = [Float](repeating: 0, count: c), squares = [Float](repeating: 0, count: c)
        x.data.withUnsafeBufferPointer { xp in
            out.withUnsafeMutableBufferPointer { op in
                means.withUnsafeMutableBufferPointer { mp in
                    squares.withUnsafeMutableBufferPointer { sp in
                        let xb = xp.baseAddress!
                        let ob = UnsafeMutableSendablePointer(op.baseAddress!)
                        let mb = UnsafeMutableSendablePointer(mp.baseAddress!), sb = UnsafeMutableSendablePointer(sp.baseAddress!)
                        Parallel.forEach(c, threads: threads) { ch in
                            let src = xb + ch * t, dst = ob.pointer + ch * t
                            let n = channelAffine(src, count: t, gamma: gamma[ch], beta: beta[ch], eps: eps,
                                                  prior: prior.map { ($0.0.mean[ch], $0.0.meanSquare[ch], Float($0.1)) })
                            mb.pointer[ch] = n.mean
                            sb.pointer[ch] = n.meanSquare
                            let a = n.a, b = n.b
                            for j in 0..<t { dst[j] = src[j] * a + b }
                            Activation.apply(activation, channel: ch, dst, count: t)
                        }
                    }
                }
            }
        }
        tape?.append(.init(mean: means, meanSquare: squares))
        return Tensor(shape: x.shape, data: out)
    }

    /// One channel's statistics over time (rows reach ~10⁵ samples: summed in float lanes over
    /// short blocks, the blocks in double; variance about the mean) and the map its AdaIN applies, `y = a·x + b`: with `prior` (mean, mean square,
    /// share) the statistics are first blended with the prior's.
    @inline(__always)
    static func channelAffine(
        _ src: UnsafePointer<Float>, count t: Int, gamma: Float, beta: Float, eps: Float,
        prior: (mean: Float, meanSquare: Float, share: Float)?
    ) -> (a: Float, b: Float, mean: Float, meanSquare: Float) {
        let mean = Float(RowSums.sum(src, count: t) / Double(t))
        let variance = Float(RowSums.squaredDeviations(src, count: t, from: mean) / Double(t))
        let meanSquare = variance + mean * mean
        var m = mean, s2 = variance
        if let p = prior {
            let w = p.share
            m = (1 - w) * mean + w * p.mean
            s2 = max((1 - w) * meanSquare + w * p.meanSquare - m * m, 0)
        }
        let inv = 1 / (s2 + eps).squareRoot()
        let a = (1 + gamma) * inv
        return (a, beta - m * a, mean, meanSquare)
    }

    /// ``adaptiveInstanceNorm(_:gamma:beta:eps:activation:threads:tape:)`` written straight as
    /// ``QuantizedConv1d``'s integer input, never as a float tensor: a quarter of the memory for
    /// the generator's largest activations. The scale needs the output's largest magnitude
    /// before any value is written; both the norm (affine per channel) and the activations
    /// (LeakyReLU; Snake, whose slope `1 + sin(2αy)` is never negative) are monotone, so each
    /// channel's extremes are the images of its input's minimum and maximum. The result is
    /// ``QuantizedConv1d/quantize(_:threads:)`` of the float norm, up to rounding at the
    /// extremes. Nil, and nothing recorded on `tape`, when the output is all zero or not finite.
    public static func adaptiveInstanceNormQuantized(
        _ x: Tensor, gamma: [Float], beta: [Float], eps: Float = 1e-5,
        activation: PostActivation = .identity, threads: Int = 1, tape: InstanceNormTape? = nil
    ) -> QuantizedActivations? {
        precondition(x.rank == 2 && gamma.count == x.shape[0] && beta.count == x.shape[0],
                     "adaptiveInstanceNormQuantized: \(x.shape) vs γ \(gamma.count)")
        let c = x.shape[0], t = x.shape[1]
        guard t > 0 else { return nil }
        let prior = tape?.nextPrior(channels: c)
        var a = [Float](repeating: 0, count: c), b = a, means = a, squares = a, largest = a
        x.data.withUnsafeBufferPointer { xp in
            a.withUnsafeMutableBufferPointer { ap in
                b.withUnsafeMutableBufferPointer { bp in
                    means.withUnsafeMutableBufferPointer { mp in
                        squares.withUnsafeMutableBufferPointer { sp in
                            largest.withUnsafeMutableBufferPointer { lp in
                                let xb = xp.baseAddress!
                                let out = (a: UnsafeMutableSendablePointer(ap.baseAddress!), b: UnsafeMutableSendablePointer(bp.baseAddress!),
                                           m: UnsafeMutableSendablePointer(mp.baseAddress!), s: UnsafeMutableSendablePointer(sp.baseAddress!),
                                           l: UnsafeMutableSendablePointer(lp.baseAddress!))
                                Parallel.forEach(c, threads: threads) { ch in
                                    let src = xb + ch * t
                                    let n = channelAffine(src, count: t, gamma: gamma[ch], beta: beta[ch], eps: eps,
                                                          prior: prior.map { ($0.0.mean[ch], $0.0.meanSquare[ch], Float($0.1)) })
                                    let (lo, hi) = RowSums.range(src, count: t)
                                    var ends = [lo * n.a + n.b, hi * n.a + n.b]
                                    ends.withUnsafeMutableBufferPointer { Activation.apply(activation, channel: ch, $0.baseAddress!, count: 2) }
                                    out.a.pointer[ch] = n.a
                                    out.b.pointer[ch] = n.b
                                    out.m.pointer[ch] = n.mean
                                    out.s.pointer[ch] = n.meanSquare
                                    out.l.pointer[ch] = Swift.max(ends[0].magnitude, ends[1].magnitude)
                                }
                            }
                        }
                    }
                }
            }
        }
        // `max` of non-finite values is not reliable: check each.
        guard largest.allSatisfy(\.isFinite), let maxAbs = largest.max(), maxAbs > 0 else { return nil }
        let scale = maxAbs / 127, inverse = 1 / scale
        let (slopes, offsets) = (a, b)
        let values = [Int8](unsafeUninitializedCapacity: c * t) { q, count in
            x.data.withUnsafeBufferPointer { xp in
                let xb = xp.baseAddress!, qb = UnsafeMutableSendablePointer(q.baseAddress!)
                Parallel.forEach(c, threads: threads) { ch in
                    let src = xb + ch * t, dst = qb.pointer + ch * t
                    let ca = slopes[ch], cb = offsets[ch]
                    withUnsafeTemporaryAllocation(of: Float.self, capacity: t) { row in
                        let r = row.baseAddress!
                        for j in 0..<t { r[j] = src[j] * ca + cb }
                        Activation.apply(activation, channel: ch, r, count: t)
                        // Clamped: the extremes above are exact only up to the activation's rounding.
                        for j in 0..<t {
                            let v = Swift.min(127, Swift.max(-127, (r[j] * inverse).rounded(.toNearestOrEven)))
                            dst[j] = Int8(v)
                        }
                    }
                }
            }
            count = c * t
        }
        tape?.append(.init(mean: means, meanSquare: squares))
        return QuantizedActivations(channels: c, length: t, values: values, scale: scale)
    }
}

/// Sums over long rows that vectorise: eight float lanes over blocks of 512 values (each lane
/// adds 64, so its rounding stays near float's), the blocks added in double.
enum RowSums {
    static let block = 512

    @inline(__always)
    static func sum(_ p: UnsafePointer<Float>, count n: Int) -> Double {
        var total: Double = 0
        var i = 0
        let raw = UnsafeRawPointer(p)
        while i < n {
            let end = min(i + block, n)
            var lanes = SIMD8<Float>.zero
            while i + 8 <= end {
                lanes += raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
                i += 8
            }
            var rest: Float = 0
            while i < end { rest += p[i]; i += 1 }
            total += Double(lanes.sum()) + Double(rest)
        }
        return total
    }

    @inline(__always)
    static func squaredDeviations(_ p: UnsafePointer<Float>, count n: Int, from mean: Float) -> Double {
        var total: Double = 0
        var i = 0
        let raw = UnsafeRawPointer(p)
        let m = SIMD8<Float>(repeating: mean)
        while i < n {
            let end = min(i + block, n)
            var lanes = SIMD8<Float>.zero
            while i + 8 <= end {
                let d = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self) - m
                lanes += d * d
                i += 8
            }
            var rest: Float = 0
            while i < end { let d = p[i] - mean; rest += d * d; i += 1 }
            total += Double(lanes.sum()) + Double(rest)
        }
        return total
    }

    /// The smallest and largest value (`n` > 0; a NaN may or may not show, as with `min`).
    /// Eight float lanes, so the loop vectorises (a scalar loop of selects does not: it cost
    /// the generator a quarter of its time).
    @inline(__always)
    static func range(_ p: UnsafePointer<Float>, count n: Int) -> (Float, Float) {
        var lo = p[0], hi = p[0]
        var i = 0
        if n >= 8 {
            let raw = UnsafeRawPointer(p)
            var l = raw.loadUnaligned(as: SIMD8<Float>.self), h = l
            i = 8
            while i + 8 <= n {
                let v = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
                l.replace(with: v, where: v .< l)
                h.replace(with: v, where: v .> h)
                i += 8
            }
            lo = l.min()
            hi = h.max()
        }
        while i < n {
            let v = p[i]
            lo = v < lo ? v : lo
            hi = v > hi ? v : hi
            i += 1
        }
        return (lo, hi)
    }
}
