import Foundation
import KoeCompute

/// The iSTFTNet generator: two transposed-convolution upsampling stages (×10, ×6) with
/// noise branches fed by the harmonic source's STFT, multi-receptive-field resblocks,
/// `conv_post`, and the inverse STFT (n_fft 20, hop 5) of the kokoro-onnx graph.
struct Generator: Sendable {
    static let nFFT = 20
    static let hop = 5
    /// Source-spectrum frames per generator input frame (300 samples at hop 5).
    static let sourceFramesPerFrame = 60

    let source: HarmonicSource
    let noiseConvs: [Conv1dWeights]
    let noiseResblocks: [AdaINResBlock1]
    let ups: [ConvTranspose1dWeights]
    let resblocks: [AdaINResBlock1]
    let convPost: Conv1dWeights
    /// `[22, 20]`: the graph's `inverse_basis` (window · irfft / 4).
    let inverseBasis: Tensor

    init(_ w: WeightBinder, int8: Bool = false) throws {
        let g = "decoder.generator"
        source = try HarmonicSource(w)
        noiseConvs = try (0..<2).map { try w.conv("\(g).noise_convs.\($0)") }
        noiseResblocks = [try AdaINResBlock1(w, "\(g).noise_res.0", kernelSize: 7, int8: int8),
                          try AdaINResBlock1(w, "\(g).noise_res.1", kernelSize: 11, int8: int8)]
        ups = try (0..<2).map { try w.convTranspose("\(g).ups.\($0)") }
        resblocks = try [3, 7, 11, 3, 7, 11].enumerated().map { j, k in
            try AdaINResBlock1(w, "\(g).resblocks.\(j)", kernelSize: k, int8: int8)
        }
        convPost = try w.conv("\(g).conv_post")
        let basis = try w.tensor("\(g).stft.inverse_basis")
        inverseBasis = basis.reshaped([basis.shape[0], basis.count / basis.shape[0]])
    }

    /// Source STFT features `[22, 120D+1]` from the source signal.
    static func sourceSpectrum(_ har: [Float]) -> Tensor {
        Spectral.stftMagnitudePhase(har, nFFT: nFFT, hop: hop)
    }

    /// Body up to `conv_post`: `x` `[512, 2D]`, `har` `[22, 120D+1]` → `[22, 120D+1]`.
    /// `tape`: records (and may blend) the statistics of every instance norm, in order.
    /// `checkpoint` is called between the resblocks (a dozen times a pass): a throw abandons
    /// the pass.
    func body(_ input: Tensor, har: Tensor, style sd: [Float], threads: Int, tape: InstanceNormTape? = nil,
              checkpoint: () throws -> Void = {}) rethrows -> Tensor {
        var x = input
        // Stage 0: ×10.
        Activation.leakyReLU(&x, slope: 0.1)
        do {
            var xs = Conv1d.forward(har, noiseConvs[0], stride: 6, padding: 3, threads: threads)
            noiseResblocks[0].apply(to: &xs, style: sd, threads: threads, tape: tape)
            try checkpoint()
            x = ConvTranspose1d.forward(x, ups[0], stride: 10, padding: 5, threads: threads)
            TensorOps.addInPlace(&x, xs)
        }
        try multiReceptiveField(&x, blocks: resblocks[0..<3], style: sd, threads: threads, tape: tape, checkpoint: checkpoint)
        // Stage 1: ×6, then reflection pad (1, 0).
        Activation.leakyReLU(&x, slope: 0.1)
        do {
            var xs = Conv1d.forward(har, noiseConvs[1], threads: threads)
            noiseResblocks[1].apply(to: &xs, style: sd, threads: threads, tape: tape)
            try checkpoint()
            x = Self.reflectPadLeft(ConvTranspose1d.forward(x, ups[1], stride: 6, padding: 3, threads: threads))
            TensorOps.addInPlace(&x, xs)
        }  // the noise branch is released before the largest stage
        try multiReceptiveField(&x, blocks: resblocks[3..<6], style: sd, threads: threads, tape: tape, checkpoint: checkpoint)
        Activation.leakyReLU(&x, slope: 0.01)
        return Conv1d.forward(x, convPost, padding: 3, threads: threads)
    }

    /// The mean of `blocks` applied to `x`, in place. The last block works in `x` itself
    /// (nothing needs it after), so the stage holds at most `x`, the running sum, one block's
    /// copy and a convolution's output.
    func multiReceptiveField(_ x: inout Tensor, blocks: ArraySlice<AdaINResBlock1>, style: [Float], threads: Int,
                             tape: InstanceNormTape? = nil, checkpoint: () throws -> Void = {}) rethrows {
        guard let last = blocks.indices.last else { return }
        var sum: Tensor?
        for i in blocks.indices where i != last {
            var y = x
            blocks[i].apply(to: &y, style: style, threads: threads, tape: tape)
            try checkpoint()
            if sum == nil { sum = y } else { TensorOps.addInPlace(&sum!, y) }
        }
        blocks[last].apply(to: &x, style: style, threads: threads, tape: tape)
        try checkpoint()
        if let sum { TensorOps.addInPlace(&x, sum) }
        TensorOps.scaleInPlace(&x, 1 / Float(blocks.count))
    }

    /// Prepends column 1 (`ReflectionPad1d((1, 0))`).
    static func reflectPadLeft(_ x: Tensor) -> Tensor {
        let c = x.shape[0], t = x.shape[1]
        var out = [Float](repeating: 0, count: c * (t + 1))
        for ch in 0..<c {
            out[ch * (t + 1)] = x.data[ch * t + min(1, t - 1)]
            for j in 0..<t { out[ch * (t + 1) + 1 + j] = x.data[ch * t + j] }
        }
        return Tensor(shape: [c, t + 1], data: out)
    }

    /// `exp` / `sin` spectrum head and the graph's inverse STFT: overlap-add of
    /// `inverse_basis`-weighted frames, samples 1…19 divided by `w[n]²` (the graph's
    /// single-frame window-sum table), ×4, 10 samples trimmed at each end.
    func inverseSTFT(_ post: Tensor) -> [Float] {
        let bins = post.shape[0] / 2, frames = post.shape[1]
        var spec = [Float](repeating: 0, count: 2 * bins * frames)
        for k in 0..<bins {
            for t in 0..<frames {
                let m = expf(post.data[k * frames + t])
                let p = sinf(post.data[(bins + k) * frames + t])
                spec[k * frames + t] = m * cosf(p)
                spec[(bins + k) * frames + t] = m * sinf(p)
            }
        }
        let n = inverseBasis.shape[1]
        var framesOut = [Float](repeating: 0, count: n * frames)
        inverseBasis.data.withUnsafeBufferPointer { bp in
            spec.withUnsafeBufferPointer { sp in
                framesOut.withUnsafeMutableBufferPointer { fp in
                    BLAS.sgemm(transA: true, m: n, n: frames, k: 2 * bins, a: bp.baseAddress!, lda: n,
                               b: sp.baseAddress!, ldb: frames, c: fp.baseAddress!, ldc: frames)
                }
            }
        }
        var raw = Spectral.overlapAdd(Tensor(shape: [n, frames], data: framesOut), hop: Self.hop)
        let window = Spectral.hann(Self.nFFT)
        for i in 0..<min(Self.nFFT, raw.count) {
            let w2 = window[i] * window[i]
            if w2 > Float.leastNormalMagnitude { raw[i] /= w2 }
        }
        let trim = Self.nFFT / 2
        guard raw.count > 2 * trim else { return [] }
        return raw[trim..<(raw.count - trim)].map { $0 * 4 }
    }
}
