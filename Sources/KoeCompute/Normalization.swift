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
        precondition(x.rank == 2 && gamma.count == x.shape[0] && beta.count == x.shape[0],
                     "adaptiveInstanceNorm: \(x.shape) vs γ \(gamma.count)")
        let c = x.shape[0], t = x.shape[1]
        var out = [Float](repeating: 0, count: c * t)
        x.data.withUnsafeBufferPointer { xp in
            out.withUnsafeMutableBufferPointer { op in
                let xb = xp.baseAddress!
                let ob = UnsafeMutableSendablePointer(op.baseAddress!)
                Parallel.forEach(c, threads: threads) { ch in
                    let src = xb + ch * t, dst = ob.pointer + ch * t
                    // Statistics in double: rows reach ~10⁵ samples.
                    var sum: Double = 0
                    for j in 0..<t { sum += Double(src[j]) }
                    let mean = Float(sum / Double(t))
                    var v: Double = 0
                    for j in 0..<t { let d = src[j] - mean; v += Double(d * d) }
                    let inv = 1 / (Float(v / Double(t)) + eps).squareRoot()
                    let a = (1 + gamma[ch]) * inv
                    let b = beta[ch] - mean * a
                    for j in 0..<t { dst[j] = src[j] * a + b }
                    Activation.apply(activation, channel: ch, dst, count: t)
                }
            }
        }
        return Tensor(shape: x.shape, data: out)
    }
}
