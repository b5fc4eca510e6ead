import KoeCompute

/// StyleTTS2's `AdainResBlk1d` (prosody F0/N stacks and the decoder body):
/// AdaIN → LeakyReLU(0.2) → [depthwise ×2 upsample] → conv → AdaIN → LeakyReLU(0.2) → conv,
/// plus a shortcut (nearest ×2, optional 1×1 conv), summed and divided by √2.
struct AdainResBlock1d: Sendable {
    let norm1: Dense
    let norm2: Dense
    let conv1: Convolution
    let conv2: Convolution
    let shortcut: Convolution?
    let pool: ConvTranspose1dWeights?

    init(_ w: WeightBinder, _ prefix: String, upsample: Bool = false, int8: Bool = false) throws {
        norm1 = try w.linear(prefix + ".norm1.fc")
        norm2 = try w.linear(prefix + ".norm2.fc")
        conv1 = Convolution(try w.conv(prefix + ".conv1"), int8: int8)
        conv2 = Convolution(try w.conv(prefix + ".conv2"), int8: int8)
        shortcut = w.optional(prefix + ".conv1x1.weight") != nil
            ? Convolution(try w.conv(prefix + ".conv1x1"), int8: int8) : nil
        pool = upsample ? try w.convTranspose(prefix + ".pool", depthwise: true) : nil
    }

    func callAsFunction(_ x: Tensor, style: [Float], threads: Int) -> Tensor {
        let c = x.shape[0]
        let a1 = norm1.apply(style)
        var h = Normalization.adaptiveInstanceNorm(
            x, gamma: Array(a1[0..<c]), beta: Array(a1[c..<(2 * c)]),
            activation: .leakyReLU(slope: 0.2), threads: threads)
        if let pool {
            h = ConvTranspose1d.forward(h, pool, stride: 2, padding: 1, outputPadding: 1, threads: threads)
        }
        h = conv1(h, padding: 1, threads: threads)
        let c2 = h.shape[0]
        let a2 = norm2.apply(style)
        h = Normalization.adaptiveInstanceNorm(
            h, gamma: Array(a2[0..<c2]), beta: Array(a2[c2..<(2 * c2)]),
            activation: .leakyReLU(slope: 0.2), threads: threads)
        h = conv2(h, padding: 1, threads: threads)

        var sc = pool != nil ? TensorOps.repeatColumns(x, times: 2) : x
        if let shortcut { sc = shortcut(sc, padding: 0, threads: threads) }
        precondition(sc.shape == h.shape, "AdainResBlock1d: residual \(h.shape) vs shortcut \(sc.shape)")
        var out = h.data
        let s = sc.data
        for i in 0..<out.count { out[i] = (out[i] + s[i]) / 1.414_213_5 }
        return Tensor(shape: h.shape, data: out)
    }
}
