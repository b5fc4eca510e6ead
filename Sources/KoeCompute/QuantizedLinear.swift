#if canImport(CDNNL)
import CDNNL
#endif

/// A Linear's weights as 8-bit integers, for ``QuantizedLinear``: symmetric `int8`, one scale
/// per output feature, the scheme of the int8 Kokoro file's `MatMulInteger` layers.
///
/// Only weights on a grid of at most ±64 levels are taken (the file's "reduce range" grid;
/// they are re-quantized exactly). With activations in 0…255 a pair of products sums to at
/// most 2·255·64 = 32 640, so the 16-bit pair sums of `vpmaddubsw` (CPUs without VNNI)
/// cannot saturate: the GEMM is exact on every instruction set.
public struct QuantizedLinearWeights: Sendable {
    public let inFeatures: Int
    public let outFeatures: Int
    /// `[in, out]` row-major (the GEMM's right operand), `w[o, i] = q[i, o] · scales[o]`.
    public let weight: [Int8]
    public let scales: [Float]
    public let bias: [Float]?

    /// The largest level a weight may use (see above).
    public static let maxLevel: Float = 64

    /// `w` in integers, or nil when some output feature's weights are not on a grid of
    /// ``maxLevel`` levels each side of zero (the float32 file's are not).
    public init?(_ w: LinearWeights) {
        OneDNNSettings.configure
        let fin = w.inFeatures, fout = w.outFeatures
        var scales = [Float](repeating: 1, count: fout)
        var q = [Int8](repeating: 0, count: fin * fout)
        let onGrid = w.weight.withUnsafeBufferPointer { src in
            q.withUnsafeMutableBufferPointer { dst in
                for o in 0..<fout {
                    let row = UnsafeBufferPointer(rebasing: src[(o * fin)..<((o + 1) * fin)])
                    let top = row.reduce(Float(0)) { max($0, $1.magnitude) }
                    guard top > 0 else { continue }
                    let scale = top / Self.maxLevel
                    scales[o] = scale
                    for (i, v) in row.enumerated() {
                        let x = v / scale
                        let level = x.rounded(.toNearestOrEven)
                        // A weight off the grid by more than a rounding error: not this scheme.
                        guard (x - level).magnitude < 1e-3 else { return false }
                        dst[i * fout + o] = Int8(level)
                    }
                }
                return true
            }
        }
        guard onGrid else { return nil }
        inFeatures = fin
        outFeatures = fout
        weight = q
        self.scales = scales
        bias = w.bias
    }
}

/// `y = x · Wᵀ + b` in 8-bit integers, as onnxruntime runs the int8 file's `MatMulInteger`:
/// the input quantized per call to `uint8` with a zero point (`DynamicQuantizeLinear`, one
/// scale for the tensor), exact 32-bit sums from oneDNN's integer GEMM, then
/// `sum · (x_scale · w_scale[o]) + b[o]` in float.
public enum QuantizedLinear {
    /// An input quantized once for several layers that read it (ALBERT's query, key and value).
    public struct Input: Sendable {
        let rows: Int
        let features: Int
        let values: [UInt8]
        let scale: Float
        let zeroPoint: UInt8

        public init(_ x: Tensor) {
            precondition(x.rank == 2, "QuantizedLinear.Input: rank \(x.rank)")
            rows = x.shape[0]
            features = x.shape[1]
            (values, scale, zeroPoint) = QuantizedLinear.quantize(x.data)
        }
    }

    /// `y[N, out]` for `x[N, in]`.
    public static func forward(_ x: Tensor, _ w: QuantizedLinearWeights, threads: Int = 1) -> Tensor {
        precondition(x.rank == 2 && x.shape[1] == w.inFeatures,
                     "QuantizedLinear: input \(x.shape) does not match \(w.inFeatures) features")
        return forward(Input(x), w, threads: threads)
    }

