import Foundation
import Testing
@testable import KoeCompute

struct RecurrentAndNormTests {
    @Test(arguments: [(1, 3, 2), (5, 4, 3), (17, 8, 6), (40, 12, 16)])
    func biLSTMMatchesNaive(steps: Int, input: Int, hidden: Int) {
        var g = Lcg(seed: UInt64(steps * 7 + hidden))
        let x = g.tensor([steps, input])
        func dir() -> (Tensor, Tensor, Tensor, Tensor) {
            (g.tensor([4 * hidden, input]), g.tensor([4 * hidden, hidden]), g.tensor([4 * hidden]), g.tensor([4 * hidden]))
        }
        let f = dir(), b = dir()
        let w = BiLSTMWeights(
            forward: LSTMDirectionWeights(weightIH: f.0, weightHH: f.1, biasIH: f.2, biasHH: f.3),
            backward: LSTMDirectionWeights(weightIH: b.0, weightHH: b.1, biasIH: b.2, biasHH: b.3))
        let y = BiLSTM.forward(x, w, threads: 2)
        let rf = Naive.lstmDirection(x, wih: f.0, whh: f.1, bih: f.2, bhh: f.3, reverse: false)
        let rb = Naive.lstmDirection(x, wih: b.0, whh: b.1, bih: b.2, bhh: b.3, reverse: true)
        let ref = (0..<steps).flatMap { rf[$0] + rb[$0] }
        #expect(y.shape == [steps, 2 * hidden])
        #expect(relativeMaxError(y.data, ref) < 1e-5)
    }

    /// Weights on a grid of levels (as the int8 file's LSTMs are) are kept as one byte each
    /// and expanded exactly: the LSTM matches the naive one, and the bytes resident are a
    /// quarter of the floats' (plus the table).
    @Test(arguments: [(24, 16, 96), (40, 32, 255)])
    func biLSTMOnWeightLevels(input: Int, hidden: Int, levels: Int) {
        var g = Lcg(seed: UInt64(input * 31 + levels))
        func onGrid(_ shape: [Int]) -> Tensor {
            let n = shape.reduce(1, *)
            let step: Float = 3 / Float(levels)
            var data = (0..<n).map { _ in (Float(Int((g.next() + 1) * Float(levels) / 2).clamped(0, levels - 1)) - Float(levels / 2)) * step }
            data[0] = -0.0
            return Tensor(shape: shape, data: data)
        }
        let steps = 9
        let x = g.tensor([steps, input])
        func dir() -> (Tensor, Tensor, Tensor, Tensor) {
            (onGrid([4 * hidden, input]), onGrid([4 * hidden, hidden]), g.tensor([4 * hidden]), g.tensor([4 * hidden]))
        }
        let f = dir(), b = dir()
        let forward = LSTMDirectionWeights(weightIH: f.0, weightHH: f.1, biasIH: f.2, biasHH: f.3)
        let w = BiLSTMWeights(forward: forward, backward: LSTMDirectionWeights(weightIH: b.0, weightHH: b.1, biasIH: b.2, biasHH: b.3))
        let floats = 4 * (f.0.count + f.1.count)
        #expect(forward.residentBytes <= floats / 4 + 2 * 4 * 256)  // a table per matrix
        forward.wIH.withFloats { p in
            #expect((0..<f.0.count).allSatisfy { p[$0].bitPattern == f.0.data[$0].bitPattern })
        }
        let y = BiLSTM.forward(x, w, threads: 2)
        let rf = Naive.lstmDirection(x, wih: f.0, whh: f.1, bih: f.2, bhh: f.3, reverse: false)
        let rb = Naive.lstmDirection(x, wih: b.0, whh: b.1, bih: b.2, bhh: b.3, reverse: true)
        #expect(relativeMaxError(y.data, (0..<steps).flatMap { rf[$0] + rb[$0] }) < 1e-5)
    }

