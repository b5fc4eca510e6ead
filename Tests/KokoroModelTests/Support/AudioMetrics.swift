import Foundation

/// Spectral comparison of two utterances that need not line up sample by sample
/// (the source phase drifts as soon as F0 differs slightly).
enum AudioMetrics {
    static let sampleRate = 24_000.0
    static let nFFT = 1024
    static let hop = 240
    static let mels = 80

    /// RMS level in dB relative to full scale.
    static func levelDB(_ x: [Float]) -> Double {
        let ms = x.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(max(1, x.count))
        return 10 * log10(max(ms, 1e-20))
    }

    /// Mean log-mel distance (dB, RMS over 80 mel bands per frame) along the dynamic-time-
    /// warping path between the two log-mel spectrograms.
    static func logMelDTWDistance(_ a: [Float], _ b: [Float]) -> Double {
        let ma = logMel(a), mb = logMel(b)
        return dtw(ma, mb)
    }

    /// `[frames][mels]` log-mel power in dB, floored 80 dB below the signal's peak (or
    /// `floorFrom`'s, to compare two signals on one scale).
    static func logMel(_ x: [Float], floorFrom reference: [[Double]]? = nil) -> [[Double]] {
        let fb = melFilterbank()
        let window = (0..<nFFT).map { 0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(nFFT)) }
        var frames = [[Double]]()
        var start = 0
        while start + nFFT <= x.count {
            var re = (0..<nFFT).map { Double(x[start + $0]) * window[$0] }
            var im = [Double](repeating: 0, count: nFFT)
            fft(&re, &im)
            let power = (0...(nFFT / 2)).map { re[$0] * re[$0] + im[$0] * im[$0] }
            frames.append(fb.map { row in 10 * log10(max(zip(row, power).reduce(0) { $0 + $1.0 * $1.1 }, 1e-10)) })
            start += hop
        }
        let peak = (reference ?? frames).flatMap { $0 }.max() ?? 0
        return frames.map { $0.map { max($0, peak - 80) } }
    }

    static func dtw(_ a: [[Double]], _ b: [[Double]]) -> Double {
        let n = a.count, m = b.count
        guard n > 0, m > 0 else { return .infinity }
        func cost(_ i: Int, _ j: Int) -> Double {
            var s = 0.0
            for k in 0..<a[i].count { let d = a[i][k] - b[j][k]; s += d * d }
            return (s / Double(a[i].count)).squareRoot()
        }
        // Accumulated cost and path length, row by row.
        var prevC = [Double](repeating: .infinity, count: m), prevL = [Int](repeating: 0, count: m)
        for i in 0..<n {
            var curC = [Double](repeating: .infinity, count: m), curL = [Int](repeating: 0, count: m)
            for j in 0..<m {
                let c = cost(i, j)
                if i == 0 && j == 0 { curC[j] = c; curL[j] = 1; continue }
                var best = Double.infinity, len = 0
                if i > 0 && prevC[j] < best { best = prevC[j]; len = prevL[j] }
                if j > 0 && curC[j - 1] < best { best = curC[j - 1]; len = curL[j - 1] }
                if i > 0 && j > 0 && prevC[j - 1] <= best { best = prevC[j - 1]; len = prevL[j - 1] }
                curC[j] = best + c
                curL[j] = len + 1
            }
            prevC = curC
            prevL = curL
        }
        return prevC[m - 1] / Double(prevL[m - 1])
    }

    /// Slaney-style triangular filters on the mel scale (HTK formula), 0 Hz to Nyquist.
    static func melFilterbank() -> [[Double]] {
        func mel(_ f: Double) -> Double { 2595 * log10(1 + f / 700) }
        func hz(_ m: Double) -> Double { 700 * (pow(10, m / 2595) - 1) }
        let bins = nFFT / 2 + 1
        let top = mel(sampleRate / 2)
        let edges = (0...(mels + 1)).map { hz(top * Double($0) / Double(mels + 1)) }
        return (0..<mels).map { k in
            (0..<bins).map { i in
                let f = Double(i) * sampleRate / Double(nFFT)
                let l = edges[k], c = edges[k + 1], r = edges[k + 2]
                if f <= l || f >= r { return 0 }
                return (f < c ? (f - l) / (c - l) : (r - f) / (r - c)) * 2 / (r - l)
            }
        }
    }

    /// In-place iterative radix-2 FFT.
    static func fft(_ re: inout [Double], _ im: inout [Double]) {
        let n = re.count
        var j = 0
        for i in 1..<n {
            var bit = n >> 1
            while j & bit != 0 { j ^= bit; bit >>= 1 }
            j |= bit
            if i < j { re.swapAt(i, j); im.swapAt(i, j) }
        }
        var len = 2
        while len <= n {
            let ang = -2 * Double.pi / Double(len)
            for s in stride(from: 0, to: n, by: len) {
                for k in 0..<(len / 2) {
                    let wr = cos(ang * Double(k)), wi = sin(ang * Double(k))
                    let a = s + k, b = s + k + len / 2
                    let tr = re[b] * wr - im[b] * wi, ti = re[b] * wi + im[b] * wr
                    re[b] = re[a] - tr; im[b] = im[a] - ti
                    re[a] += tr; im[a] += ti
                }
            }
            len <<= 1
        }
    }
}

extension AudioMetrics {
    /// Mean log-mel distance (dB, RMS over 80 mel bands per frame) frame by frame, for two
    /// signals of the same length, floored 80 dB below `b`'s peak.
    static func logMelFrameDistance(_ a: [Float], _ b: [Float]) -> Double {
        let mb = logMel(b), ma = logMel(a, floorFrom: mb)
        let n = min(ma.count, mb.count)
        guard n > 0 else { return .infinity }
        var total = 0.0
        for i in 0..<n {
            var s = 0.0
            for k in 0..<ma[i].count { let d = ma[i][k] - mb[i][k]; s += d * d }
            total += (s / Double(ma[i].count)).squareRoot()
        }
        return total / Double(n)
    }
}
