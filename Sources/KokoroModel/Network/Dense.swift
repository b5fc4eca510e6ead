import KoeCompute

/// A Linear layer in float, or in 8-bit integers (then its float weights are not kept).
enum Dense: Sendable {
    case float(LinearWeights)
    case int8(QuantizedLinearWeights)

    /// In integers when asked and the weights sit on the int8 file's grid already (as
    /// onnxruntime runs that file's `MatMulInteger` layers); the float32 file's stay float.
    init(_ w: LinearWeights, int8: Bool) {
        if int8, let q = QuantizedLinearWeights(w) {
            self = .int8(q)
        } else {
            self = .float(w)
        }
    }

    var isInt8: Bool {
        if case .int8 = self { return true }
        return false
    }

    /// `y[N, out]` for `x[N, in]`.
    func callAsFunction(_ x: Tensor, threads: Int) -> Tensor {
        switch self {
        case .float(let w): Linear.forward(x, w, threads: threads)
        case .int8(let w): QuantizedLinear.forward(x, w, threads: threads)
        }
    }

    /// Each of `layers` applied to the same `x[N, in]`: an integer input is quantized once.
    static func apply(_ layers: [Dense], to x: Tensor, threads: Int) -> [Tensor] {
        guard layers.allSatisfy(\.isInt8) else { return layers.map { $0(x, threads: threads) } }
        let input = QuantizedLinear.Input(x)
        return layers.map {
            guard case .int8(let w) = $0 else { preconditionFailure("Dense.apply: float layer among integer ones") }
            return QuantizedLinear.forward(input, w, threads: threads)
        }
    }

    /// `y[out]` for one vector.
    func apply(_ v: [Float]) -> [Float] {
        switch self {
        case .float(let w): Linear.apply(v, w)
        case .int8(let w): QuantizedLinear.apply(v, w)
        }
    }
}
