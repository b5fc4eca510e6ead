import Foundation
import KoeCompute

/// A NumPy array read from `.npy` bytes (format versions 1, 2 and 3, C order).
///
/// Floating-point arrays keep their precision; every integer and boolean dtype is widened
/// to `Int64`. Used for voice packs and, by tests, for the reference oracle dumps.
package struct NPYArray: Sendable, Equatable {
    package enum Values: Sendable, Equatable {
        case float32([Float])
        case float64([Double])
        case int64([Int64])
    }

    package var shape: [Int]
    package var values: Values

    package init(shape: [Int], values: Values) {
        self.shape = shape
        self.values = values
    }

    package var count: Int { shape.reduce(1, *) }

    /// The values as `Float` (float64 and integers converted).
    package var floats: [Float] {
        switch values {
        case .float32(let v): v
        case .float64(let v): v.map { Float($0) }
        case .int64(let v): v.map { Float($0) }
        }
    }

    /// The values as `Int` (floats truncated toward zero).
    package var ints: [Int] {
        switch values {
        case .float32(let v): v.map { Int($0) }
        case .float64(let v): v.map { Int($0) }
        case .int64(let v): v.map { Int($0) }
        }
    }

    /// A `Tensor` of the float values with the same shape (a 0-d array becomes shape `[]`).
    package var tensor: Tensor { Tensor(shape: shape, data: floats) }

    package var isFloatingPoint: Bool {
        if case .int64 = values { return false }
        return true
    }
}

extension NPYArray {
    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    /// The element type of an `.npy` header's `descr`.
    struct DType {
        enum Kind { case float, signed, unsigned, bool }
        let kind: Kind
        let size: Int
        let bigEndian: Bool

        /// `'<f4'`, `'|u1'`, `'>i8'`…; nil for kinds this reader does not decode (strings, objects).
        init?(_ descr: String) {
            let chars = Array(descr)
            guard chars.count >= 3, let size = Int(String(chars[2...])) else { return nil }
            switch chars[0] {
            case "<", "|", "=": bigEndian = false
            case ">": bigEndian = true
            default: return nil
            }
            switch (chars[1], size) {
            case ("f", 4), ("f", 8): kind = .float
            case ("i", 1), ("i", 2), ("i", 4), ("i", 8): kind = .signed
            case ("u", 1), ("u", 2), ("u", 4), ("u", 8): kind = .unsigned
            case ("b", 1): kind = .bool
            default: return nil
            }
            self.size = size
        }
    }

    /// The parsed header: dtype descriptor, shape, and where the data starts.
    struct Header {
        let descr: String
        let fortranOrder: Bool
        let shape: [Int]
        let dataOffset: Int
    }

    static func header(_ bytes: UnsafeRawBufferPointer, name: String) throws -> Header {
        func fail(_ reason: String) -> KokoroModelError { .invalidNPY(name: name, reason: reason) }
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else { throw fail("no \\x93NUMPY magic") }
        let major = bytes[6]
        let (length, start): (Int, Int)
        switch major {
        case 1: (length, start) = (Int(bytes[8]) | Int(bytes[9]) << 8, 10)
        case 2, 3:
            guard bytes.count >= 12 else { throw fail("header truncated") }
            (length, start) = (Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt32.self))), 12)
        default: throw fail("format version \(major) (supported: 1, 2, 3)")
        }
        guard length <= bytes.count - start else { throw fail("header of \(length) bytes runs past the end") }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<(start + length)]), as: UTF8.self)
        guard let descr = quotedValue(of: "descr", in: text) else { throw fail("header has no 'descr': \(text)") }
        let fortran = text.range(of: "'fortran_order': True") != nil
        guard let shapeText = tupleValue(of: "shape", in: text) else { throw fail("header has no 'shape': \(text)") }
        var shape: [Int] = []
        for part in shapeText.split(separator: ",") {
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            guard let d = Int(trimmed.hasSuffix("L") ? String(trimmed.dropLast()) : trimmed), d >= 0, d <= Int(Int32.max) else {
                throw fail("bad shape (\(shapeText))")
            }
            shape.append(d)
        }
        return Header(descr: descr, fortranOrder: fortran, shape: shape, dataOffset: start + length)
    }

    private static func quotedValue(of key: String, in text: String) -> String? {
        guard let k = text.range(of: "'\(key)'") else { return nil }
        let rest = text[k.upperBound...]
        guard let open = rest.firstIndex(where: { $0 == "'" || $0 == "\"" }) else { return nil }
        let quote = rest[open]
        let after = rest[rest.index(after: open)...]
        guard let close = after.firstIndex(of: quote) else { return nil }
        return String(after[..<close])
    }

    private static func tupleValue(of key: String, in text: String) -> String? {
        guard let k = text.range(of: "'\(key)'") else { return nil }
        let rest = text[k.upperBound...]
        guard let open = rest.firstIndex(of: "("), let close = rest[open...].firstIndex(of: ")") else { return nil }
        return String(rest[rest.index(after: open)..<close])
    }
}
