/// Small whole-tensor operations used between the network's layers.
public enum TensorOps {
    /// Each column of a `[C, T]` tensor repeated `times` times: nearest-neighbour upsampling.
    public static func repeatColumns(_ x: Tensor, times: Int) -> Tensor {
        precondition(x.rank == 2 && times >= 1)
        let c = x.shape[0], t = x.shape[1]
        var out = [Float](repeating: 0, count: c * t * times)
        x.data.withUnsafeBufferPointer { xp in
            out.withUnsafeMutableBufferPointer { op in
                for ch in 0..<c {
                    let src = xp.baseAddress! + ch * t, dst = op.baseAddress! + ch * t * times
                    for j in 0..<t {
                        let v = src[j]
                        for r in 0..<times { dst[j * times + r] = v }
                    }
                }
            }
        }
        return Tensor(shape: [c, t * times], data: out)
    }

    /// `x += y` elementwise.
    public static func addInPlace(_ x: inout Tensor, _ y: Tensor) {
        precondition(x.shape == y.shape, "addInPlace: \(x.shape) vs \(y.shape)")
        let n = x.count
        x.data.withUnsafeMutableBufferPointer { xp in
            y.data.withUnsafeBufferPointer { yp in
                for i in 0..<n { xp[i] += yp[i] }
            }
        }
    }

    /// `x *= s` elementwise.
    public static func scaleInPlace(_ x: inout Tensor, _ s: Float) {
        let n = x.count
        x.data.withUnsafeMutableBufferPointer { xp in
            for i in 0..<n { xp[i] *= s }
        }
    }

    /// Rows of a `[N, F]` tensor picked by index: `out[j] = x[index[j]]`.
    public static func gatherRows(_ x: Tensor, _ index: [Int]) -> Tensor {
        precondition(x.rank == 2)
        let f = x.shape[1]
        var out = [Float](repeating: 0, count: index.count * f)
        x.data.withUnsafeBufferPointer { xp in
            out.withUnsafeMutableBufferPointer { op in
                for (j, r) in index.enumerated() {
                    precondition(r >= 0 && r < x.shape[0], "gatherRows: index \(r) out of \(x.shape[0])")
                    (op.baseAddress! + j * f).update(from: xp.baseAddress! + r * f, count: f)
                }
            }
        }
        return Tensor(shape: [index.count, f], data: out)
    }

    /// Columns of a `[C, T]` tensor picked by index: `out[:, j] = x[:, index[j]]`.
    public static func gatherColumns(_ x: Tensor, _ index: [Int]) -> Tensor {
        precondition(x.rank == 2)
        let c = x.shape[0], t = x.shape[1], n = index.count
        for r in index { precondition(r >= 0 && r < t, "gatherColumns: index \(r) out of \(t)") }
        var out = [Float](repeating: 0, count: c * n)
        x.data.withUnsafeBufferPointer { xp in
            out.withUnsafeMutableBufferPointer { op in
                for ch in 0..<c {
                    let src = xp.baseAddress! + ch * t, dst = op.baseAddress! + ch * n
                    for j in 0..<n { dst[j] = src[index[j]] }
                }
            }
        }
        return Tensor(shape: [c, n], data: out)
    }

    /// Horizontal concatenation of `[N, Fi]` tensors into `[N, ΣFi]`.
    public static func concatColumns(_ parts: [Tensor]) -> Tensor {
        precondition(!parts.isEmpty)
        let n = parts[0].shape[0]
        let widths = parts.map { p -> Int in
            precondition(p.rank == 2 && p.shape[0] == n, "concatColumns: \(p.shape) vs \(n) rows")
            return p.shape[1]
        }
        let total = widths.reduce(0, +)
        var out = [Float](repeating: 0, count: n * total)
        var offset = 0
        out.withUnsafeMutableBufferPointer { op in
            for (p, w) in zip(parts, widths) {
                p.data.withUnsafeBufferPointer { pp in
                    for r in 0..<n {
                        (op.baseAddress! + r * total + offset).update(from: pp.baseAddress! + r * w, count: w)
                    }
                }
                offset += w
            }
        }
        return Tensor(shape: [n, total], data: out)
    }
}
