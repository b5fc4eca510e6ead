import KoeCompute

/// Typed access to a `WeightStore` while building the network's modules.
struct WeightBinder {
    let store: WeightStore
    /// Whether Linear layers whose weights sit on the int8 file's grid run in integers.
    var int8 = false

    func tensor(_ name: String) throws -> Tensor {
        guard let t = store[name] else { throw KokoroModelError.weights(missing: [name], misShaped: [], unexpected: []) }
        return t
    }

    func optional(_ name: String) -> Tensor? { store[name] }

    func linear(_ prefix: String, bias: Bool = true) throws -> Dense {
        Dense(LinearWeights(weight: try tensor(prefix + ".weight"), bias: bias ? try tensor(prefix + ".bias") : nil), int8: int8)
    }

    func conv(_ prefix: String) throws -> Conv1dWeights {
        Conv1dWeights(weight: try tensor(prefix + ".weight"), bias: optional(prefix + ".bias"))
    }

    func convTranspose(_ prefix: String, depthwise: Bool = false) throws -> ConvTranspose1dWeights {
        ConvTranspose1dWeights(weight: try tensor(prefix + ".weight"), bias: try tensor(prefix + ".bias"), depthwise: depthwise)
    }

    func biLSTM(_ prefix: String) throws -> BiLSTMWeights {
        func dir(_ suffix: String) throws -> LSTMDirectionWeights {
            LSTMDirectionWeights(
                weightIH: try tensor("\(prefix).weight_ih_l0\(suffix)"),
                weightHH: try tensor("\(prefix).weight_hh_l0\(suffix)"),
                biasIH: try tensor("\(prefix).bias_ih_l0\(suffix)"),
                biasHH: try tensor("\(prefix).bias_hh_l0\(suffix)"))
        }
        return BiLSTMWeights(forward: try dir(""), backward: try dir("_reverse"))
    }
}
