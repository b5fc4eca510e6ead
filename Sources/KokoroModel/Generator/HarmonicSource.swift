import Foundation
import KoeCompute

/// The harmonic-plus-noise source of the iSTFTNet generator, deterministic exactly as the
/// ONNX export computes it: zero initial phases, no noise, phase accumulated per F0 frame
/// in float32 and linearly interpolated to 24 kHz.
struct HarmonicSource: Sendable {
    static let harmonics = 9
    static let upsample = 300
    static let sampleRate: Float = 24_000
    static let sineAmplitude: Float = 0.1
    static let voicedThreshold: Float = 10

    /// `m_source.l_linear`: merges the 9 sine channels.
    let mergeWeights: [Float]
    let mergeBias: Float

    init(_ w: WeightBinder) throws {
        mergeWeights = try w.tensor("decoder.generator.m_source.l_linear.weight").data
        mergeBias = try w.tensor("decoder.generator.m_source.l_linear.bias").data.first ?? 0
        precondition(mergeWeights.count == Self.harmonics, "l_linear must have \(Self.harmonics) weights")
    }

    /// `f0` `[F]` in Hz → source signal `[300·F]`.
    func callAsFunction(f0: [Float]) -> [Float] {
        let frames = f0.count, up = Self.upsample, samples = frames * up
        var merged = [Float](repeating: 0, count: samples)
        var phase = [Float](repeating: 0, count: frames)
        // Interpolation positions depend only on the sample index within the signal.
        let lastFrame = Double(frames - 1)
        for h in 1...Self.harmonics {
            // Phase increment per frame: the ×(1/300) half-pixel resize picks the (constant)
            // per-frame value frac(h·F0/24000).
            var acc: Float = 0
            for i in 0..<frames {
                var r = (f0[i] * Float(h)) / Self.sampleRate
                r -= r.rounded(.down)
                acc += r
                phase[i] = ((acc * 2) * Float.pi) * Float(up)
            }
            let a = mergeWeights[h - 1]
            merged.withUnsafeMutableBufferPointer { mp in
                for n in 0..<samples {
                    let v = f0[n / up]
                    guard v > Self.voicedThreshold else { continue }
                    let p = min(max((Double(n) + 0.5) / Double(up) - 0.5, 0), lastFrame)
                    let i0 = Int(p)
                    let i1 = min(i0 + 1, frames - 1)
                    let w = Float(p - Double(i0))
                    let ph = phase[i0] * (1 - w) + phase[i1] * w
                    mp[n] += a * (sinf(ph) * Self.sineAmplitude)
                }
            }
        }
        for n in 0..<samples { merged[n] = tanhf(merged[n] + mergeBias) }
        return merged
    }
}
