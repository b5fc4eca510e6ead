import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where one user's daemon lives: `$XDG_RUNTIME_DIR/koe/` (mode 0700) when that is set and
/// ours, else `koe-<uid>/` under the temporary folder. The socket is `koe.sock`, the lock
/// `daemon.lock`; the log goes to `$XDG_STATE_HOME/koe/daemon.log` (`~/.local/state/koe/`).
public struct DaemonPaths: Sendable, Equatable {
    public var directory: String
    public var socket: String { directory + "/koe.sock" }
    public var lock: String { directory + "/daemon.lock" }
    public var log: String

    public init(directory: String, log: String) {
        self.directory = directory
        self.log = log
    }

    /// The paths for this user and environment (without creating anything).
    public static func current(_ env: [String: String] = ProcessInfo.processInfo.environment) -> DaemonPaths {
        let uid = getuid()
        var directory: String
        if let runtime = env["XDG_RUNTIME_DIR"], runtime.hasPrefix("/"), isOwnedDirectory(runtime, uid: uid) {
            directory = runtime + "/koe"
        } else {
            let temp = env["TMPDIR"].flatMap { $0.hasPrefix("/") ? $0 : nil } ?? "/tmp"
            directory = (temp.hasSuffix("/") ? String(temp.dropLast()) : temp) + "/koe-\(uid)"
        }
        let home = env["HOME"] ?? NSHomeDirectory()
        let state = env["XDG_STATE_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil } ?? home + "/.local/state"
        return DaemonPaths(directory: directory, log: state + "/koe/daemon.log")
    }

    /// Creates the folder (0700) if needed and checks that it is ours and private: a folder
    /// that another user owns or that others may enter is refused, since anyone who can reach
    /// the socket can make this user's computer speak.
    public func prepareDirectory() throws {
        if mkdir(directory, 0o700) != 0 && errno != EEXIST {
            throw DaemonError.unsafeDirectory(UnixSocket.errorText("cannot create \(directory)"))
        }
        var info = stat()
        guard lstat(directory, &info) == 0 else {
            throw DaemonError.unsafeDirectory(UnixSocket.errorText("cannot inspect \(directory)"))
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw DaemonError.unsafeDirectory("\(directory) must be a folder (not a link or file)")
        }
        guard info.st_uid == getuid() else {
            throw DaemonError.unsafeDirectory("\(directory) must belong to uid \(getuid()), it belongs to \(info.st_uid)")
        }
        if info.st_mode & 0o077 != 0 && chmod(directory, 0o700) != 0 {
            throw DaemonError.unsafeDirectory("\(directory) must have mode 0700, it has \(String(info.st_mode & 0o777, radix: 8))")
        }
    }

    static func isOwnedDirectory(_ path: String, uid: uid_t) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR && info.st_uid == uid
    }
}

/// The one-daemon-per-user lock: an exclusive `flock` on `daemon.lock`, released by the kernel
/// when the process ends however it ends, so a crashed daemon never blocks the next one.
final class InstanceLock {
    private let fd: Int32

    /// Takes the lock, or returns nil when another process holds it. The holder's pid is
    /// written into the file when `recordsPID`.
    init?(path: String, recordsPID: Bool = true) throws {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw DaemonError.socket(UnixSocket.errorText("cannot open \(path)")) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            return nil
        }
        self.fd = fd
        guard recordsPID else { return }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
    }

    deinit { close(fd) }
}
