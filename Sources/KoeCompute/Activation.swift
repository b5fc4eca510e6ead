import Foundation

public enum Activation {
    @inline(__always)
    static func apply(_ a: PostActivation, channel: Int, _ p: UnsafeMutablePointer<Float>, count: Int) {
        switch a {
        case .identity: break
        case .leakyReLU(let slope): leakyReLU(p, count: count, slope: slope)
        case .snake(let alpha): snake(p, count: count, alpha: alpha[channel])
        }
    }

    @inline(__always)
    public static func leakyReLU(_ p: UnsafeMutablePointer<Float>, count: Int, slope: Float) {
        for i in 0..<count { let v = p[i]; p[i] = v >= 0 ? v : v * slope }
    }

    /// In-place LeakyReLU of a whole tensor.
    public static func leakyReLU(_ x: inout Tensor, slope: Float) {
        let n = x.count
        x.data.withUnsafeMutableBufferPointer { leakyReLU($0.baseAddress!, count: n, slope: slope) }
    }

    /// Snake: `x + (1/α)·sin²(α·x)`.
    @inline(__always)
    public static func snake(_ p: UnsafeMutablePointer<Float>, count: Int, alpha: Float) {
        let inv = 1 / alpha
        for i in 0..<count {
            let v = p[i]
            p[i] = v + inv * FastMath.sinSquared(alpha * v)
        }
    }

    /// GELU, tanh form (`gelu_new`): `0.5x(1 + tanh(√(2/π)(x + 0.044715x³)))`.
    public static func geluTanh(_ x: inout Tensor) {
        let k = Float((2.0 / Double.pi).squareRoot())
        let n = x.count
        x.data.withUnsafeMutableBufferPointer { p in
            for i in 0..<n {
                let v = p[i]
                p[i] = 0.5 * v * (1 + tanhf(k * (v + 0.044715 * v * v * v)))
            }
        }
    }
}

public enum FastMath {
    /// `sin²(x)`, branch-free so loops over it vectorise. Since `sin²` has period π,
    /// reduce to `r = x − nπ ∈ [−π/2, π/2]` (for |x| < 2²²) (Cody–Waite, two-part π) and evaluate the odd
    /// Taylor polynomial of `sin r` to degree 11 (error < 6e-8 on that interval).
    @inline(__always)
    public static func sinSquared(_ x: Float) -> Float {
        // Round to nearest with the 1.5·2²³ trick: plain adds, so it vectorises on SSE2.
        let magic: Float = 12_582_912
        let n = (x * 0.318_309_886_183_790_67 + magic) - magic
        var r = x - n * 3.140_625
        r = r - n * 9.676_535_897_932_384_6e-4
        let r2 = r * r
        var p: Float = -2.505_210_838_544_172e-8
        p = p * r2 + 2.755_731_922_398_589e-6
        p = p * r2 - 1.984_126_984_126_984e-4
        p = p * r2 + 8.333_333_333_333_333e-3
        p = p * r2 - 0.166_666_666_666_666_66
        let s = r + r * r2 * p
        return s * s
    }
}
