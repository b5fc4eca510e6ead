import Foundation

/// RIFF WAVE helpers for mono files: headers, whole files, and fixing the header of
/// a stream that was written before its length was known.
public enum WAVFile {
    /// The size written for an unknown length, as streaming servers do; decoders then read to the end.
    public static let unknownSize: UInt32 = 0xFFFF_FFFF

    /// A mono WAV header for `sampleCount` samples, or with ``unknownSize`` sizes when nil.
    ///
    /// Int16 uses the 44-byte `WAVE_FORMAT_PCM` layout; float32 uses `WAVE_FORMAT_IEEE_FLOAT`
    /// with an 18-byte `fmt ` chunk and a `fact` chunk (58 bytes in all).
    public static func header(sampleRate: Int, sampleFormat: WAVSampleFormat, sampleCount: Int?) -> [UInt8] {
        let isFloat = sampleFormat == .float32
        let bytesPerSample = isFloat ? 4 : 2
        let fmtSize = isFloat ? 18 : 16
        let headerSize = 12 + 8 + fmtSize + (isFloat ? 12 : 0) + 8
        func size32(_ value: Int?) -> UInt32 {
            guard let value, value >= 0, value < Int(unknownSize) else { return unknownSize }
            return UInt32(value)
        }
        let dataSize = sampleCount.map { $0 * bytesPerSample }
        var h: [UInt8] = []
        h.reserveCapacity(headerSize)
        h.appendASCII("RIFF")
        h.appendLE(size32(dataSize.map { $0 + headerSize - 8 }))
        h.appendASCII("WAVE")
        h.appendASCII("fmt ")
        h.appendLE(UInt32(fmtSize))
        h.appendLE(UInt16(isFloat ? 3 : 1))
        h.appendLE(UInt16(1))
        h.appendLE(UInt32(clamping: sampleRate))
        h.appendLE(UInt32(clamping: sampleRate * bytesPerSample))
        h.appendLE(UInt16(bytesPerSample))
        h.appendLE(UInt16(bytesPerSample * 8))
        if isFloat {
            h.appendLE(UInt16(0))
            h.appendASCII("fact")
            h.appendLE(UInt32(4))
            h.appendLE(size32(sampleCount))
        }
        h.appendASCII("data")
        h.appendLE(size32(dataSize))
        return h
    }

    /// A complete WAV file in memory with an exact header.
    public static func encode(
        samples: [Float],
        sampleRate: Int = AudioEncoderFactory.defaultSampleRate,
        sampleFormat: WAVSampleFormat = .int16,
        dither: Bool = false
    ) -> [UInt8] {
        var writer = PCMSampleWriter(sampleFormat: sampleFormat, dither: dither)
        var bytes = header(sampleRate: sampleRate, sampleFormat: sampleFormat, sampleCount: samples.count)
        writer.append(samples, to: &bytes)
        return bytes
    }

    /// Writes a complete WAV file with an exact header.
    public static func write(
        samples: [Float],
        sampleRate: Int = AudioEncoderFactory.defaultSampleRate,
        sampleFormat: WAVSampleFormat = .int16,
        dither: Bool = false,
        to url: URL
    ) throws {
        let bytes = encode(samples: samples, sampleRate: sampleRate, sampleFormat: sampleFormat, dither: dither)
        try Data(bytes).write(to: url, options: .atomic)
    }

    /// Rewrites the RIFF, `fact` and `data` sizes of an in-memory WAV whose `data`
    /// chunk runs to the end, e.g. a stream collected with unknown sizes.
    public static func patchHeader(_ bytes: inout [UInt8]) throws {
        for (offset, value) in try headerPatches(prefix: bytes, fileLength: bytes.count) {
            withUnsafeBytes(of: value.littleEndian) { bytes.replaceSubrange(offset..<offset + 4, with: $0) }
        }
    }

    /// Rewrites in place the RIFF, `fact` and `data` sizes of a WAV file whose `data`
    /// chunk runs to the end of the file, e.g. one a stream was saved to.
    public static func patchHeader(of url: URL) throws {
        let handle = try FileHandle(forUpdating: url)
        defer { try? handle.close() }
        let fileLength = Int(try handle.seekToEnd())
        try handle.seek(toOffset: 0)
        let prefix = [UInt8](try handle.read(upToCount: 4096) ?? Data())
        for (offset, value) in try headerPatches(prefix: prefix, fileLength: fileLength) {
            try handle.seek(toOffset: UInt64(offset))
            try withUnsafeBytes(of: value.littleEndian) { try handle.write(contentsOf: Data($0)) }
        }
    }

    /// The (offset, value) pairs that make the header of a `fileLength`-byte WAV exact.
    static func headerPatches(prefix: [UInt8], fileLength: Int) throws -> [(Int, UInt32)] {
        func u32(_ at: Int) -> Int {
            (0..<4).reduce(0) { $0 | Int(prefix[at + $1]) << (8 * $1) }
        }
        func tag(_ at: Int) -> String { String(decoding: prefix[at..<at + 4], as: UTF8.self) }
        guard prefix.count >= 12, tag(0) == "RIFF", tag(8) == "WAVE" else {
            throw AudioEncoderError.invalidWAVFile(reason: "no RIFF/WAVE signature")
        }
        var offset = 12
        var blockAlign = 0
        var factOffset: Int?
        while offset + 8 <= prefix.count {
            let id = tag(offset)
            let size = u32(offset + 4)
            if id == "data" {
                guard blockAlign > 0 else {
                    throw AudioEncoderError.invalidWAVFile(reason: "data chunk before a valid fmt chunk")
                }
                let dataStart = offset + 8
                let dataSize = (fileLength - dataStart) / blockAlign * blockAlign
                guard dataSize + dataStart - 8 < Int(unknownSize) else {
                    throw AudioEncoderError.invalidWAVFile(
                        reason: "\(dataSize) bytes of data exceed the 4 GiB RIFF limit")
                }
                var patches = [(4, UInt32(dataStart + dataSize - 8)), (offset + 4, UInt32(dataSize))]
                if let factOffset { patches.append((factOffset + 8, UInt32(dataSize / blockAlign))) }
                return patches
            }
            if id == "fmt ", size >= 16, offset + 22 <= prefix.count {
                blockAlign = Int(prefix[offset + 20]) | Int(prefix[offset + 21]) << 8
            }
            if id == "fact", size >= 4 { factOffset = offset }
            offset += 8 + size + (size & 1)
        }
        throw AudioEncoderError.invalidWAVFile(reason: "no data chunk in the first \(prefix.count) bytes")
    }
}
