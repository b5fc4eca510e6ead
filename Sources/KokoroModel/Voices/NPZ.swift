import Foundation
import ZIPFoundation

/// NumPy `.npz` archives: a ZIP (stored or deflated, ZIP64 as numpy writes them) of `.npy`
/// entries. Recognised by the ZIP signature, whatever the file's extension
/// (`voices-v1.0.bin` is one).
package enum NPZ {
    /// True when the file starts with a ZIP local-file or empty-archive signature.
    package static func isArchive(_ url: URL) -> Bool {
        guard let prefix = try? leadingBytes(of: url, count: 4), prefix.count == 4 else { return false }
        return prefix[0] == 0x50 && prefix[1] == 0x4B && ((prefix[2] == 3 && prefix[3] == 4) || (prefix[2] == 5 && prefix[3] == 6))
    }

    /// Every array of the archive by name (the entry path without `.npy`). Entries whose
    /// dtype this reader does not decode (strings such as `'<U6698'`, objects) are skipped.
    ///
    /// - Parameters:
    ///   - names: only these arrays (all when nil).
    ///   - verifyChecksums: check each entry's CRC-32 (slower for large archives).
    package static func read(_ url: URL, names: Set<String>? = nil, verifyChecksums: Bool = true) throws -> [String: NPYArray] {
        let archive: Archive
        do {
            archive = try Archive(url: url, accessMode: .read)
        } catch {
            throw KokoroModelError.invalidNPY(name: url.lastPathComponent, reason: "not a readable ZIP archive (\(error))")
        }
        var arrays: [String: NPYArray] = [:]
        for entry in archive where entry.type == .file {
            let name = entry.path.hasSuffix(".npy") ? String(entry.path.dropLast(4)) : entry.path
            if let names, !names.contains(name) { continue }
            var data = Data()
            data.reserveCapacity(Int(clamping: entry.uncompressedSize))
            do {
                _ = try archive.extract(entry, skipCRC32: !verifyChecksums) { data.append($0) }
            } catch {
                throw KokoroModelError.invalidNPY(name: "\(url.lastPathComponent):\(entry.path)", reason: "cannot extract it (\(error))")
            }
            do {
                arrays[name] = try NPYArray(npy: data, name: "\(url.lastPathComponent):\(entry.path)")
            } catch is NPYArray.UnsupportedDType {
                continue
            }
        }
        return arrays
    }

    static func leadingBytes(of url: URL, count: Int) throws -> [UInt8] {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        return [UInt8](try handle.read(upToCount: count) ?? Data())
    }
}
