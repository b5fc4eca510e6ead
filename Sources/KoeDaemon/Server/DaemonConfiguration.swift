import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a daemon runs: where, for how long when idle, and on which socket.
public struct DaemonConfiguration: Sendable {
    /// Default idle exit: 30 minutes with nothing to say.
    public static let defaultIdleTimeout = 30.0 * 60

    public var paths: DaemonPaths
    /// Seconds with nothing to say before the daemon exits; nil never exits.
    public var idleTimeout: Double?
    /// A listening socket handed over by systemd (`LISTEN_FDS`), used instead of binding.
    public var inheritedListener: Int32?

    public init(paths: DaemonPaths = .current(), idleTimeout: Double? = DaemonConfiguration.defaultIdleTimeout,
                inheritedListener: Int32? = nil) {
        self.paths = paths
        self.idleTimeout = idleTimeout
        self.inheritedListener = inheritedListener
    }

    /// From the environment: `KOE_IDLE_TIMEOUT` and systemd's `LISTEN_PID`/`LISTEN_FDS`.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) throws -> DaemonConfiguration {
        let timeout = try env["KOE_IDLE_TIMEOUT"].map(parseDuration) ?? defaultIdleTimeout
        return DaemonConfiguration(paths: .current(env), idleTimeout: timeout, inheritedListener: socketActivation(env))
    }

    /// `90s`, `10m`, `1h`, `1.5m`, `250ms`, a bare number of seconds; `0`, `never` or `off`
    /// for no idle exit (nil).
    public static func parseDuration(_ text: String) throws -> Double? {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        if ["0", "never", "off", "none"].contains(t) { return nil }
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("min", 60), ("h", 3600)]
        var number = t
        var scale = 1.0
        for (suffix, factor) in units.sorted(by: { $0.0.count > $1.0.count }) where t.hasSuffix(suffix) {
            number = String(t.dropLast(suffix.count)).trimmingCharacters(in: .whitespaces)
            scale = factor
            break
        }
        guard let value = Double(number), value.isFinite, value >= 0 else { throw DaemonError.badIdleTimeout(text) }
        return value == 0 ? nil : value * scale
    }

    /// The first socket systemd passed (fd 3), when `LISTEN_PID` names this process.
    static func socketActivation(_ env: [String: String]) -> Int32? {
        guard let pid = env["LISTEN_PID"].flatMap(Int32.init), pid == getpid(),
              let count = env["LISTEN_FDS"].flatMap(Int.init), count >= 1 else { return nil }
        let fd: Int32 = 3  // SD_LISTEN_FDS_START
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        return fd
    }
}