    /// `y[N, out]` for an input quantized already.
    public static func forward(_ x: Input, _ w: QuantizedLinearWeights, threads: Int = 1) -> Tensor {
        precondition(x.features == w.inFeatures,
                     "QuantizedLinear: input of \(x.features) features does not match \(w.inFeatures)")
        let n = x.rows, fin = w.inFeatures, fout = w.outFeatures
        var out = [Float](repeating: 0, count: n * fout)
        #if canImport(CDNNL)
        let (xq, scale, zeroPoint) = (x.values, x.scale, x.zeroPoint)
        if scale > 0 {
            let bias = w.bias
            xq.withUnsafeBufferPointer { xp in
                w.weight.withUnsafeBufferPointer { wp in
                    w.scales.withUnsafeBufferPointer { sp in
                        out.withUnsafeMutableBufferPointer { op in
                            let xb = xp.baseAddress!, wb = wp.baseAddress!, sb = sp.baseAddress!
                            let ob = UnsafeMutableSendablePointer(op.baseAddress!)
                            // Threads split the output features, so each packs only its own
                            // columns of the weights (a split of the rows would repack them all).
                            let parts = n >= 32 && fout >= 128 ? max(1, threads) : 1
                            Parallel.forEach(parts, threads: parts) { p in
                                let c0 = fout * p / parts, c1 = fout * (p + 1) / parts
                                guard c1 > c0 else { return }
                                omp_set_num_threads(1)
                                let cols = c1 - c0
                                let acc = UnsafeMutablePointer<Int32>.allocate(capacity: n * cols)
                                defer { acc.deallocate() }
                                var offset: Int32 = 0
                                // Safety: A is n×fin, B fin×cols from column c0 (row stride fout), C n×cols.
                                let status = dnnl_gemm_u8s8s32(
                                    "N".utf8CString[0], "N".utf8CString[0], "F".utf8CString[0],
                                    Int64(n), Int64(cols), Int64(fin), 1, xb, Int64(fin), zeroPoint,
                                    wb + c0, Int64(fout), 0, 0, acc, Int64(cols), &offset)
                                precondition(status == dnnl_success, "oneDNN integer GEMM failed with status \(status.rawValue)")
                                for r in 0..<n {
                                    let src = acc + r * cols, dst = ob.pointer + r * fout + c0
                                    if let bias {
                                        bias.withUnsafeBufferPointer { bp in
                                            let b = bp.baseAddress! + c0
                                            for o in 0..<cols { dst[o] = Float(src[o]) * (scale * sb[c0 + o]) + b[o] }
                                        }
                                    } else {
                                        for o in 0..<cols { dst[o] = Float(src[o]) * (scale * sb[c0 + o]) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            return Tensor(shape: [n, fout], data: out)
        }
        #else
        preconditionFailure("QuantizedLinear needs oneDNN (check QuantizedConv1d.isAvailable)")
        #endif
        // An all-zero (or non-finite) input: the output is the bias.
        if let b = w.bias {
            for r in 0..<n { for o in 0..<fout { out[r * fout + o] = b[o] } }
        }
        return Tensor(shape: [n, fout], data: out)
    }

    /// `y[out]` for a single vector.
    public static func apply(_ v: [Float], _ w: QuantizedLinearWeights) -> [Float] {
        forward(Tensor(shape: [1, v.count], data: v), w).data
    }

    /// onnxruntime's `DynamicQuantizeLinear`: `lo = min(0, min x)`, `hi = max(0, max x)`,
    /// `s = (hi − lo) / 255`, `zp = round(−lo / s)`, `q = clamp(round(x / s) + zp, 0, 255)`,
    /// rounding half to even. Scale 0 for an all-zero or non-finite input.
    static func quantize(_ x: [Float]) -> (values: [UInt8], scale: Float, zeroPoint: UInt8) {
        guard !x.isEmpty else { return ([], 0, 0) }
        // A NaN makes the range (and so the scale) non-finite, or shows below as a NaN level.
        let (lo, hi) = x.withUnsafeBufferPointer { xp in
            let (a, b) = RowSums.range(xp.baseAddress!, count: xp.count)
            return (Swift.min(0, a), Swift.max(0, b))
        }
        let scale = (hi - lo) / 255
        guard scale > 0, scale.isFinite else { return ([], 0, 0) }
        let zp = min(255, max(0, (-lo / scale).rounded(.toNearestOrEven)))
        let values = [UInt8](unsafeUninitializedCapacity: x.count) { out, count in
            x.withUnsafeBufferPointer { xp in
                // Plain pointers and a select for NaN, so that the loop vectorises.
                let src = xp.baseAddress!, dst = out.baseAddress!
                for i in 0..<xp.count {
                    let q = (src[i] / scale).rounded(.toNearestOrEven) + zp
                    let level = min(255, max(0, q.isNaN ? zp : q))
                    dst[i] = UInt8(level)
                }
            }
            count = x.count
        }
        return (values, scale, UInt8(zp))
    }
}
