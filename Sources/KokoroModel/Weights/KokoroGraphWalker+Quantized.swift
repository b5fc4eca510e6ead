/// The int8 export (`quantize_dynamic`): quantised embeddings, `MatMulInteger` Linears,
/// `ConvInteger` convolutions (KOKORO_MODEL.md §9.2).
extension KokoroGraphWalker {
    /// `Gather` on a quantised table followed by `DequantizeLinear`, or on a float table.
    mutating func gather(_ node: ONNXNode) throws {
        guard let table = initializer(node, 0), table.dims.count == 2 else { return }
        let key = ModuleKey.key(ofNode: path(of: node), suffixes: ["/Gather_quant", "/Gather"]) + ".weight"
        if table.isFloat {
            try store(key, table)
            return
        }
        guard table.isQuantized, let output = node.outputs.first,
              let dequantize = consumers(of: output).first(where: { $0.opType == "DequantizeLinear" })
        else { return }
        guard let scale = try perChannel(initializer(dequantize, 1), count: 1, default: .nan),
              let zeroPoint = try perChannel(initializer(dequantize, 2), count: 1, default: 0),
              !scale[0].isNaN
        else {
            problem(node, "the DequantizeLinear after it has no constant per-tensor scale and zero point")
            return
        }
        var values = try table.floatValues(in: bytes)
        let (s, zp) = (scale[0], zeroPoint[0])
        values.withUnsafeMutableBufferPointer { v in
            for i in v.indices { v[i] = (v[i] - zp) * s }
        }
        store(key, shape: try table.shape(), values)
    }

    /// `MatMulInteger(x_q, B)` with `B` int8 `[in, out]`: torch weight `((B − zp)·s)ᵀ`, scale
    /// per output column, bias from the `Add` after the de-quantising `Mul`.
    mutating func matMulInteger(_ node: ONNXNode) throws {
        guard let b = initializer(node, 1), b.isQuantized else { return }
        // ALBERT applies one shared layer 12 times: the first call provides it.
        guard claim(b) else { return }
        let key = ModuleKey.key(ofNode: path(of: node), suffixes: ["/MatMul_quant", "/Gemm_MatMul_quant"])
        let shape = try b.shape()
        guard shape.count == 2 else { return problem(node, "weight \(b.name) has shape \(shape), expected [in, out]") }
        let (inputs, outputs) = (shape[0], shape[1])
        guard let chain = dequantizeChain(after: node) else {
            return problem(node, "no Cast → Mul(·, x_scale · w_scale) chain follows it, so its weight scale is unknown")
        }
        guard let scale = try perChannel(chain.weightScale, count: outputs, default: 1),
              let zeroPoint = try perChannel(initializer(node, 3), count: outputs, default: 0)
        else { return problem(node, "scale or zero point is neither per-tensor nor per-column (\(outputs))") }
        let q = try b.floatValues(in: bytes)
        let weight = [Float](unsafeUninitializedCapacity: q.count) { out, initialized in
            for i in 0..<inputs {
                for o in 0..<outputs { out[o * inputs + i] = (q[i * outputs + o] - zeroPoint[o]) * scale[o] }
            }
            initialized = q.count
        }
        store(key + ".weight", shape: [outputs, inputs], weight)
        if let bias = biasAdd(after: chain.output) { try store(key + ".bias", bias) }
    }

    /// `ConvInteger(x_q, W)` with `W` `[out, in/g, K]` and a per-tensor (or per-channel) scale;
    /// the float bias is the numerator of the `Div(bias, x_scale · w_scale)` that quantises it.
    mutating func convInteger(_ node: ONNXNode) throws {
        guard let w = initializer(node, 1), w.isQuantized, claim(w) else { return }
        let key = ModuleKey.key(ofNode: path(of: node), suffixes: ["/Conv_quant"])
        let shape = try w.shape()
        guard shape.count >= 2, shape[0] > 0 else { return problem(node, "weight \(w.name) has shape \(shape)") }
        guard let chain = dequantizeChain(after: node) else {
            return problem(node, "no Cast → Mul(·, x_scale · w_scale) chain follows it, so its weight scale is unknown")
        }
        let channels = shape[0]
        guard let scale = try perChannel(chain.weightScale, count: channels, default: 1),
              let zeroPoint = try perChannel(initializer(node, 3), count: channels, default: 0)
        else { return problem(node, "scale or zero point is neither per-tensor nor per-channel (\(channels))") }
        var values = try w.floatValues(in: bytes)
        let block = values.count / channels
        values.withUnsafeMutableBufferPointer { v in
            for c in 0..<channels {
                let (s, zp) = (scale[c], zeroPoint[c])
                for i in (c * block)..<((c + 1) * block) { v[i] = (v[i] - zp) * s }
            }
        }
        store(key + ".weight", shape: shape, values)
        if let add = chain.integerBiasAdd {
            guard let bias = quantizedBiasSource(add, skipping: node.outputs[0]) else {
                return problem(node, "its integer bias Add does not come from Div(bias, scale)")
            }
            try store(key + ".bias", bias)
        }
    }

    /// The de-quantisation after an integer op:
    /// `op → [Add(int32 bias)] → Cast → Mul(·, S)` with `S = Mul(x_scale, w_scale)`.
    func dequantizeChain(after node: ONNXNode) -> (weightScale: ONNXTensor, output: String, integerBiasAdd: ONNXNode?)? {
        guard var value = node.outputs.first else { return nil }
        var integerBiasAdd: ONNXNode?
        if let add = consumers(of: value).first(where: { $0.opType == "Add" }) {
            integerBiasAdd = add
            value = add.outputs.first ?? ""
        }
        guard let cast = consumers(of: value).first(where: { $0.opType == "Cast" }),
              let castOutput = cast.outputs.first,
              let mul = consumers(of: castOutput).first(where: { $0.opType == "Mul" }),
              let output = mul.outputs.first
        else { return nil }
        for operand in mul.inputs where operand != castOutput {
            guard let scales = producer(of: operand), scales.opType == "Mul" else { continue }
            for name in scales.inputs {
                if let t = initializers[name], t.isFloat { return (t, output, integerBiasAdd) }
            }
        }
        return nil
    }

    /// Follows the other operand of the int32 bias `Add` back through `Reshape`/`Cast`/`Floor`
    /// to `Div(bias, S)` and returns the float bias initializer.
    func quantizedBiasSource(_ add: ONNXNode, skipping convOutput: String) -> ONNXTensor? {
        guard var value = add.inputs.first(where: { $0 != convOutput }) else { return nil }
        for _ in 0..<6 {
            guard let node = producer(of: value) else { return nil }
            if node.opType == "Div" {
                return initializer(node, 0).flatMap { $0.isFloat ? $0 : nil }
            }
            guard let next = node.input(0) else { return nil }
            value = next
        }
        return nil
    }
}
