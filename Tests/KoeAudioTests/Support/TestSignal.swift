import Foundation
import KoeAudio

/// The known test signal: a 440 Hz sine plus a quieter 200 Hz to 3 kHz chirp.
enum TestSignal {
    static let sampleRate = 24_000
    /// 1.5 s at 24 kHz.
    static let sampleCount = 36_000

    static func make(count: Int = sampleCount, sampleRate: Int = sampleRate) -> [Float] {
        let rate = Double(sampleRate)
        let duration = Double(count) / rate
        let sweep = (3_000.0 - 200.0) / (2 * max(duration, 1e-9))
        return (0..<count).map { i in
            let t = Double(i) / rate
            let sine = 0.5 * sin(2 * .pi * 440 * t)
            let chirp = 0.15 * sin(2 * .pi * (200 * t + sweep * t * t))
            return Float(sine + chirp)
        }
    }

    /// Uneven chunk sizes, an empty one among them, covering `total` samples.
    static func chunkSizes(total: Int) -> [Int] {
        var sizes: [Int] = []
        var left = total
        for size in [1, 479, 0, 481, 7_001, 3, 12_345, 960] where left > 0 {
            let take = min(size, left)
            sizes.append(take)
            left -= take
        }
        if left > 0 { sizes.append(left) }
        return sizes
    }

    /// Splits `samples` into ``chunkSizes(total:)`` pieces.
    static func chunks(of samples: [Float]) -> [[Float]] {
        var start = 0
        return chunkSizes(total: samples.count).map { size in
            defer { start += size }
            return Array(samples[start..<start + size])
        }
    }

    /// Encodes chunk by chunk, as a streaming server would.
    static func encodeChunked(
        _ samples: [Float], format: AudioFormat, options: AudioEncoderOptions = .default,
        sampleRate: Int = sampleRate
    ) throws -> [UInt8] {
        let encoder = try AudioEncoderFactory.make(format: format, sampleRate: sampleRate, options: options)
        var out: [UInt8] = []
        for chunk in chunks(of: samples) { out += try encoder.encode(chunk) }
        out += try encoder.finish()
        return out
    }

    /// The 16-bit value an undithered encoder must store for `x`.
    static func int16(_ x: Float) -> Int16 {
        Int16((Double(min(max(x, -1), 1)) * 32_767).rounded())
    }
}

/// A scratch folder removed when the value is released.
final class TemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("koe-audio-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    func write(_ bytes: [UInt8], as name: String) throws -> URL {
        let file = file(name)
        try Data(bytes).write(to: file)
        return file
    }
}
