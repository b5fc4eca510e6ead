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

    @Test(arguments: [127, 255])
    func weightsOnAnEightBitGridAreReproducedExactly(_ levels: Int) {
        // Values on a uint8 grid with zero point 51, as in kokoro-v1.0.int8.onnx (which uses
        // levels 0…127), both extremes present.
        let scale: Float = 0.00234526, zp: Float = 51
        let grid = (0..<300).map { (Float($0 % (levels + 1)) - zp) * scale }
        let w = Conv1dWeights(weight: Tensor(shape: [3, 10, 10], data: grid), bias: nil)
        let q = QuantizedConv1dWeights(w)
        #expect(q.zeroPoint == 51)
        #expect(abs(q.scale - scale) < 1e-6)
        #expect(q.maxError(against: w) < 1e-3)
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
