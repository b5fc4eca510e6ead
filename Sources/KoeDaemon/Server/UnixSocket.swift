import Foundation

#if canImport(Glibc)
import Glibc
private let streamType = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
private let sendFlags = Int32(MSG_NOSIGNAL)
#elseif canImport(Darwin)
import Darwin
private let streamType = SOCK_STREAM
private let sendFlags: Int32 = 0
#endif

/// The few POSIX socket calls the daemon and its client need, for Unix stream sockets.
enum UnixSocket {
    /// Why a connect failed: nothing listens there (no daemon), or something else.
    enum ConnectFailure: Error { case nobodyListening, failed(String) }

    static func errorText(_ what: String, _ code: Int32 = errno) -> String {
        "\(what): \(String(cString: strerror(code)))"
    }

    /// Fills a `sockaddr_un` for `path` (at most 107 bytes on Linux, 103 on macOS).
    private static func withAddress<T>(_ path: String, _ body: (UnsafePointer<sockaddr>, socklen_t) -> T) throws -> T {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else {
            throw DaemonError.socket("socket path \(path) is \(bytes.count) bytes; the limit is \(capacity - 1)")
        }
        // sun_path is a fixed C array inside `address`; copy the path and its NUL into it.
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
    }

    /// A listening socket at `path`, created with mode 0600 (the umask is set around bind, so
    /// there is no moment at which others could connect).
    static func listen(path: String) throws -> Int32 {
        let fd = socket(AF_UNIX, streamType, 0)
        guard fd >= 0 else { throw DaemonError.socket(errorText("cannot create a socket")) }
        let old = umask(0o177)
        let bound = try withAddress(path) { bind(fd, $0, $1) }
        let bindErrno = errno
        umask(old)
        guard bound == 0 else {
            close(fd)
            throw DaemonError.socket(errorText("cannot bind \(path)", bindErrno))
        }
        chmod(path, 0o600)
        guard posixListen(fd, 64) == 0 else {
            close(fd)
            throw DaemonError.socket(errorText("cannot listen on \(path)"))
        }
        return fd
    }

    /// Connects to `path`; `nobodyListening` when no file is there or no process accepts.
    static func connect(path: String) throws(ConnectFailure) -> Int32 {
        let fd = socket(AF_UNIX, streamType, 0)
        guard fd >= 0 else { throw .failed(errorText("cannot create a socket")) }
        let result: Int32
        do {
            result = try withAddress(path) { posixConnect(fd, $0, $1) }
        } catch {
            close(fd)
            throw .failed("\(error)")
        }
        if result == 0 { return fd }
        let code = errno
        close(fd)
        if code == ENOENT || code == ECONNREFUSED || code == ENOTSOCK { throw .nobodyListening }
        throw .failed(errorText("cannot connect to \(path)", code))
    }

    /// Waits for a connection; -1 on an error that leaves the listener usable.
    static func accept(_ listener: Int32) -> Int32 {
        let fd = posixAccept(listener, nil, nil)
        #if canImport(Darwin)
        if fd >= 0 { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        #endif
        return fd
    }

    /// Whether a client has connected to `listener` and waits to be accepted.
    static func hasPendingConnection(_ listener: Int32) -> Bool {
        var probe = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
        return poll(&probe, 1, 0) > 0 && probe.revents & Int16(POLLIN) != 0
    }

    /// Gives up on a read after `seconds` without data.
    static func setReadTimeout(_ fd: Int32, seconds: Int) {
        var tv = timeval(tv_sec: seconds, tv_usec: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Ends our direction of the connection (the peer reads end of stream after what was sent).
    static func closeWrite(_ fd: Int32) {
        #if canImport(Glibc)
        _ = shutdown(fd, Int32(SHUT_WR))
        #else
        _ = shutdown(fd, SHUT_WR)
        #endif
    }

    /// Writes all of `bytes`; false when the peer has gone.
    @discardableResult
    static func send(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                posixSend(fd, raw.baseAddress! + sent, bytes.count - sent, sendFlags)
            }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return false }
            sent += n
        }
        return true
    }

    /// Reads what is there (up to `max` bytes); empty at end of stream, nil on error or timeout.
    static func receive(_ fd: Int32, max: Int = 1 << 16) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: max)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, max, 0) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { return nil }
            return Array(buffer[0..<n])
        }
    }
}

// The C functions share their names with Swift methods in scope; these aliases keep calls plain.
private func posixListen(_ fd: Int32, _ backlog: Int32) -> Int32 { listen(fd, backlog) }
private func posixConnect(_ fd: Int32, _ a: UnsafePointer<sockaddr>, _ l: socklen_t) -> Int32 { connect(fd, a, l) }
private func posixAccept(_ fd: Int32, _ a: UnsafeMutablePointer<sockaddr>?, _ l: UnsafeMutablePointer<socklen_t>?) -> Int32 {
    accept(fd, a, l)
}
private func posixSend(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int, _ flags: Int32) -> Int { send(fd, p, n, flags) }
