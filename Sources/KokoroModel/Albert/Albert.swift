import KoeCompute

/// PL-BERT: an ALBERT encoder whose 12 layers share one set of weights, followed by
/// `bert_encoder` (768 → 512). Input token ids `[T]`, output `d_en` time-major `[T, 512]`.
struct Albert: Sendable {
    static let layers = 12
    static let heads = 12

    let wordEmbeddings: Tensor
    let positionEmbeddings: Tensor
    let tokenType0: [Float]
    let embeddingNorm: (gamma: [Float], beta: [Float])
    let mappingIn: Dense
    let query, key, value, dense: Dense
    let attentionNorm: (gamma: [Float], beta: [Float])
    let ffn, ffnOutput: Dense
    let fullNorm: (gamma: [Float], beta: [Float])
    let bertEncoder: Dense

    init(_ w: WeightBinder) throws {
        let p = "bert.encoder.albert_layer_groups.0.albert_layers.0."
        wordEmbeddings = try w.tensor("bert.embeddings.word_embeddings.weight")
        positionEmbeddings = try w.tensor("bert.embeddings.position_embeddings.weight")
        tokenType0 = try w.tensor("bert.embeddings.token_type_embeddings.weight").rows(0..<1).data
        embeddingNorm = (try w.tensor("bert.embeddings.LayerNorm.weight").data, try w.tensor("bert.embeddings.LayerNorm.bias").data)
        mappingIn = try w.linear("bert.encoder.embedding_hidden_mapping_in")
        query = try w.linear(p + "attention.query")
        key = try w.linear(p + "attention.key")
        value = try w.linear(p + "attention.value")
        dense = try w.linear(p + "attention.dense")
        attentionNorm = (try w.tensor(p + "attention.LayerNorm.weight").data, try w.tensor(p + "attention.LayerNorm.bias").data)
        ffn = try w.linear(p + "ffn")
        ffnOutput = try w.linear(p + "ffn_output")
        fullNorm = (try w.tensor(p + "full_layer_layer_norm.weight").data, try w.tensor(p + "full_layer_layer_norm.bias").data)
        bertEncoder = try w.linear("bert_encoder")
    }

    /// Last hidden state `[T, 768]`.
    func hidden(_ ids: [Int], threads: Int) -> Tensor {
        let t = ids.count
        var e = TensorOps.gatherRows(wordEmbeddings, ids)
        let pos = positionEmbeddings.rows(0..<t)
        TensorOps.addInPlace(&e, pos)
        let width = e.shape[1]
        for r in 0..<t {
            for j in 0..<width { e.data[r * width + j] += tokenType0[j] }
        }
        e = Normalization.layerNormRows(e, gamma: embeddingNorm.gamma, beta: embeddingNorm.beta, eps: 1e-12)
        var h = mappingIn(e, threads: threads)
        for _ in 0..<Self.layers {
            let qkv = Dense.apply([query, key, value], to: h, threads: threads)
            let ctx = Attention.forward(q: qkv[0], k: qkv[1], v: qkv[2], heads: Self.heads, scale: 0.125, threads: threads)
            var a = dense(ctx, threads: threads)
            TensorOps.addInPlace(&a, h)
            h = Normalization.layerNormRows(a, gamma: attentionNorm.gamma, beta: attentionNorm.beta, eps: 1e-12)
            var f = ffn(h, threads: threads)
            Activation.geluTanh(&f)
            var o = ffnOutput(f, threads: threads)
            TensorOps.addInPlace(&o, h)
            h = Normalization.layerNormRows(o, gamma: fullNorm.gamma, beta: fullNorm.beta, eps: 1e-12)
        }
        return h
    }

    /// `d_en = bert_encoder(ALBERT(ids))`, time-major `[T, 512]`.
    func callAsFunction(_ ids: [Int], threads: Int) -> Tensor {
        bertEncoder(hidden(ids, threads: threads), threads: threads)
    }
}
