/// A minimal Ogg page reader for checking what the encoder wrote (RFC 3533).
struct OggPage {
    let headerType: UInt8
    let granulePosition: Int64
    let serialNumber: UInt32
    let sequenceNumber: UInt32
    let lacing: [UInt8]
    let body: [UInt8]

    var isFirst: Bool { headerType & 0x02 != 0 }
    var isLast: Bool { headerType & 0x04 != 0 }
    var continuesPacket: Bool { headerType & 0x01 != 0 }

    struct Malformed: Error, CustomStringConvertible {
        let offset: Int
        let reason: String
        var description: String { "malformed Ogg page at byte \(offset): \(reason)" }
    }

    static func pages(in bytes: [UInt8]) throws -> [OggPage] {
        func le(_ at: Int, _ count: Int) -> UInt64 {
            (0..<count).reduce(UInt64(0)) { $0 | UInt64(bytes[at + $1]) << (8 * UInt64($1)) }
        }
        var pages: [OggPage] = []
        var offset = 0
        while offset < bytes.count {
            guard offset + 27 <= bytes.count, bytes[offset..<offset + 4].elementsEqual("OggS".utf8) else {
                throw Malformed(offset: offset, reason: "no OggS capture pattern")
            }
            let segmentCount = Int(bytes[offset + 26])
            let lacing = Array(bytes[offset + 27..<offset + 27 + segmentCount])
            let bodyStart = offset + 27 + segmentCount
            let bodyLength = lacing.reduce(0) { $0 + Int($1) }
            guard bodyStart + bodyLength <= bytes.count else { throw Malformed(offset: offset, reason: "truncated") }
            pages.append(
                OggPage(
                    headerType: bytes[offset + 5], granulePosition: Int64(bitPattern: le(offset + 6, 8)),
                    serialNumber: UInt32(le(offset + 14, 4)), sequenceNumber: UInt32(le(offset + 18, 4)),
                    lacing: lacing, body: Array(bytes[bodyStart..<bodyStart + bodyLength])))
            offset = bodyStart + bodyLength
        }
        return pages
    }

    /// The packets carried by `pages`, joined across page boundaries.
    static func packets(in pages: [OggPage]) -> [[UInt8]] {
        var packets: [[UInt8]] = []
        var current: [UInt8] = []
        for page in pages {
            var start = 0
            for value in page.lacing {
                current += page.body[start..<start + Int(value)]
                start += Int(value)
                if value < 255 {
                    packets.append(current)
                    current = []
                }
            }
        }
        return packets
    }
}
