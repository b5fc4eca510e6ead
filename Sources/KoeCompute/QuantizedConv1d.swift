#if canImport(CDNNL)
import CDNNL
#endif

/// A convolution's weights as 8-bit integers, for ``QuantizedConv1d``: per-tensor asymmetric
/// `uint8` with a zero point, the scheme of the int8 Kokoro file's convolutions.
///
/// Always 128 levels (0…127, the file's own "reduce range" grid): weights de-quantised from
/// that file are found on it and re-quantised exactly. The range is what keeps the integer
/// GEMM exact on every CPU: without VNNI, oneDNN multiplies u8 by s8 with `vpmaddubsw`, whose
/// 16-bit pair sums saturate past 32 767. With weights ≤ 127 and activations in −127…127 a
/// pair sums to at most 2·127·127 = 32 258, so no sum can saturate on any instruction set.
public struct QuantizedConv1dWeights: Sendable {
    public let outChannels: Int
    public let inChannels: Int
    public let kernelSize: Int
    /// `[Cout, Cin·K]` row-major, `w ≈ (q − zeroPoint) · scale`.
    public let weight: [UInt8]
    public let zeroPoint: UInt8
    public let scale: Float
    public let bias: [Float]?
    /// The largest distance of a given weight from its quantized value, in units of `scale`:
    /// about 0 when the weights were on this grid already, up to 0.5 otherwise.
    public let quantizationError: Float

    /// The largest quantized weight: 127, so that no 16-bit pair sum can saturate (see above).
    public static let maxLevel: UInt8 = 127

    /// Quantizes `w` over its range (min..max, zero included) into ``maxLevel`` + 1 levels.
    public init(_ w: Conv1dWeights) {
        OneDNNSettings.configure
        outChannels = w.outChannels
        inChannels = w.inChannels
        kernelSize = w.kernelSize
        bias = w.bias
        let lo = min(0, w.weight.min() ?? 0), hi = max(0, w.weight.max() ?? 0)
        let chosen = Self.quantize(w.weight, lo: lo, hi: hi, levels: Float(Self.maxLevel))
        scale = chosen.scale
        zeroPoint = chosen.zeroPoint
        weight = chosen.values
        quantizationError = chosen.maxError
    }

    private static func quantize(_ w: [Float], lo: Float, hi: Float, levels: Float)
        -> (values: [UInt8], scale: Float, zeroPoint: UInt8, maxError: Float) {
        let scale = hi > lo ? (hi - lo) / levels : 1
        let zp = min(levels, max(0, (-lo / scale).rounded()))
        var worst: Float = 0
        var values = [UInt8](repeating: 0, count: w.count)
        let inverse = 1 / scale
        w.withUnsafeBufferPointer { src in
            values.withUnsafeMutableBufferPointer { dst in
                for i in 0..<src.count {
                    let x = src[i] * inverse
                    let q = Swift.min(levels, Swift.max(0, x.rounded(.toNearestOrEven) + zp))
                    let e = (q - zp - x).magnitude
                    worst = e > worst ? e : worst
                    dst[i] = UInt8(q)
                }
            }
        }
        return (values, scale, UInt8(zp), worst)
    }
}

/// Activations in 8-bit integers for ``QuantizedConv1d``: symmetric `int8` (−127…127), one
/// scale for the tensor, `x ≈ value · scale`, channel-major `[channels, length]`.
public struct QuantizedActivations: Sendable {
    public let channels: Int
    public let length: Int
    public let values: [Int8]
    public let scale: Float

    public init(channels: Int, length: Int, values: [Int8], scale: Float) {
        precondition(values.count == channels * length, "QuantizedActivations: \(values.count) values for [\(channels), \(length)]")
        self.channels = channels
        self.length = length
        self.values = values
        self.scale = scale
    }
}

/// 1-D convolution in 8-bit integers: activations quantized per call (symmetric `int8`,
/// one scale for the tensor), weights `uint8` with a zero point, products summed exactly in
/// 32 bits by oneDNN's integer GEMM (VNNI where the CPU has it), then rescaled to float.
/// Same tiled im2col layout as ``Conv1d``.
public enum QuantizedConv1d {
    /// Whether this build has oneDNN; without it callers use ``Conv1d``.
    public static var isAvailable: Bool {
        #if canImport(CDNNL)
        true
        #else
        false
        #endif
    }

