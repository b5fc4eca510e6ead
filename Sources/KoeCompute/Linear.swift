import Foundation

/// A PyTorch `Linear`: weight `[out, in]`, optional bias `[out]`.
public struct LinearWeights: Sendable {
    public let inFeatures: Int
    public let outFeatures: Int
    public let weight: [Float]
    public let bias: [Float]?

    public init(weight: Tensor, bias: Tensor?) {
        precondition(weight.rank == 2, "LinearWeights: weight must be [out, in], got \(weight.shape)")
        outFeatures = weight.shape[0]
        inFeatures = weight.shape[1]
        if let bias { precondition(bias.count == outFeatures, "LinearWeights: bias \(bias.shape) for \(outFeatures)") }
        self.weight = weight.data
        self.bias = bias?.data
    }
}

public enum Linear {
    /// `y[N, out] = x[N, in] · Wᵀ + b`.
    public static func forward(_ x: Tensor, _ w: LinearWeights, threads: Int = 1) -> Tensor {
        precondition(x.rank == 2 && x.shape[1] == w.inFeatures,
                     "Linear: input \(x.shape) does not match \(w.inFeatures) features")
        let n = x.shape[0], fin = w.inFeatures, fout = w.outFeatures
        var out = [Float](repeating: 0, count: n * fout)
        if let b = w.bias {
            out.withUnsafeMutableBufferPointer { op in
                for r in 0..<n { (op.baseAddress! + r * fout).update(from: b, count: fout) }
            }
        }
        let beta: Float = w.bias == nil ? 0 : 1
        x.data.withUnsafeBufferPointer { xp in
            w.weight.withUnsafeBufferPointer { wp in
                out.withUnsafeMutableBufferPointer { op in
                    let xb = xp.baseAddress!, wb = wp.baseAddress!
                    let ob = UnsafeMutableSendablePointer(op.baseAddress!)
                    let parts = n >= 32 ? threads : 1
                    Parallel.forEach(parts, threads: threads) { p in
                        let r0 = n * p / parts, r1 = n * (p + 1) / parts
                        BLAS.sgemm(transB: true, m: r1 - r0, n: fout, k: fin, a: xb + r0 * fin, lda: fin,
                                   b: wb, ldb: fin, beta: beta, c: ob.pointer + r0 * fout, ldc: fout)
                    }
                }
            }
        }
        return Tensor(shape: [n, fout], data: out)
    }

    /// `y[out] = W · v + b` for a single vector.
    public static func apply(_ v: [Float], _ w: LinearWeights) -> [Float] {
        precondition(v.count == w.inFeatures, "Linear: vector of \(v.count) for \(w.inFeatures) features")
        var y = w.bias ?? [Float](repeating: 0, count: w.outFeatures)
        w.weight.withUnsafeBufferPointer { wp in
            v.withUnsafeBufferPointer { vp in
                y.withUnsafeMutableBufferPointer { yp in
                    BLAS.sgemv(m: w.outFeatures, n: w.inFeatures, a: wp.baseAddress!, lda: w.inFeatures,
                               x: vp.baseAddress!, beta: 1, y: yp.baseAddress!)
                }
            }
        }
        return y
    }
}

public enum Attention {
    /// Multi-head self-attention core without projections: `q, k, v` are `[T, H·dh]` with
    /// head `h` in columns `h·dh ..< (h+1)·dh`; returns `softmax(q kᵀ·scale) v`, `[T, H·dh]`.
    /// No mask (batch 1, all positions valid).
    public static func forward(q: Tensor, k: Tensor, v: Tensor, heads: Int, scale: Float, threads: Int = 1) -> Tensor {
        precondition(q.shape == k.shape && k.shape == v.shape && q.rank == 2 && q.shape[1] % heads == 0,
                     "Attention: shapes \(q.shape) \(k.shape) \(v.shape), heads \(heads)")
        let t = q.shape[0], width = q.shape[1], dh = width / heads
        var out = [Float](repeating: 0, count: t * width)
        q.data.withUnsafeBufferPointer { qp in
            k.data.withUnsafeBufferPointer { kp in
                v.data.withUnsafeBufferPointer { vp in
                    out.withUnsafeMutableBufferPointer { op in
                        let qb = qp.baseAddress!, kb = kp.baseAddress!, vb = vp.baseAddress!
                        let ob = UnsafeMutableSendablePointer(op.baseAddress!)
                        Parallel.forEach(heads, threads: threads) { h in
                            let scores = UnsafeMutablePointer<Float>.allocate(capacity: t * t)
                            defer { scores.deallocate() }
                            BLAS.sgemm(transB: true, m: t, n: t, k: dh, alpha: scale,
                                       a: qb + h * dh, lda: width, b: kb + h * dh, ldb: width,
                                       c: scores, ldc: t)
                            for i in 0..<t {
                                let row = scores + i * t
                                var m = -Float.infinity
                                for j in 0..<t { m = max(m, row[j]) }
                                var s: Float = 0
                                for j in 0..<t { let e = expf(row[j] - m); row[j] = e; s += e }
                                let inv = 1 / s
                                for j in 0..<t { row[j] *= inv }
                            }
                            BLAS.sgemm(m: t, n: dh, k: t, a: scores, lda: t, b: vb + h * dh, ldb: width,
                                       c: ob.pointer + h * dh, ldc: width)
                        }
                    }
                }
            }
        }
        return Tensor(shape: [t, width], data: out)
    }
}
