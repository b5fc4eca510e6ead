/// A dense float32 tensor: a flat, contiguous, row-major buffer with a shape.
///
/// Activations in Koe are channel-major `[C, T]` (batch 1): element `(c, t)` sits at
/// `c * T + t`. Weights keep PyTorch's layout (`[out, in]`, `[out, in, K]`).
public struct Tensor: Sendable, Equatable {
    public private(set) var shape: [Int]
    public var data: [Float]

    public init(shape: [Int], data: [Float]) {
        precondition(shape.reduce(1, *) == data.count, "Tensor: shape \(shape) does not hold \(data.count) values")
        self.shape = shape
        self.data = data
    }

    public init(zeros shape: [Int]) {
        self.shape = shape
        self.data = [Float](repeating: 0, count: shape.reduce(1, *))
    }

    public var count: Int { data.count }
    public var rank: Int { shape.count }

    /// Size of dimension `i`; negative indices count from the end.
    public func dim(_ i: Int) -> Int { i < 0 ? shape[shape.count + i] : shape[i] }

    /// The same values under another shape with the same element count.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        Tensor(shape: newShape, data: data)
    }

    /// Rows `[r0, r1)` of a 2-D tensor.
    public func rows(_ range: Range<Int>) -> Tensor {
        precondition(rank == 2 && range.lowerBound >= 0 && range.upperBound <= shape[0])
        let w = shape[1]
        return Tensor(shape: [range.count, w], data: Array(data[(range.lowerBound * w)..<(range.upperBound * w)]))
    }

    /// Transpose of a 2-D tensor.
    public func transposed() -> Tensor {
        precondition(rank == 2, "transposed: needs a 2-D tensor, got \(shape)")
        let r = shape[0], c = shape[1]
        var out = [Float](repeating: 0, count: r * c)
        data.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for i in 0..<r {
                    for j in 0..<c { dst[j * r + i] = src[i * c + j] }
                }
            }
        }
        return Tensor(shape: [c, r], data: out)
    }

    /// Concatenation of 2-D tensors along dimension 0 (channels); all must share dimension 1.
    public static func concatRows(_ parts: [Tensor]) -> Tensor {
        precondition(!parts.isEmpty)
        let w = parts[0].shape[1]
        var out = [Float]()
        out.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        var rows = 0
        for p in parts {
            precondition(p.rank == 2 && p.shape[1] == w, "concatRows: width mismatch \(p.shape) vs \(w)")
            out.append(contentsOf: p.data)
            rows += p.shape[0]
        }
        return Tensor(shape: [rows, w], data: out)
    }
}
