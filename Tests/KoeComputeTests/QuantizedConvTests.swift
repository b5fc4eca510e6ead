import Foundation
import Testing
@testable import KoeCompute

@Suite struct QuantizedConvTests {
    struct Shape: Sendable, CustomStringConvertible {
        var cin, cout, k, t, dilation: Int
        var description: String { "\(cin)→\(cout) k\(k) d\(dilation) t\(t)" }
    }

    static let shapes = [
        Shape(cin: 1, cout: 1, k: 1, t: 1, dilation: 1), Shape(cin: 3, cout: 5, k: 3, t: 17, dilation: 1),
        Shape(cin: 16, cout: 8, k: 7, t: 100, dilation: 3), Shape(cin: 32, cout: 32, k: 11, t: 257, dilation: 5),
        Shape(cin: 64, cout: 48, k: 3, t: 3000, dilation: 1),
    ]

    /// Uniform values in [lo, hi) from a fixed LCG.
    static func values(_ n: Int, seed: UInt64, _ lo: Float, _ hi: Float) -> [Float] {
        var s = seed
        return (0..<n).map { _ in
            s = s &* 6364136223846793005 &+ 1442695040888963407
            return lo + (hi - lo) * Float(s >> 40) / Float(1 << 24)
        }
    }

    @Test(arguments: shapes)
    func matchesTheFloatConvolutionWithinQuantizationError(_ s: Shape) throws {
        try #require(QuantizedConv1d.isAvailable)
        let x = Tensor(shape: [s.cin, s.t], data: Self.values(s.cin * s.t, seed: 1, -1.5, 2.5))
        let w = Conv1dWeights(weight: Tensor(shape: [s.cout, s.cin, s.k], data: Self.values(s.cout * s.cin * s.k, seed: 2, -0.3, 0.2)),
                              bias: Tensor(shape: [s.cout], data: Self.values(s.cout, seed: 3, -1, 1)))
        let q = QuantizedConv1dWeights(w)
        #expect(q.maxError(against: w) <= 0.5001)
        let pad = s.dilation * (s.k - 1) / 2
        for threads in [1, 2] {
            let exact = Conv1d.forward(x, w, padding: pad, dilation: s.dilation, threads: threads)
            let fast = QuantizedConv1d.forward(x, q, padding: pad, dilation: s.dilation, threads: threads)
            #expect(fast.shape == exact.shape)
            var num = 0.0, den = 0.0
            for (a, b) in zip(fast.data, exact.data) {
                num += Double(a - b) * Double(a - b)
                den += Double(b) * Double(b)
            }
            // 8-bit inputs and weights: about 0.5 % each, independent, summed over Cin·K terms.
            #expect((num / max(den, 1e-30)).squareRoot() < 0.02, "\(s), \(threads) threads")
        }
    }

    @Test func weightsOnTheFilesGridAreReproducedExactly() {
        // Values on a uint8 grid with zero point 51 and levels 0…127, as in
        // kokoro-v1.0.int8.onnx, both extremes present.
        let scale: Float = 0.00234526, zp: Float = 51
        let grid = (0..<300).map { (Float($0 % 128) - zp) * scale }
        let w = Conv1dWeights(weight: Tensor(shape: [3, 10, 10], data: grid), bias: nil)
        let q = QuantizedConv1dWeights(w)
        #expect(q.zeroPoint == 51)
        #expect(abs(q.scale - scale) < 1e-6)
        #expect(q.maxError(against: w) < 1e-3)
    }

    @Test func weightsOnAFullByteGridStayWithin128Levels() {
        // A 256-level grid (another quantizer's) is re-quantized onto 128 levels: the largest
        // stored value is 127, the error at most half a step of the new grid.
        let grid = (0..<300).map { (Float($0 % 256) - 100) * 0.01 }
        let w = Conv1dWeights(weight: Tensor(shape: [3, 10, 10], data: grid), bias: nil)
        let q = QuantizedConv1dWeights(w)
        #expect(q.weight.max() == QuantizedConv1dWeights.maxLevel)
        #expect(q.weight.min() == 0)
        #expect(q.maxError(against: w) <= 0.5001)
    }