    /// More than 256 distinct weights stay float.
    @Test func weightsOffAGridStayFloat() {
        var g = Lcg(seed: 5)
        let values = (0..<4096).map { _ in g.next() }
        let w = WeightLevels(values)
        #expect(w.residentBytes == 4 * values.count)
        w.withFloats { p in #expect((0..<values.count).allSatisfy { p[$0] == values[$0] }) }
    }

    @Test(arguments: [(1, 1), (3, 7), (64, 33), (5, 1000)])
    func adaptiveInstanceNormWithActivations(channels: Int, length: Int) {
        var g = Lcg(seed: UInt64(channels + length))
        let x = g.tensor([channels, length])
        let gamma = (0..<channels).map { _ in g.next() }, beta = (0..<channels).map { _ in g.next() }
        let alpha = (0..<channels).map { _ in g.next() * 2 + (g.next() > 0 ? 0.01 : -0.01) }
        for act in [PostActivation.identity, .leakyReLU(slope: 0.2), .snake(alpha: alpha)] {
            let y = Normalization.adaptiveInstanceNorm(x, gamma: gamma, beta: beta, activation: act, threads: 2)
            var ref = [Float](repeating: 0, count: x.count)
            for c in 0..<channels {
                let row = (0..<length).map { Double(x.data[c * length + $0]) }
                let m = row.reduce(0, +) / Double(length)
                let v = row.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(length)
                for t in 0..<length {
                    var o = (1 + Double(gamma[c])) * (row[t] - m) / (v + 1e-5).squareRoot() + Double(beta[c])
                    switch act {
                    case .identity: break
                    case .leakyReLU(let s): o = o >= 0 ? o : o * Double(s)
                    case .snake(let a): o = o + 1 / Double(a[c]) * pow(sin(Double(a[c]) * o), 2)
                    }
                    ref[c * length + t] = Float(o)
                }
            }
            #expect(relativeMaxError(y.data, ref) < 1e-4)
        }
    }

    /// The vectorised row sums and range that the instance norms' statistics use, at every
    /// length around the lane width and block size, from unaligned starts.
    @Test func rowSumsAndRangeMatchPlainLoops() {
        let data = QuantizedConvTests.values(6_000, seed: 31, -3, 5)
        data.withUnsafeBufferPointer { buffer in
            for start in [0, 1, 3, 7] {
                for n in Array(1...40) + [511, 512, 513, 1_025, 5_001] {
                    let p = buffer.baseAddress! + start
                    let row = Array(buffer[start..<(start + n)])
                    let (lo, hi) = RowSums.range(p, count: n)
                    #expect(lo == row.min()! && hi == row.max()!, "start \(start), \(n) values")
                    let exact = row.reduce(0.0) { $0 + Double($1) }
                    #expect(abs(RowSums.sum(p, count: n) - exact) <= 1e-5 * Double(n))
                    let mean = Float(exact / Double(n))
                    let deviations = row.reduce(0.0) { $0 + Double(($1 - mean) * ($1 - mean)) }
                    #expect(abs(RowSums.squaredDeviations(p, count: n, from: mean) - deviations) <= 1e-5 * Double(n) * 16)
                }
            }
        }
    }

    @Test func layerNormsMatchDefinition() {
        var g = Lcg(seed: 9)
        let x = g.tensor([6, 10])
        let gamma = (0..<10).map { _ in g.next() }, beta = (0..<10).map { _ in g.next() }
        let rows = Normalization.layerNormRows(x, gamma: gamma, beta: beta, eps: 1e-5)
        // Channel-major version of the same data gives the transposed result.
        let chan = Normalization.layerNormChannels(x.transposed(), scale: gamma, shift: beta, eps: 1e-5)
        #expect(relativeMaxError(chan.transposed().data, rows.data) < 1e-5)
        for r in 0..<6 {
            let row = (0..<10).map { Double(x.data[r * 10 + $0]) }
            let m = row.reduce(0, +) / 10
            let v = row.map { ($0 - m) * ($0 - m) }.reduce(0, +) / 10
            for j in 0..<10 {
                let ref = (row[j] - m) / (v + 1e-5).squareRoot() * Double(gamma[j]) + Double(beta[j])
                #expect(abs(Double(rows.data[r * 10 + j]) - ref) < 1e-5)
            }
        }
    }

    @Test func sinSquaredIsAccurate() {
        var worst: Double = 0
        var x = -60.0
        while x < 60 {
            let ref = pow(sin(x), 2)
            worst = max(worst, abs(Double(FastMath.sinSquared(Float(x))) - ref))
            x += 0.000_731
        }
        #expect(worst < 2e-6)
        // Tiny arguments keep their relative accuracy (Snake divides by tiny α).
        for v in [Float(1e-4), 3e-5, -2e-6] {
            let r = Double(FastMath.sinSquared(v)) / pow(sin(Double(v)), 2)
            #expect(abs(r - 1) < 1e-5)
        }
    }

    @Test func tanhIsAccurate() {
        var worst: Double = 0
        var x = -30.0
        while x < 30 {
            worst = max(worst, abs(Double(FastMath.tanh(Float(x))) - Foundation.tanh(x)))
            x += 0.000_37
        }
        #expect(worst < 5e-7)
        // Odd, saturating, and relatively accurate near zero.
        for v in [Float(1e-6), 3e-4, 0.01, 2, 9, 1e30] {
            #expect(FastMath.tanh(-v) == -FastMath.tanh(v))
            #expect(abs(Double(FastMath.tanh(v)) / Foundation.tanh(Double(v)) - 1) < 5e-7)
        }
    }

    @Test(arguments: [1, 2])
    func attentionMatchesNaive(threads: Int) {
        var g = Lcg(seed: 4)
        let t = 7, heads = 3, dh = 4
        let q = g.tensor([t, heads * dh]), k = g.tensor([t, heads * dh]), v = g.tensor([t, heads * dh])
        let y = Attention.forward(q: q, k: k, v: v, heads: heads, scale: 0.5, threads: threads)
        var ref = [Float](repeating: 0, count: t * heads * dh)
        for h in 0..<heads {
            for i in 0..<t {
                var s = (0..<t).map { j in (0..<dh).reduce(0.0) { $0 + Double(q.data[i * 12 + h * dh + $1] * k.data[j * 12 + h * dh + $1]) } * 0.5 }
                let m = s.max()!
                s = s.map { exp($0 - m) }
                let z = s.reduce(0, +)
                for d in 0..<dh {
                    ref[i * 12 + h * dh + d] = Float((0..<t).reduce(0.0) { $0 + s[$1] / z * Double(v.data[$1 * 12 + h * dh + d]) })
                }
            }
        }
        #expect(relativeMaxError(y.data, ref) < 1e-5)
    }

    @Test func linearMatchesDefinition() {
        var g = Lcg(seed: 5)
        let x = g.tensor([40, 6]), w = g.tensor([3, 6]), b = g.tensor([3])
        let y = Linear.forward(x, LinearWeights(weight: w, bias: b), threads: 2)
        var ref = [Float]()
        for r in 0..<40 { for o in 0..<3 { ref.append((0..<6).reduce(b.data[o]) { $0 + x.data[r * 6 + $1] * w.data[o * 6 + $1] }) } }
        #expect(relativeMaxError(y.data, ref) < 1e-5)
        #expect(relativeMaxError(Linear.apply(Array(x.data[0..<6]), LinearWeights(weight: w, bias: b)), Array(ref[0..<3])) < 1e-5)
    }

    @Test func stftMatchesDirectDFT() {
        var g = Lcg(seed: 6)
        let x = (0..<101).map { _ in g.next() }
        let s = Spectral.stftMagnitudePhase(x, nFFT: 20, hop: 5)
        #expect(s.shape == [22, 101 / 5 + 1])
        let frames = s.shape[1]
        let w = Spectral.hann(20)
        func padded(_ i: Int) -> Float { let j = i - 10; return x[j < 0 ? -j : (j >= 101 ? 200 - j : j)] }
        for t in [0, 3, frames - 1] {
            for k in 0..<11 {
                var re = 0.0, im = 0.0
                for n in 0..<20 {
                    let a = 2 * Double.pi * Double(k * n) / 20
                    re += Double(w[n] * padded(5 * t + n)) * cos(a)
                    im -= Double(w[n] * padded(5 * t + n)) * sin(a)
                }
                if k == 0 || k == 10 { im = 0 }
                #expect(abs(Double(s.data[k * frames + t]) - (re * re + im * im).squareRoot()) < 1e-4)
                if (re * re + im * im).squareRoot() > 1e-3 {
                    #expect(abs(Double(s.data[(11 + k) * frames + t]) - atan2(im, re)) < 1e-3)
                }
            }
        }
    }
}

private extension Int {
    func clamped(_ lo: Int, _ hi: Int) -> Int { Swift.min(hi, Swift.max(lo, self)) }
}
