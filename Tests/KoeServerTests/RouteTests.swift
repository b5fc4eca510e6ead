import Foundation
import HummingbirdTesting
import Koe
@testable import KoeServer
import Testing

@Suite("Info, dev and metrics routes on a fake synthesizer")
struct RouteTests {
    @Test("health, ready, models and one model")
    func info() async throws {
        try await withFakeApp { client in
            let health = try await client.execute(uri: "/health", method: .get)
            #expect(health.status == .ok && health.object["status"] as? String == "healthy")
            let ready = try await client.execute(uri: "/ready", method: .get)
            #expect(ready.status == .ok && ready.object["status"] as? String == "ready" && ready.object["voices"] as? Int == 3)
            let models = try await client.execute(uri: "/v1/models", method: .get)
            #expect(models.object["object"] as? String == "list")
            #expect((models.object["data"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["kokoro", "tts-1", "tts-1-hd", "gpt-4o-mini-tts"])
            let one = try await client.execute(uri: "/v1/models/tts-1", method: .get)
            #expect(one.object["id"] as? String == "tts-1" && one.object["object"] as? String == "model")
            let none = try await client.execute(uri: "/v1/models/whisper-1", method: .get)
            #expect(none.status == .notFound && none.apiError?.code == "model_not_found")
        }
    }

    @Test("voices as objects with language and gender; legacy names")
    func voices() async throws {
        try await withFakeApp { client in
            let r = try await client.execute(uri: "/v1/audio/voices", method: .get)
            let voices = r.object["voices"] as? [[String: String]] ?? []
            #expect(voices.map { $0["id"] } == ["af_heart", "jf_alpha", "jm_kumo"])
            #expect(voices[1] == ["id": "jf_alpha", "name": "Alpha", "language": "ja", "gender": "female"])
            #expect(voices[2]["gender"] == "male" && voices[0]["language"] == "en-US")
            #expect((r.object["openai_voices"] as? [String: String])?["alloy"] == "af_heart")
            let legacy = try await client.execute(uri: "/v1/audio/voices?legacy=true", method: .get)
            #expect(legacy.object["voices"] as? [String] == ["af_heart", "jf_alpha", "jm_kumo"])
        }
    }

    @Test("phonemize and speak phonemes")
    func dev() async throws {
        try await withFakeApp { client in
            let p = try await client.execute(uri: "/dev/phonemize", method: .post, headers: jsonHeaders, body: json(["text": "Hello", "language": "a"]))
            #expect(p.object["phonemes"] as? String == "hello" && (p.object["tokens"] as? [Int])?.count == 5)
            let badLanguage = try await client.execute(uri: "/dev/phonemize", method: .post, headers: jsonHeaders, body: json(["text": "Hello", "language": "xx"]))
            #expect(badLanguage.status == .badRequest && badLanguage.apiError?.param == "language")
            let wav = try await client.execute(uri: "/dev/generate_from_phonemes", method: .post, headers: jsonHeaders,
                                               body: json(["phonemes": "abc", "voice": "jf_alpha"]))
            #expect(wav.status == .ok && wav.headers[.contentType] == "audio/wav")
            #expect(wav.bytes.count == 44 + 2 * 600 * 5)
            let long = try await client.execute(uri: "/dev/generate_from_phonemes", method: .post, headers: jsonHeaders,
                                                body: json(["phonemes": String(repeating: "a", count: 511)]))
            #expect(long.status == .badRequest && long.apiError?.message.contains("510") == true)
            let bad = try await client.execute(uri: "/dev/generate_from_phonemes", method: .post, headers: jsonHeaders,
                                               body: json(["phonemes": "a#b"]))
            #expect(bad.status == .badRequest)
        }
    }

    @Test("metrics count requests by route and status and record time to first byte and audio")
    func metrics() async throws {
        try await withFakeApp { client in
            _ = try await client.execute(uri: "/v1/audio/speech", method: .post, headers: jsonHeaders, body: json(["input": "One two."]))
            _ = try await client.execute(uri: "/v1/audio/speech", method: .post, headers: jsonHeaders, body: json(["input": ""]))
            _ = try await client.execute(uri: "/nowhere", method: .get)
            let text = try await client.execute(uri: "/metrics", method: .get).text
            #expect(text.contains(#"koe_http_requests_total{route="/v1/audio/speech",method="POST",status="200"} 1"#))
            #expect(text.contains(#"koe_http_requests_total{route="/v1/audio/speech",method="POST",status="400"} 1"#))
            #expect(text.contains(#"koe_http_requests_total{route="unmatched",method="GET",status="404"} 1"#))
            #expect(text.contains("koe_time_to_first_byte_seconds_count 1"))
            #expect(text.contains("koe_audio_seconds_total 0.4"))
            #expect(text.contains("koe_real_time_factor_count 1"))
            #expect(text.contains("koe_queue_depth 0"))
        }
    }

    @Test("the OpenAPI document is 3.1, lists every route with its methods, and carries the input limit")
    func openAPI() async throws {
        try await withFakeApp(ServerConfiguration(maxInputCharacters: 300)) { client in
            let doc = try await client.execute(uri: "/openapi.json", method: .get).object
            #expect(doc["openapi"] as? String == "3.1.0")
            let paths = doc["paths"] as? [String: [String: Any]] ?? [:]
            for route in Routes.table {
                #expect(Set(paths[route.path]?.keys.map { $0.uppercased() } ?? []) == Set(route.methods.map(\.rawValue)), "\(route.path)")
            }
            let schemas = (doc["components"] as? [String: Any])?["schemas"] as? [String: Any]
            let input = ((schemas?["SpeechRequest"] as? [String: Any])?["properties"] as? [String: Any])?["input"] as? [String: Any]
            #expect(input?["maxLength"] as? Int == 300)
        }
    }
}

@Suite("The web page's files")
struct WebPageTests {
    @Test("/ and /web serve the page, /web/{file} its script and style, other names 404; no API key needed")
    func files() async throws {
        try await withFakeApp(ServerConfiguration(apiKey: "k")) { client in
            for path in ["/", "/web", "/web/index.html"] {
                let r = try await client.execute(uri: path, method: .get)
                #expect(r.status == .ok && r.headers[.contentType] == "text/html; charset=utf-8" && r.text.contains("<title>Koe</title>"), "\(path)")
            }
            let js = try await client.execute(uri: "/web/app.js", method: .get)
            #expect(js.headers[.contentType] == "text/javascript; charset=utf-8" && js.text.contains("speech.audio.delta"))
            #expect(try await client.execute(uri: "/web/style.css", method: .get).status == .ok)
            // Every module the page's script imports is served too, as JavaScript.
            let imports = js.text.components(separatedBy: "from \"./").dropFirst().compactMap { $0.components(separatedBy: "\"").first }
            #expect(Set(imports) == ["audio.js", "captions.js"])
            for name in imports {
                let module = try await client.execute(uri: "/web/\(name)", method: .get)
                #expect(module.status == .ok && module.headers[.contentType] == "text/javascript; charset=utf-8" && module.text.contains("export "), "\(name)")
            }
            #expect(try await client.execute(uri: "/web/secrets.txt", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/v1/audio/voices", method: .get).status == .unauthorized)
        }
    }
}
