import Foundation
import ZIPFoundation

/// Writes `.npy`/`.npz`/raw voice files the way NumPy and Kokoro's tools do, for tests.
enum VoiceFixtures {
    /// `.npy` bytes: header version 1 (or 2), `descr`, C order.
    static func npy(descr: String, shape: [Int], payload: [UInt8], version: UInt8 = 1, fortran: Bool = false) -> [UInt8] {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '\(descr)', 'fortran_order': \(fortran ? "True" : "False"), 'shape': \(shapeText), }"
        let prefix = version == 1 ? 10 : 12
        while (prefix + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var out: [UInt8] = [0x93] + Array("NUMPY".utf8) + [version, 0]
        let length = header.utf8.count
        if version == 1 {
            out += [UInt8(length & 0xFF), UInt8(length >> 8)]
        } else {
            out += [UInt8(length & 0xFF), UInt8((length >> 8) & 0xFF), 0, 0]
        }
        return out + Array(header.utf8) + payload
    }

    static func npy(_ values: [Float], shape: [Int], version: UInt8 = 1) -> [UInt8] {
        npy(descr: "<f4", shape: shape, payload: bytes(of: values), version: version)
    }

    static func npy(float64 values: [Double], shape: [Int]) -> [UInt8] {
        npy(descr: "<f8", shape: shape, payload: values.withUnsafeBytes { Array($0) })
    }

    static func bytes(of values: [Float]) -> [UInt8] {
        values.withUnsafeBytes { Array($0) }
    }

    /// A `.npz` at `url` holding `entries` (name without `.npy` → npy bytes).
    static func npz(_ entries: [(String, [UInt8])], at url: URL, compression: CompressionMethod = .none) throws {
        try? FileManager.default.removeItem(at: url)
        let archive = try Archive(url: url, accessMode: .create)
        for (name, bytes) in entries {
            let data = Data(bytes)
            try archive.addEntry(with: name + ".npy", type: .file, uncompressedSize: Int64(data.count),
                                 compressionMethod: compression) { position, size in
                data.subdata(in: Int(position)..<(Int(position) + size))
            }
        }
    }

    /// A distinct, recognisable style table: value = voice · 1000 + row + column / 1000.
    static func table(voice: Int, rows: Int) -> [Float] {
        (0..<(rows * 256)).map { Float(voice * 1000 + $0 / 256) + Float($0 % 256) / 1000 }
    }
}
