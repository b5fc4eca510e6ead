import KoeCompute

/// Parameters stored in float in either export: convolutions, Linears, norms, Snake α and
/// the fused-op parameters of the int8 file (§9.1, §9.4).
extension KokoroGraphWalker {
    /// `Conv`/`ConvTranspose` with a constant float weight (kept in its ONNX = torch layout).
    mutating func floatConv(_ node: ONNXNode) throws {
        guard let w = initializer(node, 1), w.isFloat, claim(w) else { return }
        let key = ModuleKey.key(ofNode: path(of: node), suffixes: ["/ConvTranspose", "/Conv"])
        // The iSTFT is a ConvTranspose by a constant basis, stored by hexgrad as `stft.inverse_basis`.
        let istft = ".istft.stft"
        if key.hasSuffix(istft) {
            try store(String(key.dropLast(istft.count)) + ".stft.inverse_basis", w)
            return
        }
        try store(key + ".weight", w)
        if let b = initializer(node, 2), b.isFloat { try store(key + ".bias", b) }
    }

    /// `Gemm(x, W, b)` (fp32 AdaIN/AdaLN `fc`): torch weight is `W` when `transB = 1`, else `Wᵀ`.
    mutating func gemm(_ node: ONNXNode) throws {
        guard let w = initializer(node, 1), w.isFloat, w.dims.count == 2, claim(w) else { return }
        let key = ModuleKey.key(ofNode: path(of: node), suffixes: ["/Gemm"])
        let alpha = node.attribute("alpha")?.f ?? 1
        let beta = node.attribute("beta")?.f ?? 1
        var weight = Tensor(shape: try w.shape(), data: try w.floatValues(in: bytes))
        if node.attribute("transB")?.i ?? 0 == 0 { weight = weight.transposed() }
        if alpha != 1 { weight.data = weight.data.map { $0 * alpha } }
        store(key + ".weight", shape: weight.shape, weight.data)
        if let b = initializer(node, 2), b.isFloat {
            let values = try b.floatValues(in: bytes).map { $0 * beta }
            store(key + ".bias", shape: try b.shape(), values)
        }
    }

    /// `MatMul(x, W)` with a constant `W` `[in, out]` (l_linear; every Linear of the fp32
    /// export): torch weight `Wᵀ`, bias from the following `Add`.
    mutating func floatMatMul(_ node: ONNXNode) throws {
        guard let w = initializer(node, 1), w.isFloat, w.dims.count == 2, claim(w) else { return }
        let key = ModuleKey.key(ofNode: path(of: node), suffixes: ["/MatMul"])
        let weight = Tensor(shape: try w.shape(), data: try w.floatValues(in: bytes)).transposed()
        store(key + ".weight", shape: weight.shape, weight.data)
        if let output = node.outputs.first, let bias = biasAdd(after: output) { try store(key + ".bias", bias) }
    }

    /// `LayerNormalization` (γ, β = inputs 1, 2) and ORT's `SkipLayerNormalization` (2, 3).
    /// hexgrad's own LayerNorm (TextEncoder) names them `gamma`/`beta`, torch's `weight`/`bias`.
    mutating func layerNorm(_ node: ONNXNode, gamma: Int, beta: Int) throws {
        guard let g = initializer(node, gamma), g.isFloat else { return }
        let b = initializer(node, beta)
        let gv = try g.floatValues(in: bytes)
        let bv = try b?.floatValues(in: bytes) ?? []
        // AdaLayerNorm normalises without a learned affine; the export feeds constant 1 / 0.
        if gv.allSatisfy({ $0 == 1 }) && bv.allSatisfy({ $0 == 0 }) { return }
        let key = ModuleKey.key(ofNode: path(of: node), suffixes: ["/LayerNormalization"])
        let (gName, bName) = g.name.hasSuffix(".gamma") ? ("gamma", "beta") : ("weight", "bias")
        store("\(key).\(gName)", shape: try g.shape(), gv)
        if let b { store("\(key).\(bName)", shape: try b.shape(), bv) }
    }

    /// ORT's `FastGelu(x, bias)` absorbed the bias of the Linear producing `x` (ALBERT `ffn`).
    mutating func fastGeluBias(_ node: ONNXNode) throws {
        guard let bias = initializer(node, 1), bias.isFloat, var value = node.input(0) else { return }
        for _ in 0..<4 {
            guard let p = producer(of: value) else { break }
            if p.opType == "MatMulInteger" || p.opType == "MatMul" {
                let key = ModuleKey.key(ofNode: path(of: p), suffixes: ["/MatMul_quant", "/Gemm_MatMul_quant", "/MatMul"])
                try store(key + ".bias", bias)
                return
            }
            guard let next = p.input(0) else { break }
            value = next
        }
        problem(node, "its bias input does not follow a Linear layer")
    }

    /// Snake's `x + 1/α · sin²(αx)`: the `Mul` by a constant named `….alpha{1,2}.j`.
    mutating func snakeAlpha(_ node: ONNXNode) throws {
        for name in node.inputs {
            guard let t = initializers[name], t.isFloat else { continue }
            let parts = name.split(separator: ".")
            guard parts.count >= 2 else { continue }
            let (stem, index) = (parts[parts.count - 2], parts[parts.count - 1])
            guard stem == "alpha1" || stem == "alpha2", !index.isEmpty, index.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                continue
            }
            let key = ModuleKey.key(ofNode: path(of: node), suffixes: [])
            try store("\(key).\(stem).\(index)", t)
        }
    }
}
