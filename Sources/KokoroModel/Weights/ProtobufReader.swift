/// A failure of the protobuf wire-format decoder: the byte offset and what was wrong there.
struct ProtobufError: Error, Sendable {
    let offset: Int
    let reason: String
}

/// Protobuf wire types (groups, 3 and 4, are deprecated and never used by ONNX).
enum WireType: UInt8, Sendable {
    case varint = 0
    case fixed64 = 1
    case lengthDelimited = 2
    case fixed32 = 5
}

/// A bounds-checked cursor over the bytes of one protobuf message.
///
/// Offsets are absolute positions in the whole file, so nested messages and `raw_data`
/// payloads can be described by ranges into the same buffer without copying. Every read
/// checks the remaining length first: malformed input throws, it never traps.
///
/// The buffer must outlive the reader; readers are only used inside a `withUnsafeBytes`
/// scope of the file's bytes.
struct ProtobufReader {
    let bytes: UnsafeRawBufferPointer
    private(set) var position: Int
    let end: Int

    init(bytes: UnsafeRawBufferPointer, range: Range<Int>) {
        self.bytes = bytes
        self.position = range.lowerBound
        self.end = range.upperBound
    }

    var isAtEnd: Bool { position >= end }

    private func fail(_ reason: String) -> ProtobufError { ProtobufError(offset: position, reason: reason) }

    mutating func readVarint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        for index in 0..<10 {
            guard position < end else { throw fail("varint runs past the end of the message") }
            let byte = bytes[position]
            position += 1
            if index == 9 && byte > 1 { throw fail("varint longer than 64 bits") }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
        throw fail("varint longer than 10 bytes")
    }

    /// The next field's number and wire type.
    mutating func readTag() throws -> (field: Int, wire: WireType) {
        let start = position
        let key = try readVarint()
        let field = key >> 3
        guard field > 0, field <= 536_870_911 else {
            throw ProtobufError(offset: start, reason: "invalid field number \(field)")
        }
        guard let wire = WireType(rawValue: UInt8(key & 7)) else {
            throw ProtobufError(offset: start, reason: "unsupported wire type \(key & 7) for field \(field)")
        }
        return (Int(field), wire)
    }

    /// The byte range of a length-delimited payload, which the cursor then skips.
    mutating func readLengthDelimited() throws -> Range<Int> {
        let length = try readVarint()
        guard length <= UInt64(end - position) else {
            throw fail("length \(length) exceeds the \(end - position) bytes left (truncated file?)")
        }
        let range = position..<(position + Int(length))
        position = range.upperBound
        return range
    }

    mutating func readFixed32() throws -> UInt32 {
        guard end - position >= 4 else { throw fail("fixed32 runs past the end of the message") }
        let value = bytes.loadUnaligned(fromByteOffset: position, as: UInt32.self)
        position += 4
        return UInt32(littleEndian: value)
    }

    mutating func readFixed64() throws -> UInt64 {
        guard end - position >= 8 else { throw fail("fixed64 runs past the end of the message") }
        let value = bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self)
        position += 8
        return UInt64(littleEndian: value)
    }

    /// Skips the payload of a field this decoder does not need.
    mutating func skip(_ wire: WireType) throws {
        switch wire {
        case .varint: _ = try readVarint()
        case .fixed64: _ = try readFixed64()
        case .fixed32: _ = try readFixed32()
        case .lengthDelimited: _ = try readLengthDelimited()
        }
    }

    /// A reader over a nested message.
    func reader(over range: Range<Int>) -> ProtobufReader {
        ProtobufReader(bytes: bytes, range: range)
    }

    mutating func readString() throws -> String {
        let range = try readLengthDelimited()
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    mutating func readBytes() throws -> [UInt8] {
        Array(UnsafeRawBufferPointer(rebasing: bytes[try readLengthDelimited()]))
    }

    /// A varint field, as a two's-complement `Int64` (protobuf `int32`/`int64`).
    mutating func readInt64(_ wire: WireType) throws -> Int64 {
        guard wire == .varint else { throw fail("expected a varint, got wire type \(wire.rawValue)") }
        return Int64(bitPattern: try readVarint())
    }

    /// One element of a repeated varint field, or all of them when the field is packed.
    mutating func appendVarints(_ wire: WireType, to values: inout [Int64]) throws {
        switch wire {
        case .varint:
            values.append(Int64(bitPattern: try readVarint()))
        case .lengthDelimited:
            var packed = reader(over: try readLengthDelimited())
            while !packed.isAtEnd { values.append(Int64(bitPattern: try packed.readVarint())) }
        default:
            throw fail("repeated varint field with wire type \(wire.rawValue)")
        }
    }

    /// One element of a repeated `float` field, or all of them when the field is packed.
    mutating func appendFloats(_ wire: WireType, to values: inout [Float]) throws {
        switch wire {
        case .fixed32:
            values.append(Float(bitPattern: try readFixed32()))
        case .lengthDelimited:
            let range = try readLengthDelimited()
            guard range.count % 4 == 0 else { throw fail("packed float field of \(range.count) bytes") }
            values.reserveCapacity(values.count + range.count / 4)
            for offset in stride(from: range.lowerBound, to: range.upperBound, by: 4) {
                values.append(Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))))
            }
        default:
            throw fail("repeated float field with wire type \(wire.rawValue)")
        }
    }

    /// One element of a repeated `double` field, or all of them when the field is packed.
    mutating func appendDoubles(_ wire: WireType, to values: inout [Double]) throws {
        switch wire {
        case .fixed64:
            values.append(Double(bitPattern: try readFixed64()))
        case .lengthDelimited:
            let range = try readLengthDelimited()
            guard range.count % 8 == 0 else { throw fail("packed double field of \(range.count) bytes") }
            values.reserveCapacity(values.count + range.count / 8)
            for offset in stride(from: range.lowerBound, to: range.upperBound, by: 8) {
                values.append(Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))))
            }
        default:
            throw fail("repeated double field with wire type \(wire.rawValue)")
        }
    }
}
