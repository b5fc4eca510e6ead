import Foundation
import Hummingbird
import HummingbirdTesting
import Koe
@testable import KoeServer
import NIOCore
import Testing

@Suite("Bad input gets OpenAI's error shape and the right status, never a 5xx")
struct ErrorTests {
    static let speech = "/v1/audio/speech"

    /// Body, expected status, param.
    static let badBodies: [(String, Int, String?)] = [
        (#"{"input": ""}"#, 400, "input"),
        (#"{"input": "   \n "}"#, 400, "input"),
        (#"{"voice": "jf_alpha"}"#, 400, "input"),
        (#"{"input": "Hi.", "voice": "nobody"}"#, 400, "voice"),
        (#"{"input": "Hi.", "voice": "jf_alpha(2)+"}"#, 400, "voice"),
        (#"{"input": "Hi.", "voice": {"name": "x"}}"#, 400, "voice"),
        (#"{"input": "Hi.", "voice": 3}"#, 400, "voice"),
        (#"{"input": "Hi.", "response_format": "m4a"}"#, 400, "response_format"),
        (#"{"input": "Hi.", "speed": 0.1}"#, 400, "speed"),
        (#"{"input": "Hi.", "speed": 4.5}"#, 400, "speed"),
        (#"{"input": "Hi.", "speed": "fast"}"#, 400, "speed"),
        (#"{"input": 42}"#, 400, "input"),
        (#"{"input": "Hi.", "stream": "yes"}"#, 400, "stream"),
        (#"{"input": "Hi.", "stream_format": "websocket"}"#, 400, "stream_format"),
        (#"{"input": "Hi.", "lang_code": "klingon"}"#, 400, "lang_code"),
        (#"{"input": "Hi.", "volume_multiplier": -1}"#, 400, "volume_multiplier"),
        (#"{"input": "Hi.", "normalization_options": {"normalize": "no"}}"#, 400, "normalize"),
        (#"{"input": "Hi.""#, 400, nil),
        (#"["input"]"#, 400, nil),
        ("", 400, nil),
    ]

    @Test("bad bodies are 400 naming the field", arguments: badBodies)
    func badBody(body: String, status: Int, param: String?) async throws {
        try await withFakeApp { client in
            let r = try await client.execute(uri: Self.speech, method: .post, headers: jsonHeaders, body: ByteBuffer(string: body))
            #expect(r.status.code == status)
            let e = try #require(r.apiError)
            #expect(e.type == "invalid_request_error")
            #expect(e.param == param)
            #expect(!e.message.isEmpty)
        }
    }

    @Test("an unknown voice lists the valid ones")
    func unknownVoice() async throws {
        try await withFakeApp { client in
            let r = try await client.execute(uri: Self.speech, method: .post, headers: jsonHeaders, body: json(["input": "Hi.", "voice": "nobody"]))
            #expect(r.apiError?.message.contains("af_heart, jf_alpha, jm_kumo") == true)
        }
    }

    @Test("input longer than --max-input-chars is 400 with both numbers")
    func tooLong() async throws {
        try await withFakeApp(ServerConfiguration(maxInputCharacters: 10)) { client in
            let r = try await client.execute(uri: Self.speech, method: .post, headers: jsonHeaders, body: json(["input": "eleven char"]))
            #expect(r.status == .badRequest)
            #expect(r.apiError?.code == "string_above_max_length")
            #expect(r.apiError?.message.contains("11") == true && r.apiError?.message.contains("10") == true)
            let ok = try await client.execute(uri: Self.speech, method: .post, headers: jsonHeaders, body: json(["input": "ten chars."]))
            #expect(ok.status == .ok)
        }
    }

    @Test("404, 405 with Allow, 413, 415")
    func statuses() async throws {
        try await withFakeApp { client in
            let missing = try await client.execute(uri: "/v1/audio/nothing", method: .get)
            #expect(missing.status == .notFound && missing.apiError?.code == "not_found")
            let wrong = try await client.execute(uri: Self.speech, method: .get)
            #expect(wrong.status == .methodNotAllowed && wrong.headers[.allow] == "POST")
            let wrongVoices = try await client.execute(uri: "/v1/audio/voices", method: .post, headers: jsonHeaders, body: json([:]))
            #expect(wrongVoices.status == .methodNotAllowed && wrongVoices.headers[.allow] == "GET")
            let big = try await client.execute(uri: Self.speech, method: .post, headers: jsonHeaders,
                                               body: ByteBuffer(string: #"{"input": ""# + String(repeating: "a", count: 3 << 20) + #""}"#))
            #expect(big.status == .contentTooLarge && big.apiError != nil)
            let form = try await client.execute(uri: Self.speech, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                                body: ByteBuffer(string: "input=hi"))
            #expect(form.status == .unsupportedMediaType && form.apiError != nil)
            let charset = try await client.execute(uri: Self.speech, method: .post, headers: [.contentType: "application/json; charset=utf-8"],
                                                   body: json(["input": "Hi.", "response_format": "pcm"]))
            #expect(charset.status == .ok)
        }
    }

    @Test("with an API key, every route but /health needs the bearer token")
    func apiKey() async throws {
        try await withFakeApp(ServerConfiguration(apiKey: "s3cret")) { client in
            #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
            for path in ["/v1/models", "/ready", "/metrics", "/openapi.json", "/v1/audio/voices"] {
                let r = try await client.execute(uri: path, method: .get)
                #expect(r.status == .unauthorized, "\(path)")
                #expect(r.apiError?.type == "authentication_error")
            }
            let wrong = try await client.execute(uri: "/v1/models", method: .get, headers: [.authorization: "Bearer nope"])
            #expect(wrong.status == .unauthorized)
            let right = try await client.execute(uri: "/v1/models", method: .get, headers: [.authorization: "Bearer s3cret"])
            #expect(right.status == .ok)
            var headers = jsonHeaders
            headers[.authorization] = "Bearer s3cret"
            let speech = try await client.execute(uri: Self.speech, method: .post, headers: headers, body: json(["input": "Hi."]))
            #expect(speech.status == .ok)
        }
    }

    @Test("503 with Retry-After while the model loads, 200 once it is in")
    func loading() async throws {
        let gate = Gate()
        let app = try buildApplication(configuration: ServerConfiguration(), logger: quietLogger) {
            gate.wait()
            return FakeSynthesizer()
        }
        try await app.test(.router) { client in
            #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
            let ready = try await client.execute(uri: "/ready", method: .get)
            #expect(ready.status == .serviceUnavailable && ready.headers[.retryAfter] != nil)
            let speech = try await client.execute(uri: Self.speech, method: .post, headers: jsonHeaders, body: json(["input": "Hi."]))
            #expect(speech.status == .serviceUnavailable && speech.apiError?.code == "model_loading")
            gate.open()
            var status = HTTPResponse.Status.serviceUnavailable
            for _ in 0..<200 where status != .ok {
                try await Task.sleep(for: .milliseconds(10))
                status = try await client.execute(uri: "/ready", method: .get).status
            }
            #expect(status == .ok)
        }
    }

    @Test("past --max-concurrent the lane refuses: 429 with Retry-After; once a stream ends the next is admitted")
    func admission() async throws {
        let configuration = ServerConfiguration(maxConcurrent: 2)
        let fake = FakeSynthesizer(chunkDelay: 0.3, lane: configuration.computeLane)
        try await withFakeApp(configuration, synthesizer: fake) { client in
            let body = json(["input": "One. Two. Three.", "response_format": "pcm"])
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for k in 0..<3 {
                    group.addTask {
                        try await Task.sleep(for: .milliseconds(100 * k))
                        let r = try await client.execute(uri: Self.speech, method: .post, headers: jsonHeaders, body: body)
                        if r.status == .tooManyRequests {
                            #expect(Int(r.headers[.retryAfter] ?? "") ?? 0 >= 1)
                            #expect(r.apiError?.type == "rate_limit_error")
                            #expect(r.apiError?.message.contains("--max-concurrent 2") == true)
                        } else {
                            #expect(r.bytes.count == 2 * 3 * FakeSynthesizer.samplesPerWord)
                        }
                        return r.status.code
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.sorted() == [200, 200, 429])
            #expect(fake.lane.statistics.refused == 1)
            #expect(fake.lane.statistics.activeStreams == 0)
            let again = try await client.execute(uri: Self.speech, method: .post, headers: jsonHeaders, body: body)
            #expect(again.status == .ok)
        }
    }

    @Test("the admitted streams take turns by chunk on the one lane: a short request is not stuck behind a long one")
    func interleaving() async throws {
        let configuration = ServerConfiguration(maxConcurrent: 2)
        let fake = FakeSynthesizer(chunkDelay: 0.05, lane: configuration.computeLane)
        try await withFakeApp(configuration, synthesizer: fake) { client in
            let long = Array(repeating: "Word.", count: 40).joined(separator: " ")
            let order = OrderLog()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    _ = try await client.execute(uri: Self.speech, method: .post, headers: jsonHeaders,
                                                 body: json(["input": long, "response_format": "pcm", "stream": false]))
                    order.append("long")
                }
                group.addTask {
                    try await Task.sleep(for: .milliseconds(200))
                    _ = try await client.execute(uri: Self.speech, method: .post, headers: jsonHeaders,
                                                 body: json(["input": "Short.", "response_format": "pcm", "stream": false]))
                    order.append("short")
                }
                try await group.waitForAll()
            }
            #expect(order.entries == ["short", "long"])
            #expect(fake.lane.statistics.peakRunning == 1)
        }
    }
}

/// Names in the order they were logged, from any task.
final class OrderLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []  // guarded by `lock`
    func append(_ s: String) { lock.withLock { items.append(s) } }
    var entries: [String] { lock.withLock { items } }
}

/// Blocks a thread until opened.
final class Gate: @unchecked Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    func wait() { semaphore.wait(); semaphore.signal() }
    func open() { semaphore.signal() }
}
