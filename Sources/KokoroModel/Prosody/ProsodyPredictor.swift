import Foundation
import KoeCompute

/// The prosody predictor: DurationEncoder, duration head, and the F0 / N curves.
struct ProsodyPredictor: Sendable {
    let lstms: [BiLSTMWeights]          // predictor.text_encoder.lstms.{0,2,4}
    let adaNorms: [Dense]        // predictor.text_encoder.lstms.{1,3,5}.fc
    let durationLSTM: BiLSTMWeights
    let durationProjection: Dense
    let shared: BiLSTMWeights
    let f0Blocks: [AdainResBlock1d]
    let nBlocks: [AdainResBlock1d]
    let f0Projection: Conv1dWeights
    let nProjection: Conv1dWeights

    init(_ w: WeightBinder) throws {
        lstms = try [0, 2, 4].map { try w.biLSTM("predictor.text_encoder.lstms.\($0)") }
        adaNorms = try [1, 3, 5].map { try w.linear("predictor.text_encoder.lstms.\($0).fc") }
        durationLSTM = try w.biLSTM("predictor.lstm")
        durationProjection = try w.linear("predictor.duration_proj.linear_layer")
        shared = try w.biLSTM("predictor.shared")
        f0Blocks = try (0..<3).map { try AdainResBlock1d(w, "predictor.F0.\($0)", upsample: $0 == 1, int8: w.int8) }
        nBlocks = try (0..<3).map { try AdainResBlock1d(w, "predictor.N.\($0)", upsample: $0 == 1, int8: w.int8) }
        f0Projection = try w.conv("predictor.F0_proj")
        nProjection = try w.conv("predictor.N_proj")
    }

    /// DurationEncoder: `d_en` `[T, 512]` → `d` `[T, 640]` (features then 128 copies of `s_p`).
    func encodeDurations(_ dEn: Tensor, prosodyStyle sp: [Float], threads: Int) -> Tensor {
        let t = dEn.shape[0]
        let styleRows = Tensor(shape: [t, sp.count], data: Array((0..<t).map { _ in sp }.joined()))
        var x = TensorOps.concatColumns([dEn, styleRows])
        for (lstm, norm) in zip(lstms, adaNorms) {
            x = BiLSTM.forward(x, lstm, threads: threads)
            let h = norm.apply(sp)
            let c = x.shape[1]
            x = Normalization.layerNormRows(x, gamma: h[0..<c].map { 1 + $0 }, beta: Array(h[c..<(2 * c)]), eps: 1e-5)
            x = TensorOps.concatColumns([x, styleRows])
        }
        return x
    }

    /// Duration logits `[T, 50]` from `d` `[T, 640]`.
    func durationLogits(_ d: Tensor, threads: Int) -> Tensor {
        durationProjection(BiLSTM.forward(d, durationLSTM, threads: threads), threads: threads)
    }

    /// `Σ σ(logits) / speed` per token, in frames of 600 samples.
    static func durations(logits: Tensor, speed: Float) -> [Float] {
        let t = logits.shape[0], m = logits.shape[1]
        return (0..<t).map { i in
            var s: Float = 0
            for j in 0..<m { s += 1 / (1 + expf(-logits.data[i * m + j])) }
            return s / speed
        }
    }

    /// Rounded half to even (as torch and ONNX `Round`), at least one frame.
    static func frames(_ durations: [Float]) -> [Int] {
        durations.map { max(1, Int($0.rounded(.toNearestOrEven))) }
    }

    /// F0 and N curves `[2D]` from the aligned features `en` time-major `[D, 640]`.
    func curves(alignedFeatures en: Tensor, prosodyStyle sp: [Float], threads: Int) -> (f0: [Float], n: [Float]) {
        let x = BiLSTM.forward(en, shared, threads: threads).transposed()   // [512, D]
        func stack(_ blocks: [AdainResBlock1d], _ proj: Conv1dWeights) -> [Float] {
            var h = x
            for b in blocks { h = b(h, style: sp, threads: threads) }
            return Conv1d.forward(h, proj, threads: threads).data
        }
        return (stack(f0Blocks, f0Projection), stack(nBlocks, nProjection))
    }
}
