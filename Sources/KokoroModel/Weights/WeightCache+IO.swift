import Foundation
import KoeCompute
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension WeightCache {
    /// Writes `store` to `url` atomically: a temporary file in the same folder, renamed over
    /// the destination, so readers never see a partial cache.
    static func write(_ store: WeightStore, source: SourceKey, to url: URL) throws {
        let names = store.names
        var index = [UInt8]()
        var offsets: [Int] = []
        var dataSize = 0
        for name in names {
            guard let t = store[name] else { continue }
            appendInteger(UInt32(name.utf8.count), to: &index)
            index.append(contentsOf: name.utf8)
            appendInteger(UInt32(t.rank), to: &index)
            for d in t.shape { appendInteger(UInt64(d), to: &index) }
            appendInteger(UInt64(dataSize), to: &index)
            appendInteger(UInt64(t.count), to: &index)
            offsets.append(dataSize)
            dataSize = alignUp(dataSize + t.count * 4)
        }
        let dataOffset = alignUp(headerSize + index.count)
        var file = Data(count: dataOffset + dataSize)
        file.withUnsafeMutableBytes { out in
            out.copyBytes(from: magic)
            out.storeBytes(of: version.littleEndian, toByteOffset: 8, as: UInt32.self)
            out.storeBytes(of: UInt32(names.count).littleEndian, toByteOffset: 12, as: UInt32.self)
            out.storeBytes(of: source.size.littleEndian, toByteOffset: 16, as: UInt64.self)
            out.storeBytes(of: source.modificationTime.bitPattern.littleEndian, toByteOffset: 24, as: UInt64.self)
            out.storeBytes(of: UInt64(index.count).littleEndian, toByteOffset: 32, as: UInt64.self)
            out.storeBytes(of: UInt64(dataOffset).littleEndian, toByteOffset: 40, as: UInt64.self)
            out.storeBytes(of: UInt64(dataSize).littleEndian, toByteOffset: 48, as: UInt64.self)
            UnsafeMutableRawBufferPointer(rebasing: out[headerSize..<(headerSize + index.count)]).copyBytes(from: index)
            for (name, offset) in zip(names, offsets) {
                guard let t = store[name] else { continue }
                t.data.withUnsafeBytes { src in
                    UnsafeMutableRawBufferPointer(rebasing: out[(dataOffset + offset)...]).copyMemory(from: src)
                }
            }
            let sum = combinedChecksum(UnsafeRawBufferPointer(out), indexSize: index.count, dataOffset: dataOffset)
            out.storeBytes(of: sum.littleEndian, toByteOffset: 56, as: UInt64.self)
        }
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max)).tmp")
        do {
            try file.write(to: temporary)
            guard rename(temporary.path, url.path) == 0 else {
                throw Invalid("cannot rename \(temporary.path) to \(url.path): \(String(cString: strerror(errno)))")
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }

    /// Reads a cache written by `write`, checking every bound and the checksum, and that it
    /// was built from a model with key `source`.
    static func read(_ url: URL, source: SourceKey) throws -> WeightStore {
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw Invalid("cannot read it: \(error.localizedDescription)")
        }
        return try data.withUnsafeBytes { bytes in
            guard bytes.count >= headerSize, Array(bytes[0..<8]) == magic else { throw Invalid("bad magic or too short") }
            func u64(_ o: Int) -> UInt64 { UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: o, as: UInt64.self)) }
            func u32(_ o: Int) -> UInt32 { UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: o, as: UInt32.self)) }
            guard u32(8) == version else { throw Invalid("format version \(u32(8)), expected \(version)") }
            let found = SourceKey(size: u64(16), modificationTime: Double(bitPattern: u64(24)))
            guard found == source else { throw Invalid("built from another model file (\(found), now \(source))") }
            let (indexSize, dataOffset, dataSize) = (u64(32), u64(40), u64(48))
            guard indexSize <= UInt64(bytes.count), dataOffset <= UInt64(bytes.count), dataSize <= UInt64(bytes.count),
                  Int(dataOffset) == alignUp(headerSize + Int(indexSize)), Int(dataOffset) + Int(dataSize) == bytes.count
            else { throw Invalid("sizes in the header do not match the file's \(bytes.count) bytes (truncated?)") }
            // The data is read once here, through the mapping: its pages are dropped as the sum
            // passes them, so checking a cache never holds the whole file resident.
            let sum = combinedChecksum(bytes, indexSize: Int(indexSize), dataOffset: Int(dataOffset), releasingPages: true)
            guard sum == u64(56) else { throw Invalid("checksum mismatch (corrupted)") }
            var reader = CacheIndexReader(bytes: bytes, position: headerSize, end: headerSize + Int(indexSize))
            var entries: [String: MappedWeightFile.Entry] = [:]
            for _ in 0..<u32(12) {
                let entry = try reader.next()
                let start = Int(dataOffset) + entry.offset
                guard entry.offset % alignment == 0, entry.count <= (bytes.count - start) / 4 else {
                    throw Invalid("tensor '\(entry.name)' lies outside the data section")
                }
                entries[entry.name] = .init(shape: entry.shape, start: start, count: entry.count)
            }
            return WeightStore(mapped: MappedWeightFile(data: data, entries: entries))
        }
    }

    /// `releasingPages` only for a read-only file mapping: on anonymous memory (a cache being
    /// written) dropping pages would zero them.
    private static func combinedChecksum(_ bytes: UnsafeRawBufferPointer, indexSize: Int, dataOffset: Int,
                                         releasingPages: Bool = false) -> UInt64 {
        // The header up to the checksum field, the index, and the data.
        let header = checksum(UnsafeRawBufferPointer(rebasing: bytes[0..<56]))
        let index = checksum(UnsafeRawBufferPointer(rebasing: bytes[headerSize..<(headerSize + indexSize)]))
        let data = checksum(UnsafeRawBufferPointer(rebasing: bytes[dataOffset...]), releasingPages: releasingPages)
        return (header &* 0xC2B2_AE3D_27D4_EB4F ^ index) &* 0x9E37_79B1_85EB_CA87 ^ data
    }

    private static func appendInteger<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }
}

