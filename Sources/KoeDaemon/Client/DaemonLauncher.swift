import Foundation

#if canImport(Glibc)
import Glibc
private let spawnSetSID: Int32 = 0x80  // POSIX_SPAWN_SETSID (glibc 2.26+), hidden behind _GNU_SOURCE
#elseif canImport(Darwin)
import Darwin
private let spawnSetSID = Int32(POSIX_SPAWN_SETSID)
#endif

/// Starts `koe daemon` detached from the client: a new session (no controlling terminal, so
/// closing the terminal does not hang it up), standard input from /dev/null, output appended
/// to the log. posix_spawn, never a bare fork: on macOS audio breaks in a forked child.
struct DaemonLauncher {
    let executable: String
    let log: String

    init(executable: String, log: String) throws {
        self.executable = executable
        self.log = log
        let folder = (log as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw DaemonError.launchFailed("cannot create the log folder \(folder): \(error.localizedDescription)")
        }
    }

    /// Spawns the daemon and returns its process id.
    func spawn() throws -> pid_t {
        #if canImport(Glibc)
        var attributes = posix_spawnattr_t()
        var actions = posix_spawn_file_actions_t()
        #else
        var attributes: posix_spawnattr_t?
        var actions: posix_spawn_file_actions_t?
        #endif
        posix_spawnattr_init(&attributes)
        posix_spawn_file_actions_init(&actions)
        defer {
            posix_spawnattr_destroy(&attributes)
            posix_spawn_file_actions_destroy(&actions)
        }
        posix_spawnattr_setflags(&attributes, Int16(spawnSetSID))
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        let argv = [executable, "daemon", "--launched"]
        var cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        // The client's environment as is: XDG folders, KOE_*, PULSE_SERVER reach the daemon.
        var cEnv: [UnsafeMutablePointer<CChar>?] = ProcessInfo.processInfo.environment.map { strdup("\($0)=\($1)") } + [nil]
        defer { for p in cArgs + cEnv { free(p) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, &cArgs, &cEnv)
        guard result == 0 else {
            throw DaemonError.launchFailed(UnixSocket.errorText("cannot run \(executable)", result))
        }
        return pid
    }

    /// The exit status of our spawned child once it has exited, else nil.
    static func exitStatus(of pid: pid_t) -> Int32? {
        var status: Int32 = 0
        guard waitpid(pid, &status, WNOHANG) == pid else { return nil }
        // WIFEXITED / WEXITSTATUS are macros; decode the wait status by hand.
        return status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    /// The log's last lines, for a message about a daemon that did not start.
    func logTail(lines: Int = 5) -> String {
        guard let data = FileManager.default.contents(atPath: log) else { return "no log at \(log)" }
        let tail = String(decoding: data.suffix(4096), as: UTF8.self)
            .split(separator: "\n").suffix(lines).joined(separator: "\n")
        return "log \(log):\n\(tail)"
    }
}
