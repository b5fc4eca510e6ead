import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Splits a socket's bytes into `\n`-terminated lines, refusing a line longer than `limit`.
final class LineReader {
    enum Failure: Error { case tooLong, timedOut }

    private let fd: Int32
    private let limit: Int
    private var buffer: [UInt8] = []
    private var scanned = 0

    init(fd: Int32, limit: Int) {
        self.fd = fd
        self.limit = limit
    }

    /// The next line without its newline (a trailing `\r` dropped too); nil at end of stream.
    /// A last line without newline is returned as a line.
    func next() throws(Failure) -> [UInt8]? {
        while true {
            if let newline = buffer[scanned...].firstIndex(of: 0x0A) {
                var line = Array(buffer[..<newline])
                buffer.removeFirst(newline + 1)
                scanned = 0
                if line.last == 0x0D { line.removeLast() }
                return line
            }
            scanned = buffer.count
            if buffer.count > limit { throw .tooLong }
            guard let more = UnixSocket.receive(fd) else {
                if errno == EAGAIN || errno == EWOULDBLOCK { throw .timedOut }
                return nil  // reset by the peer: as good as closed
            }
            if more.isEmpty {
                guard !buffer.isEmpty else { return nil }
                defer { buffer.removeAll(); scanned = 0 }
                return buffer
            }
            buffer += more
        }
    }
}