    /// The saturation case: every weight and every activation at the end of its range, so that
    /// each pair of products in a 16-bit `vpmaddubsw` sum is as large as it can be. Weights and
    /// inputs sit exactly on their grids, so the integer result must equal the float one to
    /// rounding; a saturating pair sum (u8 255 · s8 127 · 2 > 32 767) would be off by half.
    @Test(arguments: [(Float(0.75), Float(2)), (-0.75, 2), (0.75, -2), (-0.5, -3)])
    func extremeWeightsAndActivationsDoNotSaturate(_ weight: Float, _ input: Float) throws {
        try #require(QuantizedConv1d.isAvailable)
        let cin = 64, cout = 16, k = 3, t = 40
        let w = Conv1dWeights(weight: Tensor(shape: [cout, cin, k], data: [Float](repeating: weight, count: cout * cin * k)),
                              bias: nil)
        // Rows of zeros beside them put the zero point at the other end of the grid (a zero
        // weight is stored as 127 when the others are negative).
        var mixed = w.weight
        for o in stride(from: 1, to: cout, by: 2) {
            for i in 0..<(cin * k) { mixed[o * cin * k + i] = 0 }
        }
        for weights in [w, Conv1dWeights(weight: Tensor(shape: [cout, cin, k], data: mixed), bias: nil)] {
            let x = Tensor(shape: [cin, t], data: [Float](repeating: input, count: cin * t))
            let q = QuantizedConv1dWeights(weights)
            #expect(q.maxError(against: weights) < 1e-3)
            let exact = Conv1d.forward(x, weights, padding: 0, threads: 1)
            let fast = QuantizedConv1d.forward(x, q, padding: 0, threads: 1)
            let worst = zip(fast.data, exact.data).map { abs($0 - $1) / max(abs($1), 1) }.max() ?? 0
            #expect(worst < 1e-4, "weight \(weight), input \(input), ISA \(QuantizedConv1d.instructionSet)")
        }
    }

    /// Full-range random weights and activations (both grids used end to end) against an exact
    /// integer reference computed here: the GEMM's 32-bit sums must be exact.
    @Test(arguments: [1, 2])
    func integerSumsAreExactOverFullRanges(_ threads: Int) throws {
        try #require(QuantizedConv1d.isAvailable)
        let cin = 48, cout = 24, k = 5, t = 300, dilation = 2, pad = 4
        let x = Tensor(shape: [cin, t], data: Self.values(cin * t, seed: 7, -1, 1))
        var wv = Self.values(cout * cin * k, seed: 8, -0.4, 0.6)
        wv[0] = -0.4
        wv[1] = 0.6
        let w = Conv1dWeights(weight: Tensor(shape: [cout, cin, k], data: wv), bias: nil)
        let q = QuantizedConv1dWeights(w)
        #expect(q.weight.contains(0) && q.weight.contains(QuantizedConv1dWeights.maxLevel))
        let maxAbs = x.data.map(\.magnitude).max() ?? 1
        let xq = x.data.map { Int32(($0 * (127 / maxAbs)).rounded(.toNearestOrEven)) }
        let fast = QuantizedConv1d.forward(x, q, padding: pad, dilation: dilation, threads: threads)
        let tout = fast.shape[1]
        var worst: Float = 0
        for o in 0..<cout {
            for j in 0..<tout {
                var sum: Int64 = 0
                for c in 0..<cin {
                    for kk in 0..<k {
                        let ti = j + dilation * kk - pad
                        guard ti >= 0 && ti < t else { continue }
                        sum += Int64(Int32(q.weight[(o * cin + c) * k + kk]) - Int32(q.zeroPoint)) * Int64(xq[c * t + ti])
                    }
                }
                let expected = Float(sum) * (maxAbs / 127) * q.scale
                worst = max(worst, abs(fast.data[o * tout + j] - expected) / max(abs(expected), 1e-3))
            }
        }
        #expect(worst < 1e-4, "ISA \(QuantizedConv1d.instructionSet)")
    }

    /// `DNNL_MAX_CPU_ISA` (or `ONEDNN_MAX_CPU_ISA`) lowers what oneDNN dispatches to: the test
    /// script's second pass runs this suite with `AVX2`, the path of CPUs without VNNI.
    @Test func honoursTheInstructionSetLimit() throws {
        try #require(QuantizedConv1d.isAvailable)
        let env = ProcessInfo.processInfo.environment
        let isa = QuantizedConv1d.instructionSet
        if let limit = (env["DNNL_MAX_CPU_ISA"] ?? env["ONEDNN_MAX_CPU_ISA"])?.lowercased(), limit == "avx2" {
            #expect(isa == "avx2")
            #expect(!QuantizedConv1d.usesVNNI)
        } else {
            #expect(isa != "isa 0x0" && isa != "none")
        }
    }

