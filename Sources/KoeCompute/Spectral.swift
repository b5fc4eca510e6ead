import Foundation

/// Short-time Fourier transforms for the iSTFTNet vocoder (tiny FFT sizes: direct DFT).
public enum Spectral {
    /// Periodic Hann window `0.5 − 0.5·cos(2πn/N)`.
    public static func hann(_ n: Int) -> [Float] {
        (0..<n).map { Float(0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(n))) }
    }

    /// Centred STFT with reflect padding (`nFFT/2` each side, mirror excluding the edge
    /// sample) and a periodic Hann window; returns `[2·(nFFT/2+1), frames]`:
    /// magnitudes then phases (`atan2`, with the imaginary part of the DC and Nyquist
    /// bins exactly +0, as `torch.stft` + `torch.angle`).
    public static func stftMagnitudePhase(_ x: [Float], nFFT: Int, hop: Int) -> Tensor {
        let pad = nFFT / 2
        precondition(x.count > pad, "stft: signal of \(x.count) samples is shorter than the reflect padding \(pad)")
        let n = x.count
        var xp = [Float](repeating: 0, count: n + 2 * pad)
        for i in 0..<(n + 2 * pad) {
            var j = i - pad
            if j < 0 { j = -j }
            if j >= n { j = 2 * (n - 1) - j }
            xp[i] = x[j]
        }
        let bins = nFFT / 2 + 1
        let frames = (xp.count - nFFT) / hop + 1
        let win = hann(nFFT).map(Double.init)
        var cosT = [Double](repeating: 0, count: bins * nFFT)
        var sinT = [Double](repeating: 0, count: bins * nFFT)
        for k in 0..<bins {
            for m in 0..<nFFT {
                let a = 2 * Double.pi * Double(k * m % nFFT) / Double(nFFT)
                cosT[k * nFFT + m] = cos(a) * win[m]
                sinT[k * nFFT + m] = sin(a) * win[m]
            }
        }
        var out = [Float](repeating: 0, count: 2 * bins * frames)
        var frame = [Double](repeating: 0, count: nFFT)
        for t in 0..<frames {
            for m in 0..<nFFT { frame[m] = Double(xp[t * hop + m]) }
            for k in 0..<bins {
                var re = 0.0, im = 0.0
                for m in 0..<nFFT {
                    re += frame[m] * cosT[k * nFFT + m]
                    im -= frame[m] * sinT[k * nFFT + m]
                }
                var ref = Float(re), imf = Float(im)
                if k == 0 || 2 * k == nFFT { imf = 0 }
                if ref == 0 { ref = 0 }  // normalise −0 so atan2 matches torch for silent frames
                out[k * frames + t] = (ref * ref + imf * imf).squareRoot()
                out[(bins + k) * frames + t] = atan2f(imf, ref)
            }
        }
        return Tensor(shape: [2 * bins, frames], data: out)
    }

    /// Overlap-add of frames: `frames[n, t]` (`[nFFT, T]`) added at `hop·t + n`;
    /// returns `hop·(T−1) + nFFT` samples.
    public static func overlapAdd(_ frames: Tensor, hop: Int) -> [Float] {
        precondition(frames.rank == 2)
        let nfft = frames.shape[0], t = frames.shape[1]
        var raw = [Float](repeating: 0, count: hop * (t - 1) + nfft)
        frames.data.withUnsafeBufferPointer { fp in
            raw.withUnsafeMutableBufferPointer { rp in
                for n in 0..<nfft {
                    let row = fp.baseAddress! + n * t
                    for j in 0..<t { rp[hop * j + n] += row[j] }
                }
            }
        }
        return raw
    }
}