/// Bounds-checked reader of the cache index.
private struct CacheIndexReader {
    let bytes: UnsafeRawBufferPointer
    var position: Int
    let end: Int

    private mutating func integer<T: FixedWidthInteger>(_: T.Type) throws -> T {
        guard end - position >= MemoryLayout<T>.size else { throw WeightCache.Invalid("index truncated") }
        defer { position += MemoryLayout<T>.size }
        return T(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: T.self))
    }

    mutating func next() throws -> (name: String, shape: [Int], offset: Int, count: Int) {
        let nameLength = Int(try integer(UInt32.self))
        guard end - position >= nameLength else { throw WeightCache.Invalid("index truncated") }
        let name = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[position..<(position + nameLength)]), as: UTF8.self)
        position += nameLength
        let rank = Int(try integer(UInt32.self))
        guard rank <= 8 else { throw WeightCache.Invalid("tensor '\(name)' has rank \(rank)") }
        var shape: [Int] = []
        var count = 1
        for _ in 0..<rank {
            let d = try integer(UInt64.self)
            guard d <= UInt64(Int32.max) else { throw WeightCache.Invalid("tensor '\(name)' has dimension \(d)") }
            shape.append(Int(d))
            let (product, overflow) = count.multipliedReportingOverflow(by: Int(d))
            guard !overflow else { throw WeightCache.Invalid("tensor '\(name)' has shape overflowing Int") }
            count = product
        }
        let offset = try integer(UInt64.self), stored = try integer(UInt64.self)
        guard offset <= UInt64(Int32.max) * 16, stored == UInt64(count) else {
            throw WeightCache.Invalid("tensor '\(name)': \(stored) values for shape \(shape)")
        }
        return (name, shape, Int(offset), count)
    }
}
