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

    /// A convolution's input as AdaIN and its activation give it: in float, or for an integer
    /// convolution written straight as `int8`, so that the normalised activations never exist
    /// in float (a quarter of the memory of the generator's largest tensors).
    enum Input {
        case float(Tensor)
        case int8(QuantizedActivations)
    }

    /// AdaIN of `x` and its activation, as this convolution's input. `tape` as in
    /// ``Normalization/adaptiveInstanceNorm(_:gamma:beta:eps:activation:threads:tape:)``.
    func normalizedInput(_ x: Tensor, gamma: [Float], beta: [Float], activation: PostActivation,
                         threads: Int, tape: InstanceNormTape?) -> Input {
        if case .int8 = self,
           let q = Normalization.adaptiveInstanceNormQuantized(x, gamma: gamma, beta: beta, activation: activation,
                                                               threads: threads, tape: tape) {
            return .int8(q)
        }
        // Float weights, or a silent or non-finite norm (whose integer convolution is the bias).
        return .float(Normalization.adaptiveInstanceNorm(x, gamma: gamma, beta: beta, activation: activation,
                                                         threads: threads, tape: tape))
    }

    func callAsFunction(_ input: Input, padding: Int, dilation: Int = 1, threads: Int) -> Tensor {
        switch (input, self) {
        case (.int8(let q), .int8(let w)): QuantizedConv1d.forward(q, w, padding: padding, dilation: dilation, threads: threads)
        case (.float(let t), _): self(t, padding: padding, dilation: dilation, threads: threads)
        case (.int8, .float): preconditionFailure("Convolution: integer input for float weights")
        }
    }

    /// `residual += conv(input)`; in integers without an output tensor of its own.
    func add(_ input: Input, into residual: inout Tensor, padding: Int, dilation: Int = 1, threads: Int) {
        switch (input, self) {
        case (.int8(let q), .int8(let w)):
            QuantizedConv1d.accumulate(q, w, into: &residual, padding: padding, dilation: dilation, threads: threads)
        case (.float(let t), _):
            TensorOps.addInPlace(&residual, self(t, padding: padding, dilation: dilation, threads: threads))
        case (.int8, .float): preconditionFailure("Convolution: integer input for float weights")
        }
    }
}
