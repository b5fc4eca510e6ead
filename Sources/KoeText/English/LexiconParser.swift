/// One lexicon value: plain phonemes, or phonemes per part of speech (heteronyms).
enum LexiconEntry: Sendable, Equatable {
    case phonemes(String)
    /// Keys are `DEFAULT` (always present), `NOUN`, `VERB`, `ADJ`, `ADV`, Penn tags such as
    /// `VBD`, or `None` (phrase-final form). A nil value means "no pronunciation for this tag".
    case tagged([String: String?])
}

/// A parser for misaki's lexicon files: a single JSON object whose values are strings,
/// null, or objects of strings/null. Reading the bytes directly is several times faster
/// than building `Any` trees with JSONSerialization, and the CLI and server start often.
struct LexiconParser {
    struct Failure: Error {
        var offset: Int
        var reason: String
    }

    private let bytes: [UInt8]
    private var index = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Parses the whole document; `null` top-level values are skipped.
    mutating func parseDocument() throws(Failure) -> [String: LexiconEntry] {
        var result: [String: LexiconEntry] = [:]
        result.reserveCapacity(bytes.count / 24)
        skipSpace()
        try expect(UInt8(ascii: "{"))
        skipSpace()
        if peek() == UInt8(ascii: "}") { index += 1; return result }
        while true {
            skipSpace()
            let key = try parseString()
            skipSpace()
            try expect(UInt8(ascii: ":"))
            skipSpace()
            switch peek() {
            case UInt8(ascii: "\""):
                result[key] = .phonemes(try parseString())
            case UInt8(ascii: "{"):
                result[key] = .tagged(try parseTagTable())
            case UInt8(ascii: "n"):
                try parseNull()
            default:
                throw Failure(offset: index, reason: "expected a string, an object or null for \"\(key)\"")
            }
            skipSpace()
            if peek() == UInt8(ascii: ",") { index += 1; continue }
            try expect(UInt8(ascii: "}"))
            return result
        }
    }

    private mutating func parseTagTable() throws(Failure) -> [String: String?] {
        try expect(UInt8(ascii: "{"))
        var table: [String: String?] = [:]
        skipSpace()
        if peek() == UInt8(ascii: "}") { index += 1; return table }
        while true {
            skipSpace()
            let tag = try parseString()
            skipSpace()
            try expect(UInt8(ascii: ":"))
            skipSpace()
            if peek() == UInt8(ascii: "n") {
                try parseNull()
                table[tag] = .some(nil)
            } else {
                table[tag] = .some(try parseString())
            }
            skipSpace()
            if peek() == UInt8(ascii: ",") { index += 1; continue }
            try expect(UInt8(ascii: "}"))
            return table
        }
    }

    private mutating func parseString() throws(Failure) -> String {
        try expect(UInt8(ascii: "\""))
        let start = index
        // Fast path: no escapes.
        while index < bytes.count {
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                let s = String(decoding: bytes[start..<index], as: UTF8.self)
                index += 1
                return s
            }
            if b == UInt8(ascii: "\\") { break }
            index += 1
        }
        var buffer = Array(bytes[start..<index])
        while index < bytes.count {
            let b = bytes[index]
            index += 1
            if b == UInt8(ascii: "\"") { return String(decoding: buffer, as: UTF8.self) }
            guard b == UInt8(ascii: "\\") else { buffer.append(b); continue }
            guard index < bytes.count else { break }
            let e = bytes[index]
            index += 1
            switch e {
            case UInt8(ascii: "n"): buffer.append(0x0A)
            case UInt8(ascii: "t"): buffer.append(0x09)
            case UInt8(ascii: "r"): buffer.append(0x0D)
            case UInt8(ascii: "b"): buffer.append(0x08)
            case UInt8(ascii: "f"): buffer.append(0x0C)
            case UInt8(ascii: "u"):
                var code = try parseHex4()
                if (0xD800..<0xDC00).contains(code), index + 1 < bytes.count,
                   bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                    index += 2
                    let low = try parseHex4()
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                }
                let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
                buffer.append(contentsOf: Array(String(scalar).utf8))
            default: buffer.append(e)
            }
        }
        throw Failure(offset: start, reason: "unterminated string")
    }

    private mutating func parseHex4() throws(Failure) -> UInt32 {
        guard index + 4 <= bytes.count else { throw Failure(offset: index, reason: "truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[index]
            index += 1
            let digit: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = b - UInt8(ascii: "A") + 10
            default: throw Failure(offset: index - 1, reason: "bad hex digit in \\u escape")
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    private mutating func parseNull() throws(Failure) {
        guard index + 4 <= bytes.count, bytes[index..<index + 4].elementsEqual("null".utf8) else {
            throw Failure(offset: index, reason: "expected null")
        }
        index += 4
    }

    private func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func expect(_ byte: UInt8) throws(Failure) {
        guard index < bytes.count, bytes[index] == byte else {
            throw Failure(offset: index, reason: "expected '\(Character(Unicode.Scalar(byte)))'")
        }
        index += 1
    }

    private mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }
}
