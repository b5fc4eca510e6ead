/// Bidirectional LSTMs: ORT's `DynamicQuantizeLSTM` (int8 export) and ONNX `LSTM` (fp32).
///
/// ONNX stacks the gates as i, o, f, c; torch as i, f, g (= c), o. Direction 0 is forward
/// (torch suffix ""), direction 1 reverse (`_reverse`).
extension KokoroGraphWalker {
    /// `DynamicQuantizeLSTM`: W int8 `[D, in, 4H]`, R int8 `[D, H, 4H]` (transposed against
    /// ONNX `LSTM`), per-direction scales (inputs 8, 10) and zero points (9, 11), B f32 `[D, 8H]`.
    mutating func quantizedLSTM(_ node: ONNXNode) throws {
        guard let w = initializer(node, 1), let r = initializer(node, 2), w.isQuantized, r.isQuantized else {
            return problem(node, "inputs W and R are not constant int8 tensors")
        }
        let key = ModuleKey.key(ofNode: path(of: node), suffixes: ["/LSTM_quant"])
        let (ws, rs) = (try w.shape(), try r.shape())
        guard ws.count == 3, rs.count == 3, (1...2).contains(ws[0]), rs[0] == ws[0], rs[2] == 4 * rs[1], ws[2] == rs[2] else {
            return problem(node, "W \(ws) and R \(rs) are not [D, in, 4H] and [D, H, 4H]")
        }
        let (directions, inputSize, hidden) = (ws[0], ws[1], rs[1])
        guard let wScale = try perChannel(initializer(node, 8), count: directions, default: 1),
              let wZero = try perChannel(initializer(node, 9), count: directions, default: 0),
              let rScale = try perChannel(initializer(node, 10), count: directions, default: 1),
              let rZero = try perChannel(initializer(node, 11), count: directions, default: 0)
        else { return problem(node, "scales or zero points are neither per-tensor nor per-direction") }
        let (wq, rq) = (try w.floatValues(in: bytes), try r.floatValues(in: bytes))
        for d in 0..<directions {
            let suffix = d == 0 ? "" : "_reverse"
            let ih = Self.torchGates(wq, direction: d, hidden: hidden, columns: inputSize, gatesLast: true,
                                     zeroPoint: wZero[d], scale: wScale[d])
            let hh = Self.torchGates(rq, direction: d, hidden: hidden, columns: hidden, gatesLast: true,
                                     zeroPoint: rZero[d], scale: rScale[d])
            store("\(key).weight_ih_l0\(suffix)", shape: [4 * hidden, inputSize], ih)
            store("\(key).weight_hh_l0\(suffix)", shape: [4 * hidden, hidden], hh)
        }
        try storeBiases(node, key: key, directions: directions, hidden: hidden)
    }

    /// ONNX `LSTM`: W `[D, 4H, in]`, R `[D, 4H, H]`, B `[D, 8H]`, gates i, o, f, c.
    mutating func floatLSTM(_ node: ONNXNode) throws {
        guard let w = initializer(node, 1), let r = initializer(node, 2), w.isFloat, r.isFloat else {
            return problem(node, "inputs W and R are not constant float tensors")
        }
        let key = ModuleKey.key(ofNode: path(of: node), suffixes: ["/LSTM"])
        let (ws, rs) = (try w.shape(), try r.shape())
        guard ws.count == 3, rs.count == 3, (1...2).contains(ws[0]), rs[0] == ws[0], rs[1] == 4 * rs[2], ws[1] == rs[1] else {
            return problem(node, "W \(ws) and R \(rs) are not [D, 4H, in] and [D, 4H, H]")
        }
        let (directions, inputSize, hidden) = (ws[0], ws[2], rs[2])
        let (wv, rv) = (try w.floatValues(in: bytes), try r.floatValues(in: bytes))
        for d in 0..<directions {
            let suffix = d == 0 ? "" : "_reverse"
            let ih = Self.torchGates(wv, direction: d, hidden: hidden, columns: inputSize, gatesLast: false, zeroPoint: 0, scale: 1)
            let hh = Self.torchGates(rv, direction: d, hidden: hidden, columns: hidden, gatesLast: false, zeroPoint: 0, scale: 1)
            store("\(key).weight_ih_l0\(suffix)", shape: [4 * hidden, inputSize], ih)
            store("\(key).weight_hh_l0\(suffix)", shape: [4 * hidden, hidden], hh)
        }
        try storeBiases(node, key: key, directions: directions, hidden: hidden)
    }

    /// B `[D, 8H]` = `[Wb | Rb]` per direction → `bias_ih_l0`, `bias_hh_l0` in torch gate order.
    private mutating func storeBiases(_ node: ONNXNode, key: String, directions: Int, hidden: Int) throws {
        let g = 4 * hidden
        var values = [Float](repeating: 0, count: directions * 2 * g)
        if let b = initializer(node, 3) {
            let v = try b.floatValues(in: bytes)
            guard v.count == values.count else {
                return problem(node, "bias \(b.name) has \(v.count) values, expected \(directions) × \(2 * g)")
            }
            values = v
        }
        for d in 0..<directions {
            let suffix = d == 0 ? "" : "_reverse"
            let ih = Self.torchGates(Array(values[(2 * d * g)..<((2 * d + 1) * g)]), direction: 0, hidden: hidden,
                                     columns: 1, gatesLast: false, zeroPoint: 0, scale: 1)
            let hh = Self.torchGates(Array(values[((2 * d + 1) * g)..<((2 * d + 2) * g)]), direction: 0, hidden: hidden,
                                     columns: 1, gatesLast: false, zeroPoint: 0, scale: 1)
            store("\(key).bias_ih_l0\(suffix)", shape: [g], ih)
            store("\(key).bias_hh_l0\(suffix)", shape: [g], hh)
        }
    }

    /// Torch gate block `i, f, g, o` → ONNX block index (ONNX order `i, o, f, c`).
    static let onnxGateBlock = [0, 2, 3, 1]

    /// The `[4H, columns]` torch matrix of one direction, de-quantised as `(q − zp)·s`.
    /// `gatesLast`: the source stores `[columns, 4H]` per direction (DynamicQuantizeLSTM)
    /// instead of `[4H, columns]` (ONNX LSTM).
    static func torchGates(_ source: [Float], direction d: Int, hidden: Int, columns: Int, gatesLast: Bool,
                           zeroPoint: Float, scale: Float) -> [Float] {
        let rows = 4 * hidden
        let base = d * rows * columns
        return [Float](unsafeUninitializedCapacity: rows * columns) { out, initialized in
            source.withUnsafeBufferPointer { src in
                for row in 0..<rows {
                    let onnxRow = onnxGateBlock[row / hidden] * hidden + row % hidden
                    for c in 0..<columns {
                        let q = gatesLast ? src[base + c * rows + onnxRow] : src[base + onnxRow * columns + c]
                        out[row * columns + c] = (q - zeroPoint) * scale
                    }
                }
            }
            initialized = rows * columns
        }
    }
}
