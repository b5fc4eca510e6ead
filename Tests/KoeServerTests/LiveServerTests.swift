import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// The real server process with the real model over loopback. Serialized: each test starts
/// its own `koe serve` and the machine has two cores.
@Suite("koe serve, live, with the real model", .serialized)
struct LiveServerTests {
    static let text = "It costs $18.50 today. The quick brown fox jumps over the lazy dog."
    /// These tests compare responses sample by sample, so their server renders every chunk in
    /// one pass; `earlyFirstAudioStaysCloseToTheOnePass` checks the default.
    static let onePass = ["KOE_EARLY_FIRST_AUDIO": "0"]
    static let long = Array(repeating: "The lighthouse keeper climbed the stairs at dusk, as he had done for forty years, and lit the lamp again.", count: 12).joined(separator: " ")

    @Test("every format streams chunked and decodes back to the samples of pcm")
    func formats() async throws {
        let server = try await LiveServer(environment: Self.onePass)
        defer { Task { await server.stop() } }
        let reference = try await server.speech(["input": Self.text, "voice": "jf_alpha", "response_format": "pcm"])
        #expect(reference.status == .ok)
        #expect(reference.headers["Transfer-Encoding"].first == "chunked")
        let samples = int16s(reference.body[...])
        #expect(samples.count > 24_000)
        for format in ["wav", "flac", "mp3", "opus", "aac"] {
            let r = try await server.speech(["input": Self.text, "voice": "jf_alpha", "response_format": format])
            #expect(r.status == .ok, "\(format)")
            #expect(r.headers["Transfer-Encoding"].first == "chunked", "\(format)")
            let decoded = try ffmpegDecode(r.body, ext: format)
            switch format {
            case "wav", "flac":
                #expect(decoded == samples, "\(format) decodes to exactly the pcm samples")
            default:
                // Lossy codecs: the length within their priming and last frame, the same level.
                #expect(decoded.count >= samples.count - 1 && decoded.count <= samples.count + 3_000, "\(format): \(decoded.count) vs \(samples.count)")
                #expect(abs(rmsDB(decoded) - rmsDB(samples)) < 1.5, "\(format) level")
            }
        }
        await server.stop()
    }

