import Foundation
@testable import KoeCompute

/// Deterministic pseudo-random values for kernel tests.
struct Lcg {
    var state: UInt64
    init(seed: UInt64) { state = seed &* 6_364_136_223_846_793_005 &+ 1 }
    mutating func next() -> Float {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Float(Double(state >> 40) / Double(1 << 24)) * 2 - 1
    }
    mutating func tensor(_ shape: [Int]) -> Tensor {
        Tensor(shape: shape, data: (0..<shape.reduce(1, *)).map { _ in next() })
    }
}

/// Largest |a − b| relative to the largest |b|.
func relativeMaxError(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count, "sizes \(a.count) vs \(b.count)")
    var num: Float = 0, den: Float = 1e-12
    for i in 0..<a.count { num = max(num, abs(a[i] - b[i])); den = max(den, abs(b[i])) }
    return num / den
}

/// Naive references, written straight from the definitions.
enum Naive {
    static func conv1d(_ x: Tensor, _ w: Tensor, _ b: Tensor?, stride: Int, padding: Int, dilation: Int) -> Tensor {
        let cin = x.shape[0], t = x.shape[1], cout = w.shape[0], k = w.shape[2]
        let tout = (t + 2 * padding - dilation * (k - 1) - 1) / stride + 1
        var y = [Float](repeating: 0, count: cout * tout)
        for o in 0..<cout {
            for j in 0..<tout {
                var s: Double = Double(b?.data[o] ?? 0)
                for c in 0..<cin {
                    for kk in 0..<k {
                        let p = stride * j + dilation * kk - padding
                        if p >= 0 && p < t { s += Double(w.data[(o * cin + c) * k + kk]) * Double(x.data[c * t + p]) }
                    }
                }
                y[o * tout + j] = Float(s)
            }
        }
        return Tensor(shape: [cout, tout], data: y)
    }

    static func convTranspose1d(_ x: Tensor, _ w: Tensor, _ b: Tensor, stride: Int, padding: Int, outputPadding: Int, depthwise: Bool) -> Tensor {
        let cin = x.shape[0], t = x.shape[1], k = w.shape[2]
        let cout = depthwise ? cin : w.shape[1]
        let tout = (t - 1) * stride - 2 * padding + k + outputPadding
        var y = [Double](repeating: 0, count: cout * tout)
        for c in 0..<cin {
            for j in 0..<t {
                for kk in 0..<k {
                    let p = stride * j + kk - padding
                    guard p >= 0 && p < tout else { continue }
                    if depthwise {
                        y[c * tout + p] += Double(w.data[c * k + kk]) * Double(x.data[c * t + j])
                    } else {
                        for o in 0..<cout { y[o * tout + p] += Double(w.data[(c * cout + o) * k + kk]) * Double(x.data[c * t + j]) }
                    }
                }
            }
        }
        for o in 0..<cout { for p in 0..<tout { y[o * tout + p] += Double(b.data[o]) } }
        return Tensor(shape: [cout, tout], data: y.map { Float($0) })
    }

    static func lstmDirection(_ x: Tensor, wih: Tensor, whh: Tensor, bih: Tensor, bhh: Tensor, reverse: Bool) -> [[Float]] {
        let t = x.shape[0], inp = x.shape[1], h = whh.shape[1]
        var hs = [Double](repeating: 0, count: h), cs = [Double](repeating: 0, count: h)
        var out = [[Float]](repeating: [], count: t)
        func sig(_ v: Double) -> Double { 1 / (1 + exp(-v)) }
        for s in 0..<t {
            let step = reverse ? t - 1 - s : s
            var z = [Double](repeating: 0, count: 4 * h)
            for g in 0..<(4 * h) {
                var v = Double(bih.data[g] + bhh.data[g])
                for i in 0..<inp { v += Double(wih.data[g * inp + i]) * Double(x.data[step * inp + i]) }
                for i in 0..<h { v += Double(whh.data[g * h + i]) * hs[i] }
                z[g] = v
            }
            for j in 0..<h {
                let c = sig(z[h + j]) * cs[j] + sig(z[j]) * tanh(z[2 * h + j])
                cs[j] = c
                hs[j] = sig(z[3 * h + j]) * tanh(c)
            }
            out[step] = hs.map { Float($0) }
        }
        return out
    }
}
