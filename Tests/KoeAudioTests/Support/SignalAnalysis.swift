import Foundation

/// Shift-tolerant measures for comparing a decoded signal with the original.
enum SignalAnalysis {
    /// The magnitude of the `frequency` component (Goertzel).
    static func magnitude(of samples: [Float], at frequency: Double, sampleRate: Int) -> Double {
        let w = 2 * Double.pi * frequency / Double(sampleRate)
        let coeff = 2 * cos(w)
        var s1 = 0.0
        var s2 = 0.0
        for x in samples {
            let s0 = Double(x) + coeff * s1 - s2
            s2 = s1
            s1 = s0
        }
        return sqrt(max(0, s1 * s1 + s2 * s2 - coeff * s1 * s2))
    }

    /// The strongest frequency between 100 Hz and 2 kHz, on a 5 Hz grid.
    static func dominantFrequency(of samples: [Float], sampleRate: Int) -> Double {
        let grid = stride(from: 100.0, through: 2_000.0, by: 5.0)
        return grid.max { magnitude(of: samples, at: $0, sampleRate: sampleRate)
            < magnitude(of: samples, at: $1, sampleRate: sampleRate) } ?? 0
    }

    /// Energy per second (mean square times duration, over the rate): padding-independent.
    static func energy(of samples: [Float], sampleRate: Int) -> Double {
        samples.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(sampleRate)
    }

    /// The level difference in dB between two signals' energies.
    static func levelDifference(_ a: [Float], rateA: Int, _ b: [Float], rateB: Int) -> Double {
        10 * log10(energy(of: a, sampleRate: rateA) / energy(of: b, sampleRate: rateB))
    }

    /// The best normalised cross-correlation of `decoded` against `original` for lags
    /// (decoded delayed by `lag` samples) in `lags`, and that lag.
    static func bestCorrelation(_ decoded: [Float], _ original: [Float], lags: ClosedRange<Int>)
        -> (correlation: Double, lag: Int)
    {
        var best = (correlation: -1.0, lag: 0)
        for lag in lags {
            var dot = 0.0
            var ee = 0.0
            var oo = 0.0
            for i in original.indices {
                let j = i + lag
                guard j >= 0, j < decoded.count else { continue }
                let d = Double(decoded[j])
                let o = Double(original[i])
                dot += d * o
                ee += d * d
                oo += o * o
            }
            let c = ee > 0 && oo > 0 ? dot / sqrt(ee * oo) : 0
            if c > best.correlation { best = (c, lag) }
        }
        return best
    }
}

extension Array where Element == Int16 {
    var asFloats: [Float] { map { Float($0) / 32_768 } }
}