    @Test("SSE deltas and NDJSON chunks carry exactly the pcm stream, with words as written")
    func sseAndNDJSON() async throws {
        let server = try await LiveServer(environment: Self.onePass)
        defer { Task { await server.stop() } }
        let reference = try await server.speech(["input": Self.text, "voice": "jf_alpha", "response_format": "pcm"]).body
        let sse = try await server.speech(["input": Self.text, "voice": "jf_alpha", "response_format": "pcm", "stream_format": "sse"])
        #expect(sse.headers["Content-Type"].first == "text/event-stream")
        #expect(sse.text.hasPrefix("data: ") && sse.text.hasSuffix("\n\n"))
        let events = sseEvents(sse.text)
        #expect(events.first?["type"] as? String == "speech.audio.delta")
        #expect(events.last?["type"] as? String == "speech.audio.done")
        let audio = events.compactMap { $0["audio"] as? String }.flatMap { Array(Data(base64Encoded: $0) ?? Data()) }
        #expect(audio == reference)
        let words = events.compactMap { $0["words"] as? [[String: Any]] }.flatMap { $0 }
        #expect(words.compactMap { $0["text"] as? String }.contains("$18.50"))
        let starts = words.compactMap { $0["start"] as? Double }
        #expect(starts == starts.sorted() && starts.count == words.count)
        let usage = try #require(events.last?["usage"] as? [String: Int])
        #expect(usage["input_tokens"]! > 20 && usage["output_tokens"]! * 600 == reference.count / 2)

        let ndjson = try await server.speech(["input": Self.text, "voice": "jf_alpha", "response_format": "pcm"], path: "/v1/audio/captioned_speech")
        #expect(ndjson.headers["Content-Type"].first == "application/x-ndjson")
        let lines = ndjson.text.split(separator: "\n").compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] }
        #expect(lines.count >= 2)
        #expect(lines.flatMap { Array(Data(base64Encoded: $0["audio"] as? String ?? "") ?? Data()) } == reference)
        let stamps = lines.flatMap { $0["timestamps"] as? [[String: Any]] ?? [] }
        #expect(stamps.compactMap { $0["word"] as? String } == words.compactMap { $0["text"] as? String })
        await server.stop()
    }

    @Test("normalization_options change what is said: without Koe's readings of addresses and symbols the speech is shorter")
    func normalization() async throws {
        let server = try await LiveServer()
        defer { Task { await server.stop() } }
        let text = "Write to ada@example.com or visit example.org for 50% off & more."
        func speech(_ options: [String: Any]?) async throws -> Int {
            // jf_alpha reads English with lang_code a (its own language's front end has no such readings).
            var body: [String: Any] = ["input": text, "voice": "jf_alpha", "lang_code": "a", "response_format": "pcm"]
            if let options { body["normalization_options"] = options }
            let r = try await server.speech(body)
            #expect(r.status == .ok)
            return r.body.count
        }
        let all = try await speech(nil)
        #expect(try await speech(["url_normalization": true, "unit_normalization": true]) == all)
        let noSymbols = try await speech(["replace_remaining_symbols": false])
        let none = try await speech(["normalize": false])
        #expect(noSymbols < all && none < noSymbols, "pcm bytes: \(all) all, \(noSymbols) without symbols, \(none) without any")
        await server.stop()
    }

    @Test("past the queue: 429 with Retry-After; /health answers quickly while synthesis runs")
    func busy() async throws {
        let server = try await LiveServer(["--max-concurrent", "1"])
        defer { Task { await server.stop() } }
        let long = Task { try await server.speech(["input": Self.long, "voice": "jf_alpha", "response_format": "pcm"]) }
        try await Task.sleep(for: .milliseconds(800))
        let refused = try await server.speech(["input": "Hello.", "voice": "jf_alpha"])
        #expect(refused.status == .tooManyRequests)
        #expect(Int(refused.headers["Retry-After"].first ?? "") ?? 0 >= 1)
        #expect((refused.object["error"] as? [String: Any])?["type"] as? String == "rate_limit_error")
        var worst = 0.0
        for _ in 0..<10 {
            let t0 = Date()
            #expect(try await server.get("/health").status == .ok)
            worst = max(worst, Date().timeIntervalSince(t0))
            try await Task.sleep(for: .milliseconds(100))
        }
        print("live: slowest /health during synthesis: \(String(format: "%.1f", worst * 1000)) ms")
        #expect(worst < 0.5, "health blocked for \(worst) s while synthesising")
        long.cancel()
        await server.stop()
    }

    @Test("a client that disconnects stops its synthesis: the server's CPU falls")
    func disconnect() async throws {
        let server = try await LiveServer()
        defer { Task { await server.stop() } }
        let reader = Task {
            let response = try await server.client.execute(server.request("/v1/audio/speech", method: .POST,
                json: ["input": Self.long, "voice": "jf_alpha", "response_format": "pcm"]), timeout: .seconds(300))
            for try await _ in response.body { break }  // the first chunk, then hang up
        }
        try await reader.value
        // The chunk being synthesised when the client left may finish; nothing after it.
        var idle = false
        for _ in 0..<30 where !idle {
            let c0 = server.cpuSeconds
            try await Task.sleep(for: .milliseconds(500))
            idle = server.cpuSeconds - c0 < 0.1
        }
        #expect(idle, "the server kept computing after its client left")
        let c0 = server.cpuSeconds
        try await Task.sleep(for: .seconds(2))
        let used = server.cpuSeconds - c0
        print("live: server CPU over 2 s after the disconnect: \(String(format: "%.2f", used)) s")
        #expect(used < 0.2)
        let metrics = try await server.get("/metrics").text
        #expect(metrics.contains("koe_real_time_factor_count 0"), "the abandoned synthesis ran to the end")
        await server.stop()
    }

    @Test("a streamed response starts early: the same length and words as the whole file, the one pass's samples after the head")
    func earlyFirstAudioStaysCloseToTheOnePass() async throws {
        let server = try await LiveServer()
        defer { Task { await server.stop() } }
        let text = "The morning train left the station on time with sleepy commuters aboard. Nobody minded the rain at all."
        let body: [String: Any] = ["input": text, "voice": "jf_alpha", "response_format": "pcm"]
        let whole = try await server.speech(body.merging(["stream": false]) { $1 }).body
        let streamed = try await server.speech(body).body
        #expect(streamed.count == whole.count)
        // The head is at most two thirds of the first chunk; the last third of this text is exact.
        let tail = whole.count * 2 / 3
        #expect(Array(streamed[tail...]) == Array(whole[tail...]))
        #expect(abs(rmsDB(int16s(streamed[...])) - rmsDB(int16s(whole[...]))) < 1)
        let captioned = try await server.speech(body.merging(["stream": false]) { $1 }, path: "/v1/audio/captioned_speech").object
        let sse = sseEvents(try await server.speech(body.merging(["stream_format": "sse"]) { $1 }).text)
        let words = sse.compactMap { $0["words"] as? [[String: Any]] }.flatMap { $0 }
        let stamps = captioned["timestamps"] as? [[String: Any]] ?? []
        #expect(words.compactMap { $0["text"] as? String } == stamps.compactMap { $0["word"] as? String })
        #expect(words.compactMap { $0["start"] as? Double } == stamps.compactMap { $0["start_time"] as? Double })
        #expect(!sse.contains { ($0["type"] as? String) == "speech.words" && (($0["words"] as? [Any])?.isEmpty ?? true) },
                "no empty word events for the early pieces")
        await server.stop()
    }

    @Test("SIGTERM: running requests finish, new ones are refused, the process exits 0")
    func drain() async throws {
        let server = try await LiveServer(environment: Self.onePass)
        let text = "One sentence to start. Then a second sentence follows it. And a third one closes the stream."
        let reference = try await server.speech(["input": text, "voice": "jf_alpha", "response_format": "pcm"]).body
        let streaming = Task {
            let response = try await server.client.execute(server.request("/v1/audio/speech", method: .POST,
                json: ["input": text, "voice": "jf_alpha", "response_format": "pcm"]), timeout: .seconds(300))
            var body: [UInt8] = []
            var signalled = false
            for try await buffer in response.body {
                body += buffer.readableBytesView
                if !signalled {
                    kill(server.process.processIdentifier, SIGTERM)
                    signalled = true
                }
            }
            return body
        }
        let body = try await streaming.value
        #expect(body == reference, "the stream running at SIGTERM was cut: \(body.count) of \(reference.count) bytes")
        server.process.waitUntilExit()
        #expect(server.process.terminationStatus == 0)
        #expect(server.process.terminationReason == .exit)
        await #expect(throws: (any Error).self) { _ = try await server.get("/health") }
        await server.stop()
    }

    @Test("--api-key: /health is open, everything else needs the bearer token")
    func apiKey() async throws {
        let server = try await LiveServer(["--api-key", "k0e-test"])
        defer { Task { await server.stop() } }
        #expect(try await server.get("/health").status == .ok)
        let denied = try await server.get("/v1/models")
        #expect(denied.status == .unauthorized)
        #expect((denied.object["error"] as? [String: Any])?["code"] as? String == "invalid_api_key")
        #expect(try await server.get("/v1/models", headers: [("Authorization", "Bearer k0e-test")]).status == .ok)
        let speech = try await server.send(server.request("/v1/audio/speech", method: .POST, json: ["input": "Hello.", "voice": "jf_alpha"],
                                                          headers: [("Authorization", "Bearer k0e-test")]))
        #expect(speech.status == .ok && speech.body.count > 1_000)
        await server.stop()
    }
}