    /// The instruction set oneDNN dispatches to in this process (`DNNL_MAX_CPU_ISA` lowers it),
    /// e.g. `avx512_core_vnni` or `avx2`; `none` without oneDNN.
    public static var instructionSet: String {
        #if canImport(CDNNL)
        OneDNNSettings.configure
        return switch dnnl_get_effective_cpu_isa() {
        case dnnl_cpu_isa_sse41: "sse41"
        case dnnl_cpu_isa_avx: "avx"
        case dnnl_cpu_isa_avx2: "avx2"
        case dnnl_cpu_isa_avx2_vnni: "avx2_vnni"
        case dnnl_cpu_isa_avx512_core: "avx512_core"
        case dnnl_cpu_isa_avx512_core_vnni: "avx512_core_vnni"
        case dnnl_cpu_isa_avx512_core_bf16: "avx512_core_bf16"
        case dnnl_cpu_isa_avx512_core_amx: "avx512_core_amx"
        case let other: "isa 0x\(String(other.rawValue, radix: 16))"
        }
        #else
        "none"
        #endif
    }

    /// Whether the integer products use VNNI (`vpdpbusd`, exact 32-bit sums) rather than
    /// `vpmaddubsw` with its 16-bit pair sums. Both are exact for ``QuantizedConv1dWeights``.
    public static var usesVNNI: Bool { instructionSet.contains("vnni") || instructionSet.contains("amx") || instructionSet.contains("bf16") }

    /// `y[o, t] = b[o] + Σ_{c,k} W[o,c,k] · x[c, t + dilation·k − padding]`, stride 1.
    public static func forward(
        _ x: Tensor, _ w: QuantizedConv1dWeights, padding: Int = 0, dilation: Int = 1, threads: Int = 1
    ) -> Tensor {
        precondition(x.rank == 2 && x.shape[0] == w.inChannels,
                     "QuantizedConv1d: input \(x.shape) does not match \(w.inChannels) input channels")
        guard let xq = quantize(x, threads: threads) else {
            // Silent (or non-finite) input: the output is the bias.
            let tout = outputLength(x.shape[1], w, padding: padding, dilation: dilation)
            var out = [Float](repeating: 0, count: w.outChannels * tout)
            if let b = w.bias { addChannelBias(&out, b, length: tout) }
            return Tensor(shape: [w.outChannels, tout], data: out)
        }
        return forward(xq, w, padding: padding, dilation: dilation, threads: threads)
    }

    /// The convolution of activations already in integers (see ``quantize(_:threads:)``).
    public static func forward(
        _ x: QuantizedActivations, _ w: QuantizedConv1dWeights, padding: Int = 0, dilation: Int = 1, threads: Int = 1
    ) -> Tensor {
        let tout = outputLength(x.length, w, padding: padding, dilation: dilation)
        var out = Tensor(zeros: [w.outChannels, tout])
        run(x, w, padding: padding, dilation: dilation, threads: threads, into: &out, adding: false)
        return out
    }

    /// `y += conv(x)`: the output summed into `y` as it is produced (a residual connection
    /// without a second output tensor). `y` is `[Cout, Tout]`.
    public static func accumulate(
        _ x: QuantizedActivations, _ w: QuantizedConv1dWeights, into y: inout Tensor,
        padding: Int = 0, dilation: Int = 1, threads: Int = 1
    ) {
        let tout = outputLength(x.length, w, padding: padding, dilation: dilation)
        precondition(y.shape == [w.outChannels, tout], "QuantizedConv1d: cannot add [\(w.outChannels), \(tout)] into \(y.shape)")
        run(x, w, padding: padding, dilation: dilation, threads: threads, into: &y, adding: true)
    }

    /// Activations as symmetric `int8` over their largest magnitude; nil when they are all zero
    /// or not finite (then the convolution is its bias).
    public static func quantize(_ x: Tensor, threads: Int = 1) -> QuantizedActivations? {
        precondition(x.rank == 2, "QuantizedConv1d: activations must be [C, T], got \(x.shape)")
        let maxAbs = Self.maxAbs(x.data, threads: threads)
        guard maxAbs > 0 && maxAbs.isFinite else { return nil }
        let scale = maxAbs / 127
        return QuantizedActivations(channels: x.shape[0], length: x.shape[1],
                                    values: quantize(x.data, inverse: 1 / scale, threads: threads), scale: scale)
    }

    static func outputLength(_ tin: Int, _ w: QuantizedConv1dWeights, padding: Int, dilation: Int) -> Int {
        let tout = Conv1d.outputLength(tin, kernel: w.kernelSize, stride: 1, padding: padding, dilation: dilation)
        precondition(tout > 0, "QuantizedConv1d: input of length \(tin) too short for kernel \(w.kernelSize)")
        return tout
    }

