import KoeCompute

/// A convolution in float, or in 8-bit integers (then its float weights are not kept).
enum Convolution: Sendable {
    case float(Conv1dWeights)
    case int8(QuantizedConv1dWeights)

    /// In integers when asked and the weights sit on an 8-bit grid already (the int8
    /// file's do; the float32 file's stay float, as that file's user chose).
    init(_ w: Conv1dWeights, int8: Bool) {
        if int8 {
            let q = QuantizedConv1dWeights(w)
            if q.quantizationError < 0.01 {
                self = .int8(q)
                return
            }
        }
        self = .float(w)
    }

    var isInt8: Bool {
        if case .int8 = self { return true }
        return false
    }

    func callAsFunction(_ x: Tensor, padding: Int, dilation: Int = 1, threads: Int) -> Tensor {
        switch self {
        case .float(let w): Conv1d.forward(x, w, padding: padding, dilation: dilation, threads: threads)
        case .int8(let w): QuantizedConv1d.forward(x, w, padding: padding, dilation: dilation, threads: threads)
        }
    }
}
