#if os(Linux)
import CPulse
import Foundation

/// libpulse's threaded mainloop: a thread of its own that runs the callbacks, and the lock
/// that every call into the context or stream must hold.
final class PulseMainloop: @unchecked Sendable {
    let pointer: OpaquePointer

    init() throws {
        guard let m = pa_threaded_mainloop_new() else { throw PlaybackError.serverUnavailable("cannot create a mainloop") }
        guard pa_threaded_mainloop_start(m) == 0 else {
            pa_threaded_mainloop_free(m)
            throw PlaybackError.serverUnavailable("cannot start the mainloop thread")
        }
        pointer = m
    }

    deinit {
        pa_threaded_mainloop_stop(pointer)
        pa_threaded_mainloop_free(pointer)
    }

    /// Runs `body` holding the mainloop lock (never call this from a callback).
    func locked<T>(_ body: () throws -> T) rethrows -> T {
        pa_threaded_mainloop_lock(pointer)
        defer { pa_threaded_mainloop_unlock(pointer) }
        return try body()
    }

    /// Sleeps until a callback signals (lock held).
    func wait() { pa_threaded_mainloop_wait(pointer) }

    var api: UnsafeMutablePointer<pa_mainloop_api> { pa_threaded_mainloop_get_api(pointer) }

    /// The userdata that state callbacks take: they only wake `wait()`.
    var signalContext: UnsafeMutableRawPointer { UnsafeMutableRawPointer(pointer) }
}

/// Wakes the mainloop's waiter; the userdata is the `pa_threaded_mainloop`.
private func signalMainloop(_ userdata: UnsafeMutableRawPointer?) {
    guard let userdata else { return }
    pa_threaded_mainloop_signal(OpaquePointer(userdata), 0)
}

/// One connection to the server with one mono float32 playback stream. Every method except
/// `init` expects the mainloop lock to be held by the caller.
final class PulseStream {
    private let mainloop: PulseMainloop
    private let context: OpaquePointer
    private var stream: OpaquePointer?
    /// Called (on the mainloop thread, lock held) with the frames the server asks for.
    var onWritable: ((Int) -> Void)?
    /// Called (mainloop thread, lock held) when the server has played everything it was given.
    var onUnderflow: (() -> Void)?

    /// Connects and opens the stream, waiting until both are ready (lock held).
    init(mainloop: PulseMainloop, applicationName: String, server: String?, sampleRate: Int,
         latency: Double, startCorked: Bool) throws {
        self.mainloop = mainloop
        guard let ctx = pa_context_new(mainloop.api, applicationName) else {
            throw PlaybackError.serverUnavailable("cannot create a context")
        }
        context = ctx
        pa_context_set_state_callback(ctx, { _, userdata in signalMainloop(userdata) }, mainloop.signalContext)
        guard pa_context_connect(ctx, server, PA_CONTEXT_NOAUTOSPAWN, nil) >= 0 else {
            let why = String(cString: pa_strerror(pa_context_errno(ctx)))
            close()
            throw PlaybackError.serverUnavailable(why)
        }
        while true {
            let state = pa_context_get_state(ctx)
            if state == PA_CONTEXT_READY { break }
            if PA_CONTEXT_IS_GOOD(state) == 0 {
                let why = String(cString: pa_strerror(pa_context_errno(ctx)))
                close()
                throw PlaybackError.serverUnavailable(why)
            }
            mainloop.wait()
        }
        try openStream(sampleRate: sampleRate, latency: latency, startCorked: startCorked)
    }

    private func openStream(sampleRate: Int, latency: Double, startCorked: Bool) throws {
        var spec = pa_sample_spec(format: PA_SAMPLE_FLOAT32LE, rate: UInt32(sampleRate), channels: 1)
        let props = pa_proplist_new()
        pa_proplist_sets(props, PA_PROP_MEDIA_ROLE, "a11y")
        defer { pa_proplist_free(props) }
        guard let s = pa_stream_new_with_proplist(context, "speech", &spec, nil, props) else {
            throw failed("cannot create the stream")
        }
        stream = s
        pa_stream_set_state_callback(s, { _, userdata in signalMainloop(userdata) }, mainloop.signalContext)
        pa_stream_set_write_callback(s, { _, bytes, userdata in
            guard let userdata else { return }
            let me = Unmanaged<PulseStream>.fromOpaque(userdata).takeUnretainedValue()
            me.onWritable?(bytes / MemoryLayout<Float>.size)
        }, Unmanaged.passUnretained(self).toOpaque())
        pa_stream_set_underflow_callback(s, { _, userdata in
            guard let userdata else { return }
            Unmanaged<PulseStream>.fromOpaque(userdata).takeUnretainedValue().onUnderflow?()
        }, Unmanaged.passUnretained(self).toOpaque())

        let frameBytes = UInt32(MemoryLayout<Float>.size)
        let none = UInt32.max  // "server default"
        var attr = pa_buffer_attr(maxlength: none, tlength: UInt32(latency * Double(sampleRate)) * frameBytes,
                                  prebuf: none, minreq: none, fragsize: none)
        var flags = PA_STREAM_ADJUST_LATENCY.rawValue | PA_STREAM_INTERPOLATE_TIMING.rawValue
            | PA_STREAM_AUTO_TIMING_UPDATE.rawValue
        if startCorked { flags |= PA_STREAM_START_CORKED.rawValue }
        guard pa_stream_connect_playback(s, nil, &attr, pa_stream_flags_t(rawValue: flags), nil, nil) >= 0 else {
            throw failed("cannot connect the stream")
        }
        while true {
            let state = pa_stream_get_state(s)
            if state == PA_STREAM_READY { break }
            if PA_STREAM_IS_GOOD(state) == 0 { throw failed("the server refused the stream") }
            mainloop.wait()
        }
    }

