/// 1-D convolution as tiled im2col + GEMM.
///
/// Input `x` is `[Cin, T]` channel-major; the weight is PyTorch's `[Cout, Cin, K]`, which
/// read row-major is already the `[Cout, Cin·K]` GEMM operand with column `c·K + k`.
public struct Conv1dWeights: Sendable {
    public let outChannels: Int
    public let inChannels: Int
    public let kernelSize: Int
    /// `[Cout, Cin·K]` row-major.
    public let weight: [Float]
    public let bias: [Float]?

    public init(weight: Tensor, bias: Tensor?) {
        precondition(weight.rank == 3, "Conv1dWeights: weight must be [Cout, Cin, K], got \(weight.shape)")
        outChannels = weight.shape[0]
        inChannels = weight.shape[1]
        kernelSize = weight.shape[2]
        self.weight = weight.data
        if let bias {
            precondition(bias.count == outChannels, "Conv1dWeights: bias \(bias.shape) for \(outChannels) outputs")
        }
        self.bias = bias?.data
    }
}

public enum Conv1d {
    /// Output length of a convolution.
    @inlinable
    public static func outputLength(_ t: Int, kernel: Int, stride: Int, padding: Int, dilation: Int) -> Int {
        (t + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1
    }

    /// `y[o, t] = b[o] + Σ_{c,k} W[o,c,k] · x[c, stride·t + dilation·k − padding]` (zero padding).
    public static func forward(
        _ x: Tensor, _ w: Conv1dWeights,
        stride: Int = 1, padding: Int = 0, dilation: Int = 1, threads: Int = 1
    ) -> Tensor {
        precondition(x.rank == 2 && x.shape[0] == w.inChannels,
                     "Conv1d: input \(x.shape) does not match \(w.inChannels) input channels")
        let cin = w.inChannels, cout = w.outChannels, kk = w.kernelSize
        let tin = x.shape[1]
        let tout = outputLength(tin, kernel: kk, stride: stride, padding: padding, dilation: dilation)
        precondition(tout > 0, "Conv1d: input of length \(tin) too short for kernel \(kk)")
        var out = [Float](repeating: 0, count: cout * tout)
        let rows = cin * kk

        // Pointwise convolution with unit stride needs no im2col at all.
        if kk == 1 && stride == 1 && padding == 0 {
            x.data.withUnsafeBufferPointer { xp in
                w.weight.withUnsafeBufferPointer { wp in
                    out.withUnsafeMutableBufferPointer { op in
                        let xb = xp.baseAddress!, wb = wp.baseAddress!, ob = op.baseAddress!
                        let tiles = tileRanges(tout, rows: rows, threads: threads)
                        // Safety: each tile writes only its own output columns.
                        let obAddr = UnsafeMutableSendablePointer(ob)
                        Parallel.forEach(tiles.count, threads: threads) { i in
                            let r = tiles[i]
                            BLAS.sgemm(m: cout, n: r.count, k: cin, a: wb, lda: cin,
                                       b: xb + r.lowerBound, ldb: tin,
                                       c: obAddr.pointer + r.lowerBound, ldc: tout)
                        }
                    }
                }
            }
        } else {
            let tiles = tileRanges(tout, rows: rows, threads: threads)
            let maxTile = tiles.map(\.count).max() ?? 0
            x.data.withUnsafeBufferPointer { xp in
                w.weight.withUnsafeBufferPointer { wp in
                    out.withUnsafeMutableBufferPointer { op in
                        let xb = xp.baseAddress!, wb = wp.baseAddress!
                        let obAddr = UnsafeMutableSendablePointer(op.baseAddress!)
                        forEachWorker(tiles: tiles, threads: threads) { mine in
                            let cols = UnsafeMutablePointer<Float>.allocate(capacity: rows * maxTile)
                            defer { cols.deallocate() }
                            for r in mine {
                                im2col(xb, channels: cin, length: tin, kernel: kk, stride: stride, padding: padding,
                                       dilation: dilation, t0: r.lowerBound, width: r.count, into: cols)
                                BLAS.sgemm(m: cout, n: r.count, k: rows, a: wb, lda: rows,
                                           b: cols, ldb: r.count,
                                           c: obAddr.pointer + r.lowerBound, ldc: tout)
                            }
                        }
                    }
                }
            }
        }
        if let b = w.bias { addChannelBias(&out, b, length: tout) }
        return Tensor(shape: [cout, tout], data: out)
    }

    /// Deals `tiles` round-robin to at most `threads` workers (worker w gets tiles w,
    /// w + workers, …) and runs `body` once per worker with its tiles, so each worker can
    /// allocate its scratch buffers once.
    static func forEachWorker(tiles: [Range<Int>], threads: Int, _ body: ([Range<Int>]) -> Void) {
        let workers = max(1, min(threads, tiles.count))
        Parallel.forEach(workers, threads: workers) { w in
            body(stride(from: w, to: tiles.count, by: workers).map { tiles[$0] })
        }
    }

    /// Time tiles: wide enough for efficient GEMMs, small enough for the im2col buffer
    /// to stay near cache, and at least one per thread.
    static func tileRanges(_ t: Int, rows: Int, threads: Int) -> [Range<Int>] {
        var width = max(64, min(2048, (1 << 20) / max(rows, 1)))
        let perThread = (t + threads - 1) / max(threads, 1)
        width = max(1, min(width, perThread))
        var ranges = [Range<Int>]()
        var s = 0
        while s < t {
            ranges.append(s..<min(t, s + width))
            s += width
        }
        return ranges
    }

    /// Fills `cols[(c·K + k)·width + j] = x[c, (t0+j)·stride + k·dilation − padding]` (0 outside).
    @inline(__always)
    static func im2col<Element: Numeric>(
        _ x: UnsafePointer<Element>, channels: Int, length: Int, kernel: Int, stride: Int,
        padding: Int, dilation: Int, t0: Int, width: Int, into cols: UnsafeMutablePointer<Element>
    ) {
        for c in 0..<channels {
            let src = x + c * length
            for k in 0..<kernel {
                let dst = cols + (c * kernel + k) * width
                let offset = k * dilation - padding
                if stride == 1 {
                    // Valid j: 0 <= t0 + j + offset < length.
                    let jLo = max(0, min(width, -(t0 + offset)))
                    let jHi = max(jLo, min(width, length - t0 - offset))
                    if jLo > 0 { dst.update(repeating: 0, count: jLo) }
                    if jHi > jLo { dst.advanced(by: jLo).update(from: src + (t0 + jLo + offset), count: jHi - jLo) }
                    if jHi < width { dst.advanced(by: jHi).update(repeating: 0, count: width - jHi) }
                } else {
                    for j in 0..<width {
                        let s = (t0 + j) * stride + offset
                        dst[j] = (s >= 0 && s < length) ? src[s] : 0
                    }
                }
            }
        }
    }
}

/// Adds `bias[c]` to every element of row `c` of a `[C, length]` buffer.
@inlinable
public func addChannelBias(_ y: inout [Float], _ bias: [Float], length: Int) {
    precondition(y.count == bias.count * length)
    y.withUnsafeMutableBufferPointer { yp in
        for c in 0..<bias.count {
            let b = bias[c]
            let row = yp.baseAddress! + c * length
            for t in 0..<length { row[t] += b }
        }
    }
}
