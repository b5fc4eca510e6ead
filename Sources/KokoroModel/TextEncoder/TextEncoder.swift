import KoeCompute

/// Acoustic text features: embedding → 3 × (conv K=5 → channel LayerNorm → LeakyReLU 0.2)
/// → BiLSTM. Output `t_en` channel-major `[512, T]`.
struct TextEncoder: Sendable {
    struct ConvBlock: Sendable {
        let conv: Convolution
        let gamma: [Float]
        let beta: [Float]
    }
    let embedding: Tensor
    let blocks: [ConvBlock]
    let lstm: BiLSTMWeights

    init(_ w: WeightBinder) throws {
        embedding = try w.tensor("text_encoder.embedding.weight")
        blocks = try (0..<3).map { i in
            ConvBlock(conv: Convolution(try w.conv("text_encoder.cnn.\(i).0"), int8: w.int8),
                      gamma: try w.tensor("text_encoder.cnn.\(i).1.gamma").data,
                      beta: try w.tensor("text_encoder.cnn.\(i).1.beta").data)
        }
        lstm = try w.biLSTM("text_encoder.lstm")
    }

    func callAsFunction(_ ids: [Int], threads: Int) -> Tensor {
        var x = TensorOps.gatherRows(embedding, ids).transposed()   // [512, T]
        for b in blocks {
            x = b.conv(x, padding: 2, threads: threads)
            x = Normalization.layerNormChannels(x, scale: b.gamma, shift: b.beta, eps: 1e-5,
                                                activation: .leakyReLU(slope: 0.2))
        }
        return BiLSTM.forward(x.transposed(), lstm, threads: threads).transposed()
    }
}
