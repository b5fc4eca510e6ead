import Foundation
import Testing
@testable import KoeCompute

@Suite struct QuantizedLinearTests {
    /// Weights on the int8 file's grid: per output feature a scale, levels −64…64 with ±64
    /// present in every row.
    static func gridWeights(out: Int, in fin: Int, seed: UInt64) -> LinearWeights {
        let levels = QuantizedConvTests.values(out * fin, seed: seed, -64, 64.99).map { $0.rounded(.down) }
        var w = [Float](repeating: 0, count: out * fin)
        for o in 0..<out {
            let scale = 0.001 * Float(o + 1)
            for i in 0..<fin {
                let level = i == o % fin ? (o % 2 == 0 ? 64 : -64) : min(64, levels[o * fin + i])
                w[o * fin + i] = level * scale
            }
        }
        let bias = QuantizedConvTests.values(out, seed: seed + 1, -1, 1)
        return LinearWeights(weight: Tensor(shape: [out, fin], data: w), bias: Tensor(shape: [out], data: bias))
    }

    /// What onnxruntime computes: `DynamicQuantizeLinear`, exact integer sums, rescale, bias.
    static func reference(_ x: Tensor, _ w: LinearWeights) -> [Float] {
        let n = x.shape[0], fin = w.inFeatures, fout = w.outFeatures
        let lo = min(0, x.data.min() ?? 0), hi = max(0, x.data.max() ?? 0)
        let s = (hi - lo) / 255
        let zp = min(255, max(0, (-lo / s).rounded(.toNearestOrEven)))
        let xq = x.data.map { Int(min(255, max(0, ($0 / s).rounded(.toNearestOrEven) + zp))) - Int(zp) }
        var y = [Float](repeating: 0, count: n * fout)
        for o in 0..<fout {
            let row = w.weight[(o * fin)..<((o + 1) * fin)]
            let top = row.map(\.magnitude).max() ?? 0
            let ws = top / 64
            let wq = row.map { Int(($0 / ws).rounded(.toNearestOrEven)) }
            for r in 0..<n {
                var acc = 0
                for i in 0..<fin { acc += xq[r * fin + i] * wq[i] }
                y[r * fout + o] = Float(acc) * (s * ws) + (w.bias?[o] ?? 0)
            }
        }
        return y
    }

    @Test(arguments: [(1, 7, 5), (3, 128, 64), (40, 768, 96), (74, 96, 2048)])
    func matchesOnnxruntimesIntegerArithmetic(_ n: Int, _ fin: Int, _ fout: Int) throws {
        try #require(QuantizedConv1d.isAvailable)
        let w = Self.gridWeights(out: fout, in: fin, seed: UInt64(fin))
        let q = try #require(QuantizedLinearWeights(w))
        let x = Tensor(shape: [n, fin], data: QuantizedConvTests.values(n * fin, seed: 9, -2.5, 1.5))
        let expected = Self.reference(x, w)
        for threads in [1, 2] {
            let y = QuantizedLinear.forward(x, q, threads: threads)
            #expect(y.shape == [n, fout])
            let worst = zip(y.data, expected).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
            #expect(worst < 1e-5, "\(n)×\(fin)→\(fout), \(threads) threads: \(worst)")
        }
        // And close to the float layer: 8-bit activations cost about 0.4 % each.
        let exact = Linear.forward(x, w)
        var num = 0.0, den = 0.0
        for (a, b) in zip(QuantizedLinear.forward(x, q).data, exact.data) {
            num += Double(a - b) * Double(a - b)
            den += Double(b) * Double(b)
        }
        #expect((num / den).squareRoot() < 0.02)
    }

    /// The saturation case: weights at ±64 and activations at 0 and 255 everywhere, the largest
    /// pair sums a 16-bit `vpmaddubsw` can see (2·255·64 = 32 640). Run by `scripts/test.sh`
    /// a second time under `DNNL_MAX_CPU_ISA=AVX2`.
    @Test(arguments: [(Float(0.064), Float(3)), (-0.064, 3), (0.064, -3)])
    func extremeWeightsAndActivationsDoNotSaturate(_ weight: Float, _ input: Float) throws {
        try #require(QuantizedConv1d.isAvailable)
        let n = 8, fin = 256, fout = 16
        let w = LinearWeights(weight: Tensor(shape: [fout, fin], data: [Float](repeating: weight, count: fout * fin)), bias: nil)
        let q = try #require(QuantizedLinearWeights(w))
        #expect(q.weight.allSatisfy { $0 == (weight > 0 ? 64 : -64) })
        // Every row holds 0 once (so the range includes it) and the extreme elsewhere.
        var xs = [Float](repeating: input, count: n * fin)
        for r in 0..<n { xs[r * fin] = 0 }
        let x = Tensor(shape: [n, fin], data: xs)
        let y = QuantizedLinear.forward(x, q, threads: 2)
        let exact = Linear.forward(x, w)
        for (a, b) in zip(y.data, exact.data) { #expect(abs(a - b) <= 1e-4 * abs(b)) }
    }

    @Test func weightsOffTheGridStayFloat() {
        let w = LinearWeights(weight: Tensor(shape: [4, 9], data: QuantizedConvTests.values(36, seed: 5, -1, 1)), bias: nil)
        #expect(QuantizedLinearWeights(w) == nil)
    }

    @Test func silentInputGivesTheBias() throws {
        try #require(QuantizedConv1d.isAvailable)
        let w = Self.gridWeights(out: 6, in: 10, seed: 3)
        let q = try #require(QuantizedLinearWeights(w))
        let y = QuantizedLinear.apply([Float](repeating: 0, count: 10), q)
        #expect(y == w.bias)
    }
}
