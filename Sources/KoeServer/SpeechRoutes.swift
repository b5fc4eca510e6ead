import Foundation
import Hummingbird
import Koe
import KoeAudio
import HTTPTypes
import NIOCore

/// `POST /v1/audio/speech`, `/v1/audio/captioned_speech` and `/dev/captioned_speech`.
struct SpeechRoutes {
    let state: ServerState

    func register(on router: Router<KoeRequestContext>) {
        router.post("/v1/audio/speech") { request, context in try await speech(request, context: context) }
        router.post("/v1/audio/captioned_speech") { request, context in try await captioned(request, context: context) }
        router.post("/dev/captioned_speech") { request, context in try await captioned(request, context: context) }
    }

    /// OpenAI's speech route: raw audio streamed chunk by chunk, SSE events, or the whole file.
    func speech(_ request: Request, context: KoeRequestContext) async throws -> Response {
        let started = try await start(request)
        var headers = Self.headers(for: started.request)
        switch (started.request.streamFormat, started.request.stream) {
        case (.sse, _):
            headers[.contentType] = "text/event-stream"
            headers[.cacheControl] = "no-cache"
            return streamed(started, headers: headers, context: context, render: SpeechRendering.sse)
        case (.audio, true):
            headers[.contentType] = started.session.format.contentType(sampleRate: started.session.sampleRate)
            return streamed(started, headers: headers, context: context, render: SpeechRendering.audio)
        case (.audio, false):
            let whole = try await whole(started)
            headers[.contentType] = started.session.format.contentType(sampleRate: started.session.sampleRate)
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: whole.bytes)))
        }
    }

    /// Kokoro-FastAPI's captioned speech: base64 audio with word timestamps, one JSON object,
    /// or (`stream`, the default) one object per chunk as NDJSON.
    func captioned(_ request: Request, context: KoeRequestContext) async throws -> Response {
        let started = try await start(request)
        var headers = Self.headers(for: started.request)
        headers[.contentDisposition] = nil
        if started.request.stream {
            headers[.contentType] = "application/x-ndjson"
            let format = started.session.format.rawValue
            return streamed(started, headers: headers, context: context, render: { SpeechRendering.ndjson($0, format: format) })
        }
        let whole = try await whole(started)
        let body = CaptionedSpeech(audio: Data(whole.bytes).base64EncodedString(), audio_format: started.session.format.rawValue,
                                   timestamps: whole.words.map(CaptionedSpeech.Timestamp.init))
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: try JSONCoding.buffer(body)))
    }

    /// A request checked, admitted to the compute lane and its first event pulled, so a bad
    /// request (or a full lane) fails with a 4xx before any header is sent.
    struct Started: Sendable {
        let request: SpeechRequest
        let session: SpeechSession
        let first: SpeechEvent?
        let startedAt: UInt64
    }

    func start(_ request: Request) async throws -> Started {
        let startedAt = DispatchTime.now().uptimeNanoseconds
        let (synthesizer, catalog) = try state.slot.ready()
        let body = try await request.jsonObject()
        let speech = try SpeechRequest(body, voices: catalog, maxInputCharacters: state.configuration.maxInputCharacters)
        do {
            let options = speech.options(threads: state.configuration.threadsPerPass)
            let session = try SpeechSession(stream: synthesizer.stream(speech.input, options: options),
                                            format: speech.format, volume: speech.volume, sampleRate: synthesizer.sampleRate)
            // The stream takes its place on the lane here (or is refused: 429).
            let first = try await session.next()
            return Started(request: speech, session: session, first: first, startedAt: startedAt)
        } catch let error as ComputeLaneError {
            throw ServerState.refusal(error, lane: synthesizer.lane)
        } catch {
            throw APIError(library: error)
        }
    }

    private func whole(_ started: Started) async throws -> (bytes: [UInt8], words: [WordTimestamp]) {
        do {
            let result = try await started.session.whole(after: started.first)
            if let summary = result.summary {
                state.metrics.synthesis(audioSeconds: summary.audioSeconds, synthesisSeconds: summary.synthesisSeconds)
            }
            state.metrics.firstByte(after: DispatchTime.now().uptimeNanoseconds - started.startedAt)
            return (result.bytes, result.words)
        } catch {
            throw APIError(library: error)
        }
    }

    /// A chunked response fed by a producer task (its forward passes run on the compute lane).
    /// The producer stops before its next chunk when the connection closes or a write fails.
    private func streamed(_ started: Started, headers: HTTPFields, context: KoeRequestContext,
                          render: @escaping @Sendable (SpeechPiece) -> [ByteBuffer]?) -> Response {
        let state = self.state
        let channel = context.channel
        let body = ResponseBody { writer in
            let (buffers, continuation) = AsyncThrowingStream<ByteBuffer, any Error>.makeStream()
            let producer = Task {
                await Self.produce(started, state: state, into: continuation, render: render)
            }
            channel.closeFuture.whenComplete { _ in producer.cancel() }
            var first = true
            do {
                for try await buffer in buffers {
                    if first {
                        state.metrics.firstByte(after: DispatchTime.now().uptimeNanoseconds - started.startedAt)
                        first = false
                    }
                    try await writer.write(buffer)
                }
            } catch {
                producer.cancel()
                throw error
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }

    /// Pulls events, renders them and hands the bytes to the writer; a failure
    /// after the headers went out is rendered in-band where the format allows (SSE, NDJSON)
    /// and otherwise ends the response early.
    private static func produce(_ started: Started, state: ServerState, into continuation: AsyncThrowingStream<ByteBuffer, any Error>.Continuation,
                                render: (SpeechPiece) -> [ByteBuffer]?) async {
        let session = started.session
        func send(_ piece: SpeechPiece) -> Bool {
            guard let buffers = render(piece) else { return false }
            for buffer in buffers where buffer.readableBytes > 0 { continuation.yield(buffer) }
            return true
        }
        do {
            var event = started.first
            while let current = event, !Task.isCancelled {
                switch current {
                case .audio(let chunk):
                    _ = send(.chunk(chunk, try session.encode(chunk)))
                case .finished(let summary):
                    state.metrics.synthesis(audioSeconds: summary.audioSeconds, synthesisSeconds: summary.synthesisSeconds)
                    _ = send(.finished(tail: try session.finish(), usage: .init(input: session.inputTokens, output: session.outputFrames)))
                }
                event = try await session.next()
            }
            continuation.finish()
        } catch {
            let apiError = APIError(library: error)
            state.logger.warning("synthesis failed after the response began: \(apiError.message)")
            if send(.failed(apiError)) { continuation.finish() } else { continuation.finish(throwing: apiError) }
        }
    }

    static func headers(for request: SpeechRequest) -> HTTPFields {
        var headers = HTTPFields()
        headers[.contentDisposition] = "inline; filename=\"speech.\(request.format.fileExtension)\""
        if let name = HTTPField.Name("X-Koe-Voice") { headers[name] = request.voice }
        if let name = HTTPField.Name("X-Accel-Buffering") { headers[name] = "no" }
        return headers
    }
}
