import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension DaemonServer {
    /// A client that sends nothing for this long is disconnected.
    static let readTimeoutSeconds = 60

    /// Answers one connection's requests, a reply line each, until it closes. Bad lines get an
    /// error reply; a line over the limit also closes the connection (its rest is unreadable).
    func serve(_ fd: Int32) {
        UnixSocket.setReadTimeout(fd, seconds: Self.readTimeoutSeconds)
        let reader = LineReader(fd: fd, limit: DaemonProtocol.maxLineBytes)
        while true {
            let line: [UInt8]
            do {
                guard let next = try reader.next() else { return }
                line = next
            } catch .tooLong {
                UnixSocket.send(fd, LineCodec.line(.failure(DaemonError.lineTooLong(limit: DaemonProtocol.maxLineBytes).description)))
                // Read and drop the rest for a moment, so the client can finish sending and read the reply.
                UnixSocket.closeWrite(fd)
                UnixSocket.setReadTimeout(fd, seconds: 2)
                var discarded = 0
                while discarded < 64 << 20, let more = UnixSocket.receive(fd), !more.isEmpty { discarded += more.count }
                return
            } catch {
                return  // timed out or reset
            }
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            let request: DaemonRequest
            do {
                request = try LineCodec.request(from: line)
            } catch {
                logger.notice("bad request", metadata: ["error": "\(error)"])
                guard UnixSocket.send(fd, LineCodec.line(.failure("\(error)"))) else { return }
                continue
            }
            guard answer(request, on: fd) else { return }
        }
    }

    /// Carries out one request; false when the client has gone.
    private func answer(_ request: DaemonRequest, on fd: Int32) -> Bool {
        let loaded = lock.withLock { speaker }
        loaded?.touch()
        switch request.cmd {
        case .ping:
            var reply = DaemonReply()
            reply.pid = Int(getpid())
            reply.loading = loaded == nil
            return UnixSocket.send(fd, LineCodec.line(reply))
        case .status:
            return UnixSocket.send(fd, LineCodec.line(statusReply(loaded)))
        case .pause, .resume, .stop:
            guard let loaded else { return UnixSocket.send(fd, LineCodec.line(statusReply(nil))) }
            switch request.cmd {
            case .pause: _ = loaded.pause()
            case .resume: _ = loaded.resume()
            default: loaded.stop(id: request.id)
            }
            return UnixSocket.send(fd, LineCodec.line(statusReply(loaded)))
        case .kill:
            var reply = DaemonReply()
            reply.pid = Int(getpid())
            UnixSocket.send(fd, LineCodec.line(reply))
            shutdown(reason: "koe kill")
        case .say:
            return say(request, on: fd)
        }
    }

    private func say(_ request: DaemonRequest, on fd: Int32) -> Bool {
        let speaker: Speaker
        let utterance = Utterance(text: request.text ?? "", voice: request.voice,
                                  speed: request.speed ?? 1, language: request.language)
        do {
            speaker = try loadedSpeaker()
            try speaker.source.check(utterance)
        } catch {
            return UnixSocket.send(fd, LineCodec.line(.failure("\(error)")))
        }
        let ending = request.wait == true ? EndSignal() : nil
        var onEnd: Speaker.EndHandler?
        if let ending { onEnd = { end, why in ending.signal(end, why) } }
        let id = speaker.say(utterance, queue: request.queue == true, onEnd: onEnd)
        var reply = statusReply(speaker)
        reply.id = id
        guard UnixSocket.send(fd, LineCodec.line(reply)) else { return false }
        guard let ending else { return true }
        let (end, why) = ending.wait()
        var last = DaemonReply(ok: end == .done, error: why)
        last.id = id
        last.end = end
        return UnixSocket.send(fd, LineCodec.line(last))
    }

    func statusReply(_ speaker: Speaker?) -> DaemonReply {
        var reply = DaemonReply()
        reply.pid = Int(getpid())
        guard let speaker else {
            reply.state = .idle
            reply.loading = true
            return reply
        }
        let s = speaker.status
        reply.loading = false
        reply.state = s.state
        reply.id = s.id
        reply.text = s.text
        reply.voice = s.voice
        reply.position = (s.position * 1000).rounded() / 1000
        reply.duration = (s.duration * 1000).rounded() / 1000
        reply.synthesized = s.id == nil ? nil : s.synthesized
        reply.queued = s.queued
        return reply
    }
}

/// One utterance's end, handed from the speaker's thread to the connection waiting for it.
private final class EndSignal: @unchecked Sendable {
    private let condition = NSCondition()
    private var result: (UtteranceEnd, String?)?

    func signal(_ end: UtteranceEnd, _ why: String?) {
        condition.withLock { if result == nil { result = (end, why) } }
        condition.broadcast()
    }

    func wait() -> (UtteranceEnd, String?) {
        condition.withLock {
            while result == nil { condition.wait() }
            return result ?? (.stopped, nil)
        }
    }
}
