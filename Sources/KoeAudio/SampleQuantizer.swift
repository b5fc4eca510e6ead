/// Turns float samples into clipped, optionally dithered integers.
///
/// The dither generator is part of the encoder's state, so a signal split into
/// chunks quantises exactly as it would in one piece.
struct SampleQuantizer {
    let bitsPerSample: Int
    let dither: Bool
    private let scale: Double
    private let minValue: Double
    private let maxValue: Double
    private var rngState: UInt64 = 0x9E37_79B9_7F4A_7C15

    init(bitsPerSample: Int, dither: Bool) {
        precondition((8...32).contains(bitsPerSample), "bitsPerSample \(bitsPerSample) outside 8...32")
        self.bitsPerSample = bitsPerSample
        self.dither = dither
        let full = Double(Int64(1) << (bitsPerSample - 1))
        scale = full - 1
        minValue = -full
        maxValue = full - 1
    }

    /// NaN becomes silence; everything else, infinities included, is clipped to [-1, 1].
    static func sanitize(_ x: Float) -> Float {
        x.isNaN ? 0 : min(max(x, -1), 1)
    }

    /// The integer sample for `x`, in `-2^(bits-1) ... 2^(bits-1) - 1`.
    mutating func quantize(_ x: Float) -> Int32 {
        var v = Double(Self.sanitize(x)) * scale
        if dither { v += nextTriangular() }
        return Int32(min(max(v.rounded(), minValue), maxValue))
    }

    /// Triangular noise in (-1, 1) LSB: the sum of two uniform values (xorshift64*).
    private mutating func nextTriangular() -> Double {
        nextUniform() + nextUniform() - 1
    }

    private mutating func nextUniform() -> Double {
        rngState ^= rngState >> 12
        rngState ^= rngState << 25
        rngState ^= rngState >> 27
        let r = rngState &* 0x2545_F491_4F6C_DD1D
        return Double(r >> 11) / Double(UInt64(1) << 53)
    }
}

extension Array where Element == UInt8 {
    /// Appends `value` as little-endian bytes.
    mutating func appendLE<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }

    /// Appends ASCII text such as a RIFF or Ogg tag.
    mutating func appendASCII(_ text: String) {
        append(contentsOf: text.utf8)
    }
}
