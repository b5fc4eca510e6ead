import Foundation
import KoeCompute

/// The converted weights on disk, so that later launches skip parsing and de-quantising.
///
/// Layout (little endian):
/// ```
/// 0   magic "KOEWCACH"             32  index byte count (UInt64)
/// 8   format version (UInt32)      40  data offset, a multiple of 64 (UInt64)
/// 12  tensor count (UInt32)        48  data byte count (UInt64)
/// 16  source model size (UInt64)   56  checksum of bytes 0..<56, index and data (UInt64)
/// 24  source model mtime (Float64 bits)
/// 64  index: per tensor  name length (UInt32), UTF-8 name, rank (UInt32),
///     dims (UInt64 × rank), offset from the data start (UInt64), float count (UInt64)
/// data offset: float32 values, every tensor starting on a 64-byte boundary
/// ```
/// Anything inconsistent (size, bounds, checksum, source key) makes `read` throw, and the
/// caller rebuilds the file from the model.
enum WeightCache {
    static let magic = Array("KOEWCACH".utf8)
    static let version: UInt32 = 1
    static let headerSize = 64
    static let alignment = 64

    /// Identifies the model file a cache was built from: a changed model invalidates it.
    struct SourceKey: Equatable, Sendable {
        var size: UInt64
        var modificationTime: Double

        init(size: UInt64, modificationTime: Double) {
            self.size = size
            self.modificationTime = modificationTime
        }

        init(of url: URL) throws {
            do {
                let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
                size = (attributes[.size] as? NSNumber)?.uint64Value ?? 0
                modificationTime = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            } catch {
                throw KokoroModelError.unreadableFile(path: url.path, reason: error.localizedDescription)
            }
        }
    }

    /// Why a cache file was not trusted (or could not be written).
    struct Invalid: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// The cache file used for `model` inside `directory`: the model's name plus a hash of its
    /// full path, so that two models never share (and keep invalidating) one file.
    static func url(for model: URL, in directory: URL) -> URL {
        let path = model.standardizedFileURL.path
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in path.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let stem = model.deletingPathExtension().lastPathComponent
        let tag = String(hash & 0xffff_ffff, radix: 16)
        return directory.appendingPathComponent("\(stem)-\(tag).koeweights")
    }

    /// 32-byte blocks summed between two page releases (4 MiB).
    private static let releaseBlocks = 131_072

    static func alignUp(_ n: Int) -> Int { (n + alignment - 1) / alignment * alignment }

    /// A 64-bit checksum of `bytes` (four interleaved xxHash64-style lanes): catches
    /// truncation and bit rot at memory speed.
    ///
    /// With `releasingPages` (a read-only file mapping), pages already summed are dropped from
    /// the resident set every few megabytes.
    static func checksum(_ bytes: UnsafeRawBufferPointer, releasingPages: Bool = false) -> UInt64 {
        let p1: UInt64 = 0x9E37_79B1_85EB_CA87, p2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
        var lanes: (UInt64, UInt64, UInt64, UInt64) = (p1 &+ p2, p2, 0, 0 &- p1)
        @inline(__always) func round(_ acc: UInt64, _ word: UInt64) -> UInt64 {
            let mixed = acc &+ word &* p2
            return ((mixed << 31) | (mixed >> 33)) &* p1
        }
        let blocks = bytes.count / 32
        for b in 0..<blocks {
            let o = b * 32
            lanes.0 = round(lanes.0, bytes.loadUnaligned(fromByteOffset: o, as: UInt64.self))
            lanes.1 = round(lanes.1, bytes.loadUnaligned(fromByteOffset: o + 8, as: UInt64.self))
            lanes.2 = round(lanes.2, bytes.loadUnaligned(fromByteOffset: o + 16, as: UInt64.self))
            lanes.3 = round(lanes.3, bytes.loadUnaligned(fromByteOffset: o + 24, as: UInt64.self))
            if releasingPages && (b + 1) % releaseBlocks == 0 {
                MemoryAdvice.releaseMappedPages(UnsafeRawBufferPointer(rebasing: bytes[(o + 32 - releaseBlocks * 32)..<(o + 32)]))
            }
        }
        if releasingPages { MemoryAdvice.releaseMappedPages(bytes) }
        var hash = lanes.0 ^ (lanes.1 &* 3) ^ (lanes.2 &* 5) ^ (lanes.3 &* 7) ^ UInt64(bytes.count)
        for i in (blocks * 32)..<bytes.count { hash = round(hash, UInt64(bytes[i])) }
        return hash
    }
}
