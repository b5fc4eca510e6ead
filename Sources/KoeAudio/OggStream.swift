import COpus

/// One logical Ogg bitstream (libogg): packets in, pages out.
final class OggStream {
    /// Owned libogg state; cleared and freed in deinit.
    private let state: UnsafeMutablePointer<ogg_stream_state>
    private var packetNumber: Int64 = 0

    init(serialNumber: Int32) throws {
        state = .allocate(capacity: 1)
        let status = ogg_stream_init(state, serialNumber)
        if status != 0 {
            state.deallocate()
            throw AudioEncoderError.encoderInitFailed(
                library: "libogg", code: Int(status), message: "ogg_stream_init failed")
        }
    }

    deinit {
        ogg_stream_clear(state)
        state.deallocate()
    }

    /// Queues a packet; `granulePosition` is the position at its end (-1: none ends on it).
    func append(_ packet: [UInt8], granulePosition: Int64, isFirst: Bool = false, isLast: Bool = false) throws {
        var data = packet
        let status = data.withUnsafeMutableBufferPointer { buffer in
            var op = ogg_packet(
                packet: buffer.baseAddress, bytes: buffer.count, b_o_s: isFirst ? 1 : 0, e_o_s: isLast ? 1 : 0,
                granulepos: granulePosition, packetno: packetNumber)
            // Safety: libogg copies `buffer.count` bytes during the call and keeps no pointer.
            return ogg_stream_packetin(state, &op)
        }
        if status != 0 {
            throw AudioEncoderError.encodingFailed(
                library: "libogg", code: Int(status), message: "ogg_stream_packetin failed")
        }
        packetNumber += 1
    }

    /// Ends the current page even if it is not full and returns every queued page.
    ///
    /// A streaming server flushes after each chunk so listeners get audio without
    /// waiting for a 4 KiB page to fill.
    func flush() -> [UInt8] {
        var out: [UInt8] = []
        var page = ogg_page()
        while ogg_stream_flush(state, &page) != 0 {
            // Safety: the page points into libogg's buffers, valid until the next call on `state`.
            out.append(contentsOf: UnsafeBufferPointer(start: page.header, count: page.header_len))
            out.append(contentsOf: UnsafeBufferPointer(start: page.body, count: page.body_len))
        }
        return out
    }
}
