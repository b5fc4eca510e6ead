import Foundation
import KoeCompute

extension VoicePack {
    /// Loads and merges several voice files (see `init(contentsOf:)`), in order: a voice in
    /// a later file replaces one of the same name from an earlier file. No files, no voices.
    public static func load(_ files: [URL]) throws -> VoicePack {
        var pack = VoicePack(validated: [:])
        for url in files { pack = pack.merging(try VoicePack(contentsOf: url)) }
        return pack
    }

    /// Loads voices from one file, recognised by its content rather than its extension:
    /// * an `.npz` archive of voices (`voices_ja.npz`, or `voices-v1.0.bin`, which is one too),
    ///   each entry `[rows, 1, 256]`, `[rows, 256]` or `[256]`;
    /// * a single-voice `.npy` of the same shapes, named after the file's stem;
    /// * a single-voice raw float32 little-endian file (`af_heart.bin`): any whole number of
    ///   256-value rows, named after the file's stem.
    ///
    /// float64 arrays are converted to float32.
    ///
    /// - Throws: `KokoroModelError` for an unreadable file or an array of another shape or dtype.
    public init(contentsOf url: URL) throws {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw KokoroModelError.unreadableFile(path: url.path, reason: "no such file")
        }
        let stem = url.deletingPathExtension().lastPathComponent
        if NPZ.isArchive(url) {
            var tables: [String: Tensor] = [:]
            for (name, array) in try NPZ.read(url) {
                tables[name] = try Self.styleTable(array, voice: name, path: url.path)
            }
            guard !tables.isEmpty else {
                throw KokoroModelError.invalidVoiceFile(path: url.path, reason: "the archive holds no float arrays")
            }
            try self.init(voices: tables)
            return
        }
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw KokoroModelError.unreadableFile(path: url.path, reason: error.localizedDescription)
        }
        if data.starts(with: NPYArray.magic) {
            let array: NPYArray
            do {
                array = try NPYArray(npy: data, name: url.lastPathComponent)
            } catch let error as NPYArray.UnsupportedDType {
                throw KokoroModelError.invalidVoiceFile(path: url.path, reason: "dtype '\(error.descr)', expected '<f4' or '<f8'")
            }
            try self.init(voices: [stem: try Self.styleTable(array, voice: stem, path: url.path)])
            return
        }
        try self.init(voices: [stem: try Self.rawStyleTable(data, path: url.path)])
    }

    /// Writes `table` as a single-voice NumPy file (`float32`, shape `[rows, 1, 256]`, the
    /// layout of Kokoro's voice files); `VoicePack(contentsOf:)` loads it under the file's stem.
    public static func write(_ table: Tensor, to url: URL) throws {
        precondition(table.rank == 2 && table.shape[1] == styleWidth, "style table must be [rows, 256]")
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(table.shape[0]), 1, \(table.shape[1])), }"
        // Magic (6) + version (2) + length (2) + header, padded with spaces to a multiple of 64, ending in \n.
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var bytes: [UInt8] = NPYArray.magic + [1, 0]
        let length = UInt16(header.utf8.count)
        bytes += [UInt8(length & 0xFF), UInt8(length >> 8)]
        bytes += Array(header.utf8)
        bytes.reserveCapacity(bytes.count + table.count * 4)
        for v in table.data {
            let bits = v.bitPattern.littleEndian
            bytes += [UInt8(bits & 0xFF), UInt8((bits >> 8) & 0xFF), UInt8((bits >> 16) & 0xFF), UInt8(bits >> 24)]
        }
        try Data(bytes).write(to: url, options: .atomic)
    }

    /// A `[rows, 256]` table from an array of shape `[rows, 1, 256]`, `[rows, 256]` or `[256]`.
    static func styleTable(_ array: NPYArray, voice: String, path: String) throws -> Tensor {
        let w = styleWidth
        guard array.isFloatingPoint else {
            throw KokoroModelError.invalidVoiceFile(path: path, reason: "voice '\(voice)' holds integers, expected float32 or float64")
        }
        let rows: Int
        switch array.shape.count {
        case 3 where array.shape[1] == 1 && array.shape[2] == w: rows = array.shape[0]
        case 2 where array.shape[1] == w: rows = array.shape[0]
        case 1 where array.shape[0] == w: rows = 1
        default: rows = 0
        }
        guard rows >= 1 else {
            throw KokoroModelError.invalidVoiceFile(
                path: path, reason: "voice '\(voice)' has shape \(array.shape), expected [rows, 1, \(w)], [rows, \(w)] or [\(w)]")
        }
        return Tensor(shape: [rows, w], data: array.floats)
    }

    /// A `[rows, 256]` table from raw little-endian float32 values.
    static func rawStyleTable(_ data: Data, path: String) throws -> Tensor {
        let rowBytes = styleWidth * MemoryLayout<Float>.size
        guard !data.isEmpty, data.count % rowBytes == 0 else {
            throw KokoroModelError.invalidVoiceFile(
                path: path,
                reason: "not an .npz (no ZIP signature) nor an .npy (no NUMPY magic), and as raw float32 its \(data.count) bytes"
                    + " are not a non-zero multiple of \(rowBytes) (rows of \(styleWidth) floats)")
        }
        let count = data.count / MemoryLayout<Float>.size
        let values = [Float](unsafeUninitializedCapacity: count) { out, initialized in
            data.withUnsafeBytes { src in
                for i in 0..<count {
                    out[i] = Float(bitPattern: UInt32(littleEndian: src.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
                }
            }
            initialized = count
        }
        return Tensor(shape: [count / styleWidth, styleWidth], data: values)
    }
}