    /// Without a limit in the environment, oneDNN stays off AMX (slower for these GEMMs) and
    /// keeps AVX-512 VNNI where the CPU has AMX; the CPU's flags come from `CPUInfo`, as `koe bench` prints them.
    @Test func staysOffAMXUnlessAsked() throws {
        try #require(QuantizedConv1d.isAvailable)
        let env = ProcessInfo.processInfo.environment
        let flags = CPUInfo.flags
        #if arch(x86_64) && os(Linux)
        #expect(flags.contains("sse2"), "flags read from /proc/cpuinfo: \(flags.count)")
        #endif
        guard env["DNNL_MAX_CPU_ISA"] == nil, env["ONEDNN_MAX_CPU_ISA"] == nil else { return }
        _ = BLAS.configure
        let isa = QuantizedConv1d.instructionSet
        #expect(isa != "avx512_core_amx")
        if flags.contains("amx_int8") { #expect(isa == "avx512_core_bf16" && QuantizedConv1d.usesVNNI) }
    }

    /// The norm written straight as integers is the float norm quantized (same scale within
    /// rounding, each value within one step), for Snake with positive and negative α, a prior
    /// on the tape, and LeakyReLU; the statistics recorded are the float path's.
    @Test(arguments: [1, 2])
    func aNormQuantizedInPlaceIsTheFloatNormQuantized(_ threads: Int) throws {
        let c = 6, t = 5_001
        let x = Tensor(shape: [c, t], data: Self.values(c * t, seed: 7, -3, 5))
        let gamma = Self.values(c, seed: 8, -1.5, 1.5), beta = Self.values(c, seed: 9, -1, 1)
        let prior = (0..<8).map { _ in InstanceNormTape.Layer(mean: Self.values(c, seed: 10, -1, 1), meanSquare: Self.values(c, seed: 11, 2, 3)) }
        let activations: [PostActivation] = [.snake(alpha: Self.values(c, seed: 12, -2, 3)), .leakyReLU(slope: 0.2), .identity]
        for activation in activations {
            for blended in [false, true] {
                let floatTape = blended ? InstanceNormTape.blending(prior, priorSeconds: 4, windowSeconds: 1) : .record()
                let fusedTape = blended ? InstanceNormTape.blending(prior, priorSeconds: 4, windowSeconds: 1) : .record()
                let norm = Normalization.adaptiveInstanceNorm(x, gamma: gamma, beta: beta, activation: activation, threads: threads, tape: floatTape)
                let expected = try #require(QuantizedConv1d.quantize(norm, threads: threads))
                let fused = try #require(Normalization.adaptiveInstanceNormQuantized(
                    x, gamma: gamma, beta: beta, activation: activation, threads: threads, tape: fusedTape))
                #expect(abs(fused.scale - expected.scale) <= expected.scale * 1e-5, "\(activation)")
                let worst = zip(fused.values, expected.values).map { abs(Int($0) - Int($1)) }.max() ?? 0
                #expect(worst <= 1, "\(activation), blended \(blended)")
                // Dequantized, every value is within one step of the float norm.
                let far = zip(fused.values, norm.data).map { abs(Float($0) * fused.scale - $1) }.max() ?? 0
                #expect(far <= fused.scale, "\(activation)")
                #expect(fusedTape.layers.count == 1 && fusedTape.layers[0].mean == floatTape.layers[0].mean
                        && fusedTape.layers[0].meanSquare == floatTape.layers[0].meanSquare)
            }
        }
        // Nothing to quantize: nil, and nothing recorded (the caller's float path records it).
        let tape = InstanceNormTape.record()
        #expect(Normalization.adaptiveInstanceNormQuantized(Tensor(zeros: [2, 9]), gamma: [-1, -1], beta: [0, 0], tape: tape) == nil)
        #expect(tape.layers.isEmpty)
        var bad = x
        bad.data[17] = .nan
        #expect(Normalization.adaptiveInstanceNormQuantized(bad, gamma: gamma, beta: beta) == nil)
    }

    /// Accumulating into a residual is the residual plus the convolution's own output.
    @Test(arguments: [1, 2])
    func accumulatingAddsTheConvolutionToTheResidual(_ threads: Int) throws {
        try #require(QuantizedConv1d.isAvailable)
        let cin = 12, cout = 12, k = 7, t = 901
        let x = Tensor(shape: [cin, t], data: Self.values(cin * t, seed: 21, -1, 1))
        let w = QuantizedConv1dWeights(Conv1dWeights(
            weight: Tensor(shape: [cout, cin, k], data: Self.values(cout * cin * k, seed: 22, -0.3, 0.2)),
            bias: Tensor(shape: [cout], data: Self.values(cout, seed: 23, -1, 1))))
        let q = try #require(QuantizedConv1d.quantize(x, threads: threads))
        let residual = Tensor(shape: [cout, t], data: Self.values(cout * t, seed: 24, -4, 4))
        var sum = residual
        QuantizedConv1d.accumulate(q, w, into: &sum, padding: 9, dilation: 3, threads: threads)
        let conv = QuantizedConv1d.forward(x, w, padding: 9, dilation: 3, threads: threads)
        let worst = zip(sum.data, zip(residual.data, conv.data)).map { abs($0 - ($1.0 + $1.1)) }.max() ?? 1
        #expect(worst <= 1e-5)
    }

    /// A short output shared by output channels (two threads) gives the very numbers of the
    /// time tiles (one thread), written and accumulated, with an odd split and edge padding.
    @Test(arguments: [(cin: 96, cout: 130, k: 3, t: 160, dilation: 1), (cin: 64, cout: 64, k: 11, t: 37, dilation: 5)])
    func splittingOutputChannelsGivesTheSameNumbers(_ s: (cin: Int, cout: Int, k: Int, t: Int, dilation: Int)) throws {
        try #require(QuantizedConv1d.isAvailable)
        let rows = s.cin * s.k
        #expect(QuantizedConv1d.splitsChannels(tiles: Conv1d.tileRanges(s.t, rows: rows, threads: 2).count,
                                               outChannels: s.cout, threads: 2))
        #expect(!QuantizedConv1d.splitsChannels(tiles: Conv1d.tileRanges(s.t, rows: rows, threads: 1).count,
                                                outChannels: s.cout, threads: 1))
        let x = Tensor(shape: [s.cin, s.t], data: Self.values(s.cin * s.t, seed: 31, -2, 1.5))
        let w = QuantizedConv1dWeights(Conv1dWeights(
            weight: Tensor(shape: [s.cout, s.cin, s.k], data: Self.values(s.cout * s.cin * s.k, seed: 32, -0.3, 0.2)),
            bias: Tensor(shape: [s.cout], data: Self.values(s.cout, seed: 33, -1, 1))))
        let q = try #require(QuantizedConv1d.quantize(x))
        let pad = s.dilation * (s.k - 1) / 2
        let tiled = QuantizedConv1d.forward(q, w, padding: pad, dilation: s.dilation, threads: 1)
        let split = QuantizedConv1d.forward(q, w, padding: pad, dilation: s.dilation, threads: 2)
        #expect(split.shape == tiled.shape)
        #expect(split.data == tiled.data)
        let residual = Tensor(shape: [s.cout, s.t], data: Self.values(s.cout * s.t, seed: 34, -4, 4))
        var a = residual, b = residual
        QuantizedConv1d.accumulate(q, w, into: &a, padding: pad, dilation: s.dilation, threads: 1)
        QuantizedConv1d.accumulate(q, w, into: &b, padding: pad, dilation: s.dilation, threads: 2)
        #expect(a.data == b.data)
        #expect(a.data != residual.data)
    }

    @Test func silenceGivesTheBias() {
        let w = Conv1dWeights(weight: Tensor(shape: [2, 2, 3], data: [Float](repeating: 0.1, count: 12)),
                              bias: Tensor(shape: [2], data: [0.5, -0.25]))
        let y = QuantizedConv1d.forward(Tensor(zeros: [2, 9]), QuantizedConv1dWeights(w), padding: 1)
        #expect(y.data == [Float](repeating: 0.5, count: 9) + [Float](repeating: -0.25, count: 9))
    }
}

extension QuantizedConv1dWeights {
    /// Recomputed from the stored integers: the largest difference between the de-quantized
    /// and the given weights, in units of `scale`.
    func maxError(against w: Conv1dWeights) -> Float {
        var worst: Float = 0
        for (q, v) in zip(weight, w.weight) {
            worst = max(worst, abs((Float(q) - Float(zeroPoint)) * scale - v) / scale)
        }
        return worst
    }
}