    private func failed(_ what: String) -> PlaybackError {
        let why = String(cString: pa_strerror(pa_context_errno(context)))
        close()
        return .streamFailed("\(what): \(why)")
    }

    /// Why the context or stream died, or nil while both are good.
    var failure: String? {
        let c = pa_context_get_state(context)
        if PA_CONTEXT_IS_GOOD(c) == 0 { return "connection to the sound server lost (\(String(cString: pa_strerror(pa_context_errno(context)))))" }
        guard let stream else { return "stream closed" }
        if PA_STREAM_IS_GOOD(pa_stream_get_state(stream)) == 0 { return "stream ended by the sound server" }
        return nil
    }

    var isFailed: Bool { failure != nil }

    /// Frames the server will take now without overflowing its buffer.
    var writableFrames: Int {
        guard let stream, !isFailed else { return 0 }
        let bytes = pa_stream_writable_size(stream)
        return bytes <= 0 ? 0 : bytes / MemoryLayout<Float>.size  // (size_t)-1 is an error
    }

    func write(_ bytes: UnsafeRawBufferPointer) {
        guard let stream, let base = bytes.baseAddress, !bytes.isEmpty else { return }
        _ = pa_stream_write(stream, base, bytes.count, nil, 0, PA_SEEK_RELATIVE)
    }

    /// Frames written to the server and not yet heard (its buffer plus the sink's latency), or
    /// nil before the first timing update.
    func latencyFrames(sampleRate: Int) -> Int? {
        guard let stream, !isFailed else { return nil }
        var usec: pa_usec_t = 0
        var negative: Int32 = 0
        guard pa_stream_get_latency(stream, &usec, &negative) == 0 else { return nil }
        return negative != 0 ? 0 : Int(Double(usec) * Double(sampleRate) / 1e6)
    }

    func cork(_ on: Bool) throws { try complete(stream.flatMap { pa_stream_cork($0, on ? 1 : 0, operationDone, mainloop.signalContext) }) }
    func flush() throws { try complete(stream.flatMap { pa_stream_flush($0, operationDone, mainloop.signalContext) }) }

    /// Starts playback of what is buffered even below the prebuffer mark (fire and forget).
    func trigger() {
        guard let stream, !isFailed, let op = pa_stream_trigger(stream, nil, nil) else { return }
        pa_operation_unref(op)
    }

    /// Waits for an operation's acknowledgement; a lost connection cancels it.
    private func complete(_ op: OpaquePointer?) throws {
        guard !isFailed else { return }  // the next write reconnects
        guard let op else { throw PlaybackError.streamFailed(String(cString: pa_strerror(pa_context_errno(context)))) }
        defer { pa_operation_unref(op) }
        while pa_operation_get_state(op) == PA_OPERATION_RUNNING && !isFailed { mainloop.wait() }
    }

    /// Disconnects the stream and the context (lock held); safe to call twice.
    func close() {
        if let stream {
            pa_stream_set_write_callback(stream, nil, nil)
            pa_stream_set_underflow_callback(stream, nil, nil)
            pa_stream_set_state_callback(stream, nil, nil)
            pa_stream_disconnect(stream)
            pa_stream_unref(stream)
            self.stream = nil
        }
        pa_context_set_state_callback(context, nil, nil)
        if PA_CONTEXT_IS_GOOD(pa_context_get_state(context)) != 0 { pa_context_disconnect(context) }
    }

    deinit { pa_context_unref(context) }
}

/// Success callback of cork and flush: wakes the waiter in `complete`.
private let operationDone: pa_stream_success_cb_t = { _, _, userdata in signalMainloop(userdata) }
#endif
