import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One open connection to the daemon: request lines out, reply lines in.
public final class DaemonConnection {
    private let fd: Int32
    private let reader: LineReader

    init(fd: Int32) {
        self.fd = fd
        reader = LineReader(fd: fd, limit: DaemonProtocol.maxLineBytes)
    }

    deinit { close(fd) }

    public func send(_ request: DaemonRequest) throws {
        guard UnixSocket.send(fd, try LineCodec.line(request)) else {
            throw DaemonError.socket("the daemon closed the connection before the request was sent")
        }
    }

    /// The next reply, or nil when the daemon closed the connection first.
    public func reply() throws -> DaemonReply? {
        let line: [UInt8]?
        do {
            line = try reader.next()
        } catch .tooLong {
            throw DaemonError.lineTooLong(limit: DaemonProtocol.maxLineBytes)
        } catch {
            throw DaemonError.socket("no answer from the daemon within \(DaemonClient.replyTimeoutSeconds) s")
        }
        return try line.map(LineCodec.reply(from:))
    }

    /// Stop waiting for a reply after this long (0: wait for ever, for `say --wait`).
    public func setReplyTimeout(seconds: Int) { UnixSocket.setReadTimeout(fd, seconds: seconds) }
}

/// The client side: finds the user's daemon, starts it when asked to, sends requests.
public struct DaemonClient: Sendable {
    /// A reply to anything but `say` is due within this many seconds.
    public static let replyTimeoutSeconds = 15

    public var paths: DaemonPaths

    public init(paths: DaemonPaths = .current()) { self.paths = paths }

    /// A connection to the running daemon, or nil when none runs.
    public func connect() throws -> DaemonConnection? {
        do {
            return DaemonConnection(fd: try UnixSocket.connect(path: paths.socket))
        } catch .nobodyListening {
            return nil
        } catch .failed(let why) {
            throw DaemonError.socket(why)
        }
    }

    /// Sends one request and returns its reply; nil when no daemon runs.
    public func send(_ request: DaemonRequest) throws -> DaemonReply? {
        guard let connection = try connect() else { return nil }
        connection.setReplyTimeout(seconds: Self.replyTimeoutSeconds)
        try connection.send(request)
        guard let reply = try connection.reply() else {
            throw DaemonError.socket("the daemon closed the connection without an answer")
        }
        return reply
    }

    /// A connection to the daemon, starting one (`executable daemon`, detached) when none runs.
    public func connectOrLaunch(executable: String, timeout: Double = 20) throws -> DaemonConnection {
        if let connection = try connect() { return connection }
        let launcher = try DaemonLauncher(executable: executable, log: paths.log)
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(timeout * 1e9)
        var child = try launcher.spawn()
        var spawns = 1
        while DispatchTime.now().uptimeNanoseconds < deadline {
            if let connection = try connect() { return connection }
            if let status = DaemonLauncher.exitStatus(of: child) {
                // 0: another daemon held the lock; it may have been exiting, so start again.
                guard status == 0 else {
                    throw DaemonError.launchFailed("it exited with status \(status); \(launcher.logTail())")
                }
                guard spawns < 5 else { break }
                usleep(50_000)
                if try connect() == nil {
                    child = try launcher.spawn()
                    spawns += 1
                }
            }
            usleep(5_000)
        }
        throw DaemonError.launchFailed("no socket at \(paths.socket) after \(Int(timeout)) s; \(launcher.logTail())")
    }

    /// Sends `request` to the daemon (starting one when none runs) and returns the connection
    /// with the daemon's first reply. A daemon that goes away between connect and reply (it
    /// was exiting, idle or killed, as we connected) is replaced: up to `attempts` tries.
    public func deliver(_ request: DaemonRequest, executable: String, attempts: Int = 3) throws
        -> (connection: DaemonConnection, reply: DaemonReply) {
        var lastProblem = ""
        for attempt in 0..<max(1, attempts) {
            if attempt > 0 { usleep(UInt32(100_000 * attempt)) }
            let connection = try connectOrLaunch(executable: executable)
            do {
                try connection.send(request)
            } catch DaemonError.socket(let why) {
                lastProblem = why
                continue
            }
            if let reply = try connection.reply() { return (connection, reply) }
            lastProblem = "the daemon closed the connection without an answer"
        }
        let log = (try? DaemonLauncher(executable: executable, log: paths.log))?.logTail() ?? "log \(paths.log)"
        throw DaemonError.socket("\(lastProblem) (\(max(1, attempts)) tries); \(log)")
    }
}

extension DaemonClient {
    /// Whether a daemon process holds this user's lock (it may be starting or exiting).
    public var daemonHoldsLock: Bool {
        guard FileManager.default.fileExists(atPath: paths.lock) else { return false }
        guard let probe = try? InstanceLock(path: paths.lock, recordsPID: false) else { return true }
        _ = probe  // we got the lock: nobody holds it; released as `probe` goes
        return false
    }
}