    private static func run(
        _ xq: QuantizedActivations, _ w: QuantizedConv1dWeights, padding: Int, dilation: Int, threads: Int,
        into y: inout Tensor, adding: Bool
    ) {
        precondition(xq.channels == w.inChannels,
                     "QuantizedConv1d: input of \(xq.channels) channels does not match \(w.inChannels) input channels")
        let cin = w.inChannels, cout = w.outChannels, kk = w.kernelSize
        let tin = xq.length
        let tout = y.shape[1]
        #if canImport(CDNNL)
        let rows = cin * kk
        let outScale = xq.scale * w.scale
        let bias = w.bias
        let tiles = Conv1d.tileRanges(tout, rows: rows, threads: threads)
        if splitsChannels(tiles: tiles.count, outChannels: cout, threads: threads) {
            runSplittingChannels(xq, w, padding: padding, dilation: dilation, threads: threads, into: &y, adding: adding)
            return
        }
        let maxTile = tiles.map(\.count).max() ?? 0
        xq.values.withUnsafeBufferPointer { xp in
            w.weight.withUnsafeBufferPointer { wp in
                y.data.withUnsafeMutableBufferPointer { op in
                    let xb = xp.baseAddress!, wb = wp.baseAddress!
                    let obAddr = UnsafeMutableSendablePointer(op.baseAddress!)
                    Conv1d.forEachWorker(tiles: tiles, threads: threads) { mine in
                        // oneDNN would otherwise start an OpenMP team inside each worker.
                        omp_set_num_threads(1)
                        let cols = UnsafeMutablePointer<Int8>.allocate(capacity: rows * maxTile)
                        let acc = UnsafeMutablePointer<Int32>.allocate(capacity: cout * maxTile)
                        defer {
                            cols.deallocate()
                            acc.deallocate()
                        }
                        for r in mine {
                            Conv1d.im2col(xb, channels: cin, length: tin, kernel: kk, stride: 1, padding: padding,
                                          dilation: dilation, t0: r.lowerBound, width: r.count, into: cols)
                            // Safety: A is cout×rows, B rows×width, C cout×width, all allocated above.
                            integerGEMM(outputs: cout, width: r.count, rows: rows, weights: wb, zeroPoint: w.zeroPoint,
                                        columns: cols, into: acc)
                            store(acc, channels: 0..<cout, width: r.count, scale: outScale, bias: bias,
                                  into: obAddr.pointer + r.lowerBound, stride: tout, adding: adding)
                        }
                    }
                }
            }
        }
        #else
        preconditionFailure("QuantizedConv1d needs oneDNN (check QuantizedConv1d.isAvailable)")
        #endif
    }

    /// Whether the threads share a convolution by output channels rather than by time tiles:
    /// when the output is short (the decoder's frames, a head piece's first stages) there are
    /// too few tiles to share evenly, and each tile's GEMM packs all the weights again (3.3 MB
    /// for the decoder's), so one im2col of the whole output and a block of weight rows per
    /// thread is faster. The integer sums are the same either way.
    static func splitsChannels(tiles: Int, outChannels: Int, threads: Int) -> Bool {
        threads > 1 && tiles <= threads && outChannels >= 32 * threads
    }

    /// ``run`` with the output channels split between the threads (see ``splitsChannels``).
    private static func runSplittingChannels(
        _ xq: QuantizedActivations, _ w: QuantizedConv1dWeights, padding: Int, dilation: Int, threads: Int,
        into y: inout Tensor, adding: Bool
    ) {
        #if canImport(CDNNL)
        let cin = w.inChannels, cout = w.outChannels, kk = w.kernelSize
        let tin = xq.length, tout = y.shape[1]
        let rows = cin * kk
        let outScale = xq.scale * w.scale
        let bias = w.bias
        let parts = min(threads, cout)
        let cols = UnsafeMutablePointer<Int8>.allocate(capacity: rows * tout)
        defer { cols.deallocate() }
        let colsAddr = UnsafeMutableSendablePointer(cols)
        xq.values.withUnsafeBufferPointer { xp in
            w.weight.withUnsafeBufferPointer { wp in
                y.data.withUnsafeMutableBufferPointer { op in
                    let xb = xp.baseAddress!, wb = wp.baseAddress!
                    let obAddr = UnsafeMutableSendablePointer(op.baseAddress!)
                    // Each thread lays out its share of the input channels, then multiplies its
                    // share of the weight rows by all of them.
                    Parallel.forEach(parts, threads: parts) { p in
                        let c0 = cin * p / parts, c1 = cin * (p + 1) / parts
                        guard c1 > c0 else { return }
                        Conv1d.im2col(xb + c0 * tin, channels: c1 - c0, length: tin, kernel: kk, stride: 1, padding: padding,
                                      dilation: dilation, t0: 0, width: tout, into: colsAddr.pointer + c0 * kk * tout)
                    }
                    Parallel.forEach(parts, threads: parts) { p in
                        omp_set_num_threads(1)
                        let o0 = cout * p / parts, o1 = cout * (p + 1) / parts
                        guard o1 > o0 else { return }
                        let acc = UnsafeMutablePointer<Int32>.allocate(capacity: (o1 - o0) * tout)
                        defer { acc.deallocate() }
                        // Safety: A is the weights' rows o0..<o1 (each `rows` long), B rows×tout, C (o1−o0)×tout.
                        integerGEMM(outputs: o1 - o0, width: tout, rows: rows, weights: wb + o0 * rows, zeroPoint: w.zeroPoint,
                                    columns: colsAddr.pointer, into: acc)
                        store(acc, channels: o0..<o1, width: tout, scale: outScale, bias: bias,
                              into: obAddr.pointer, stride: tout, adding: adding)
                    }
                }
            }
        }
        #endif
    }

