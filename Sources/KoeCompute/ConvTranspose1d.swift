/// Transposed 1-D convolution (PyTorch `ConvTranspose1d`), dense or depthwise.
///
/// Weight layout is PyTorch's `[Cin, Cout/groups, K]`.
public struct ConvTranspose1dWeights: Sendable {
    public let inChannels: Int
    public let outChannels: Int
    public let kernelSize: Int
    public let depthwise: Bool
    /// Dense: `[Cin, Cout·K]` row-major. Depthwise: `[C, K]`.
    public let weight: [Float]
    public let bias: [Float]

    public init(weight: Tensor, bias: Tensor, depthwise: Bool = false) {
        precondition(weight.rank == 3, "ConvTranspose1dWeights: weight must be [Cin, Cout/g, K], got \(weight.shape)")
        inChannels = weight.shape[0]
        kernelSize = weight.shape[2]
        self.depthwise = depthwise
        if depthwise {
            precondition(weight.shape[1] == 1, "depthwise ConvTranspose1d needs [C, 1, K], got \(weight.shape)")
            outChannels = inChannels
        } else {
            outChannels = weight.shape[1]
        }
        precondition(bias.count == outChannels, "ConvTranspose1dWeights: bias \(bias.shape) for \(outChannels) outputs")
        self.weight = weight.data
        self.bias = bias.data
    }
}

public enum ConvTranspose1d {
    @inlinable
    public static func outputLength(_ t: Int, kernel: Int, stride: Int, padding: Int, outputPadding: Int) -> Int {
        (t - 1) * stride - 2 * padding + kernel + outputPadding
    }

    /// Scatters `x[c,t]·W[c,o,k]` to output position `stride·t + k − padding`; positions
    /// outside `[0, Tout)` are dropped; bias added.
    public static func forward(
        _ x: Tensor, _ w: ConvTranspose1dWeights,
        stride: Int, padding: Int, outputPadding: Int = 0, threads: Int = 1
    ) -> Tensor {
        precondition(x.rank == 2 && x.shape[0] == w.inChannels,
                     "ConvTranspose1d: input \(x.shape) does not match \(w.inChannels) channels")
        let tin = x.shape[1], kk = w.kernelSize, cout = w.outChannels
        let tout = outputLength(tin, kernel: kk, stride: stride, padding: padding, outputPadding: outputPadding)
        precondition(tout > 0, "ConvTranspose1d: empty output")
        var out = [Float](repeating: 0, count: cout * tout)
        if w.depthwise {
            x.data.withUnsafeBufferPointer { xp in
                out.withUnsafeMutableBufferPointer { op in
                    let o = UnsafeMutableSendablePointer(op.baseAddress!)
                    let xb = xp.baseAddress!
                    Parallel.forEach(cout, threads: threads) { c in
                        let src = xb + c * tin, dst = o.pointer + c * tout
                        let b = w.bias[c]
                        for t in 0..<tout { dst[t] = b }
                        for k in 0..<kk {
                            let wk = w.weight[c * kk + k]
                            for t in 0..<tin {
                                let p = stride * t + k - padding
                                if p >= 0 && p < tout { dst[p] += wk * src[t] }
                            }
                        }
                    }
                }
            }
            return Tensor(shape: [cout, tout], data: out)
        }

        let cin = w.inChannels
        let ld = cout * kk
        // Blocks of output channels: each worker owns its rows of the output, so the
        // overlap-add never races.
        let blocks = max(1, min(threads * 4, cout / 8))
        let tileT = max(1, min(tin, (1 << 19) / max(1, (cout / blocks + 1) * kk)))
        x.data.withUnsafeBufferPointer { xp in
            w.weight.withUnsafeBufferPointer { wp in
                out.withUnsafeMutableBufferPointer { op in
                    let xb = xp.baseAddress!, wb = wp.baseAddress!
                    let ob = UnsafeMutableSendablePointer(op.baseAddress!)
                    Parallel.forEach(blocks, threads: threads) { bi in
                        let o0 = cout * bi / blocks, o1 = cout * (bi + 1) / blocks
                        let rows = (o1 - o0) * kk
                        if rows == 0 { return }
                        let cols = UnsafeMutablePointer<Float>.allocate(capacity: rows * tileT)
                        defer { cols.deallocate() }
                        var t0 = 0
                        while t0 < tin {
                            let n = min(tileT, tin - t0)
                            // cols[(o−o0)·K + k, j] = Σ_c W[c, o, k] · x[c, t0 + j]
                            BLAS.sgemm(transA: true, m: rows, n: n, k: cin,
                                       a: wb + o0 * kk, lda: ld, b: xb + t0, ldb: tin,
                                       c: cols, ldc: n)
                            for o in o0..<o1 {
                                let dst = ob.pointer + o * tout
                                for k in 0..<kk {
                                    let src = cols + ((o - o0) * kk + k) * n
                                    for j in 0..<n {
                                        let p = stride * (t0 + j) + k - padding
                                        if p >= 0 && p < tout { dst[p] += src[j] }
                                    }
                                }
                            }
                            t0 += n
                        }
                        for o in o0..<o1 {
                            let b = w.bias[o]
                            let dst = ob.pointer + o * tout
                            for t in 0..<tout { dst[t] += b }
                        }
                    }
                }
            }
        }
        return Tensor(shape: [cout, tout], data: out)
    }
}
