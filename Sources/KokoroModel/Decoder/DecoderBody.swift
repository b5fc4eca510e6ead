import KoeCompute

/// The decoder body: F0/N down-convolutions, `encode`, and four `decode` blocks (the last
/// upsampling ×2). Produces the generator input `[512, 2D]`.
struct DecoderBody: Sendable {
    let f0Conv: Conv1dWeights
    let nConv: Conv1dWeights
    let encode: AdainResBlock1d
    let asrResidual: Conv1dWeights
    let decode: [AdainResBlock1d]

    init(_ w: WeightBinder, int8: Bool = false) throws {
        f0Conv = try w.conv("decoder.F0_conv")
        nConv = try w.conv("decoder.N_conv")
        encode = try AdainResBlock1d(w, "decoder.encode", int8: int8)
        asrResidual = try w.conv("decoder.asr_res.0")
        decode = try (0..<4).map { try AdainResBlock1d(w, "decoder.decode.\($0)", upsample: $0 == 3, int8: int8) }
    }

    /// `asr` `[512, D]`, `f0`/`n` `[2D]`, decoder style `s_d` → `(x [512, 2D], F0c [1, D], Nc [1, D])`.
    func callAsFunction(asr: Tensor, f0: [Float], n: [Float], style sd: [Float], threads: Int)
        -> (x: Tensor, f0c: Tensor, nc: Tensor)
    {
        let f0c = Conv1d.forward(Tensor(shape: [1, f0.count], data: f0), f0Conv, stride: 2, padding: 1)
        let nc = Conv1d.forward(Tensor(shape: [1, n.count], data: n), nConv, stride: 2, padding: 1)
        var x = encode(Tensor.concatRows([asr, f0c, nc]), style: sd, threads: threads)
        let res = Conv1d.forward(asr, asrResidual, threads: threads)
        for block in decode {
            x = block(Tensor.concatRows([x, res, f0c, nc]), style: sd, threads: threads)
        }
        return (x, f0c, nc)
    }
}