    #if canImport(CDNNL)
    /// `acc = (weights − zeroPoint) · columns` in exact 32-bit sums: weights `outputs×rows`
    /// (row-major, `rows` apart), columns `rows×width`, `acc` `outputs×width`.
    @inline(__always)
    private static func integerGEMM(outputs: Int, width: Int, rows: Int, weights: UnsafePointer<UInt8>, zeroPoint: UInt8,
                                    columns: UnsafePointer<Int8>, into acc: UnsafeMutablePointer<Int32>) {
        var offset: Int32 = 0
        let status = dnnl_gemm_u8s8s32(
            "N".utf8CString[0], "N".utf8CString[0], "F".utf8CString[0],
            Int64(outputs), Int64(width), Int64(rows), 1, weights, Int64(rows), zeroPoint,
            columns, Int64(width), 0, 0, acc, Int64(width), &offset)
        precondition(status == dnnl_success, "oneDNN integer GEMM failed with status \(status.rawValue)")
    }
    #endif

    /// Rescales the sums of output `channels` (`acc`, one row of `width` per channel, the first
    /// channel's first) to float with their bias, written or added at `out[o·stride + j]`.
    @inline(__always)
    private static func store(_ acc: UnsafePointer<Int32>, channels: Range<Int>, width: Int, scale: Float, bias: [Float]?,
                              into out: UnsafeMutablePointer<Float>, stride: Int, adding: Bool) {
        for o in channels {
            let src = acc + (o - channels.lowerBound) * width
            let dst = out + o * stride
            let b = bias.map { $0[o] } ?? 0
            if adding {
                for j in 0..<width { dst[j] += Float(src[j]) * scale + b }
            } else {
                for j in 0..<width { dst[j] = Float(src[j]) * scale + b }
            }
        }
    }

    /// `max |x|`, split across threads.
    static func maxAbs(_ x: [Float], threads: Int) -> Float {
        let parts = max(1, min(threads, x.count / 65_536))
        var partial = [Float](repeating: 0, count: parts)
        x.withUnsafeBufferPointer { xp in
            partial.withUnsafeMutableBufferPointer { pp in
                let base = xp.baseAddress!, results = UnsafeMutableSendablePointer(pp.baseAddress!)
                Parallel.forEach(parts, threads: parts) { part in
                    let lo = x.count * part / parts, hi = x.count * (part + 1) / parts
                    // Four accumulators without NaN handling, so the loop vectorises.
                    var m0: Float = 0, m1: Float = 0, m2: Float = 0, m3: Float = 0
                    var i = lo
                    while i + 4 <= hi {
                        let a = base[i].magnitude, b = base[i + 1].magnitude
                        let c = base[i + 2].magnitude, d = base[i + 3].magnitude
                        m0 = a > m0 ? a : m0
                        m1 = b > m1 ? b : m1
                        m2 = c > m2 ? c : m2
                        m3 = d > m3 ? d : m3
                        i += 4
                    }
                    var r = Swift.max(Swift.max(m0, m1), Swift.max(m2, m3))
                    while i < hi {
                        r = Swift.max(r, base[i].magnitude)
                        i += 1
                    }
                    results.pointer[part] = r
                }
            }
        }
        return partial.max() ?? 0
    }

    /// `round(x · inverse)` as `Int8` (the caller chose `inverse` so that |x · inverse| ≤ 127).
    static func quantize(_ x: [Float], inverse: Float, threads: Int) -> [Int8] {
        let n = x.count
        let parts = max(1, min(threads, n / 65_536))
        return [Int8](unsafeUninitializedCapacity: n) { out, count in
            x.withUnsafeBufferPointer { xp in
                let base = xp.baseAddress!
                let dst = UnsafeMutableSendablePointer(out.baseAddress!)
                Parallel.forEach(parts, threads: parts) { part in
                    let lo = n * part / parts, hi = n * (part + 1) / parts
                    let d = dst.pointer
                    for i in lo..<hi {
                        d[i] = Int8(truncatingIfNeeded: Int32((base[i] * inverse).rounded(.toNearestOrEven)))
                    }
                }
            }
            count = n
        }
    }
}
