import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The resident daemon: one per user (a lock), a Unix socket that answers the line protocol
/// on plain threads (so commands never wait behind synthesis), and a speaker loaded once.
///
/// It binds before the model loads, so clients connect at once; `say` waits for the model,
/// `status` and `ping` answer straight away with `loading`.
public final class DaemonServer: @unchecked Sendable {
    /// What `start` did.
    public enum Outcome: Sendable, Equatable {
        /// Serving on threads of its own until it exits the process.
        case serving
        /// Another daemon holds the lock (or answers on the socket): nothing to do.
        case alreadyRunning
    }

    let configuration: DaemonConfiguration
    let logger: Logger
    private let makeSpeaker: @Sendable () throws -> Speaker
    let lock = NSCondition()
    // Guarded by `lock`.
    var speaker: Speaker?
    var loadFailure: String?
    var openConnections = 0
    private var shuttingDown = false
    private var listener: Int32 = -1
    private var instanceLock: InstanceLock?
    private var signalSources: [DispatchSourceSignal] = []

    /// - Parameter makeSpeaker: loads the model and opens the output; called once, on a thread
    ///   of its own, after the socket is listening.
    public init(configuration: DaemonConfiguration, logger: Logger, makeSpeaker: @escaping @Sendable () throws -> Speaker) {
        self.configuration = configuration
        self.logger = logger
        self.makeSpeaker = makeSpeaker
    }

    /// Starts serving on threads of its own (none from Swift's cooperative pool, which
    /// synthesis needs) until `kill`, SIGTERM/SIGINT or the idle timeout, when it exits the
    /// process with status 0.
    public func start() throws -> Outcome {
        signal(SIGPIPE, SIG_IGN)
        let paths = configuration.paths
        if let fd = configuration.inheritedListener {
            listener = fd
            logger.info("listening on the socket systemd passed")
        } else {
            try paths.prepareDirectory()
            guard let held = try InstanceLock(path: paths.lock) else {
                logger.info("a daemon is already running", metadata: ["lock": "\(paths.lock)"])
                return .alreadyRunning
            }
            instanceLock = held
            switch Result(catching: { () throws(UnixSocket.ConnectFailure) in try UnixSocket.connect(path: paths.socket) }) {
            case .success(let fd):
                close(fd)  // an older daemon without the lock answers there: leave it alone
                logger.info("another daemon answers on the socket", metadata: ["socket": "\(paths.socket)"])
                return .alreadyRunning
            case .failure(.nobodyListening):
                unlink(paths.socket)  // left by a daemon that crashed (we hold the lock)
            case .failure(.failed(let why)):
                throw DaemonError.socket(why)
            }
            listener = try UnixSocket.listen(path: paths.socket)
            logger.info("listening", metadata: ["socket": "\(paths.socket)", "pid": "\(getpid())"])
        }
        installSignalHandlers()
        Thread.detachNewThread { [self] in load() }
        Thread.detachNewThread { [self] in housekeeping() }
        Thread.detachNewThread { [self] in acceptLoop() }
        return .serving
    }

    private func load() {
        let started = DispatchTime.now().uptimeNanoseconds
        do {
            let speaker = try makeSpeaker()
            lock.withLock { self.speaker = speaker }
            speaker.touch()
            logger.info("model ready", metadata: ["seconds": "\(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)"])
        } catch {
            logger.error("model failed to load", metadata: ["error": "\(error)"])
            lock.withLock { loadFailure = "\(error)" }
        }
        lock.broadcast()
    }

    /// The speaker once loaded, waiting for the load; throws if it failed.
    func loadedSpeaker() throws -> Speaker {
        try lock.withLock {
            while speaker == nil && loadFailure == nil { lock.wait() }
            if let speaker { return speaker }
            throw DaemonError.modelFailed(loadFailure ?? "unknown")
        }
    }

    /// Retires finished utterances every few milliseconds; exits when idle long enough, or
    /// after a failed load once its clients have been told.
    private func housekeeping() {
        var lastRequest = DispatchTime.now().uptimeNanoseconds
        while true {
            usleep(5_000)
            var (speaker, failed, connections) = lock.withLock { (self.speaker, loadFailure != nil, openConnections) }
            speaker?.tick()
            // A client the kernel has connected but the accept loop has not yet taken counts too:
            // exiting under it would close its connection unanswered.
            if connections == 0 && UnixSocket.hasPendingConnection(listener) { connections = 1 }
            if connections > 0 { lastRequest = DispatchTime.now().uptimeNanoseconds }
            if failed && connections == 0 { shutdown(reason: "model failed to load", status: 1) }
            guard let timeout = configuration.idleTimeout, let speaker, connections == 0, speaker.idle else { continue }
            let quiet = min(speaker.idleSeconds, Double(DispatchTime.now().uptimeNanoseconds - lastRequest) / 1e9)
            if quiet >= timeout { shutdown(reason: "idle for \(Int(timeout)) s") }
        }
    }

    private func acceptLoop() -> Never {
        while true {
            let fd = UnixSocket.accept(listener)
            guard fd >= 0 else {
                if errno != EINTR && errno != ECONNABORTED { usleep(10_000) }
                continue
            }
            lock.withLock { openConnections += 1 }
            Thread.detachNewThread { [self] in
                serve(fd)
                close(fd)
                lock.withLock { openConnections -= 1 }
                lock.withLock { speaker }?.touch()
            }
        }
    }

    private func installSignalHandlers() {
        for sig in [SIGTERM, SIGINT] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [self] in shutdown(reason: sig == SIGTERM ? "SIGTERM" : "SIGINT") }
            source.resume()
            signalSources.append(source)
        }
    }

    /// Stops playback, removes the socket (unless systemd owns it) and exits.
    func shutdown(reason: String, status: Int32 = 0) -> Never {
        let first = lock.withLock { () -> Bool in
            defer { shuttingDown = true }
            return !shuttingDown
        }
        guard first else { while true { pause() } }
        logger.info("exiting", metadata: ["reason": "\(reason)"])
        lock.withLock { speaker }?.stop(reason: "the daemon is exiting (\(reason))")
        if configuration.inheritedListener == nil { unlink(configuration.paths.socket) }
        usleep(30_000)  // let waiting clients read their last line
        // _exit, not exit: a chunk may be mid-synthesis on another thread, and exit's teardown
        // of the maths libraries under it would crash the process on its way out.
        fflush(nil)
        _exit(status)
    }
}
