import Foundation
import HummingbirdTesting
import Koe
import KoeAudio
@testable import KoeServer
import Testing

@Suite("Speech routes on a fake synthesizer")
struct SpeechRouteTests {
    static let text = "One two three. Four five."
    /// The fake speaks 0.2 s per word: 5 words.
    static let samples = 5 * FakeSynthesizer.samplesPerWord

    static let magic: [(AudioFormat, String, [UInt8])] = [
        (.wav, "audio/wav", Array("RIFF".utf8)), (.flac, "audio/flac", Array("fLaC".utf8)), (.opus, "audio/ogg", Array("OggS".utf8)),
        (.aac, "audio/aac", [0xFF]), (.mp3, "audio/mpeg", [0xFF]),
    ]

    @Test("every format streams with its content type and container", arguments: magic)
    func formats(format: AudioFormat, contentType: String, magic: [UInt8]) async throws {
        try await withFakeApp { client in
            try await client.execute(uri: "/v1/audio/speech", method: .post, headers: jsonHeaders,
                                     body: json(["model": "tts-1", "input": Self.text, "voice": "jf_alpha", "response_format": format.rawValue])) { r in
                #expect(r.status == .ok)
                #expect(r.headers[.contentType] == contentType)
                #expect(Array(r.bytes.prefix(magic.count)) == magic)
                #expect(r.bytes.count > 200)
            }
        }
    }

    @Test("pcm is headerless s16le: exactly two bytes per sample, the fake's tone")
    func pcm() async throws {
        try await withFakeApp { client in
            try await client.execute(uri: "/v1/audio/speech", method: .post, headers: jsonHeaders,
                                     body: json(["input": Self.text, "response_format": "pcm"])) { r in
                #expect(r.headers[.contentType] == "audio/L16; rate=24000; channels=1")
                #expect(r.bytes.count == 2 * Self.samples)
                let s = int16s(r.bytes[...])
                #expect(s[6] == Int16((0.5 * sin(2 * Double.pi * 440 * 6 / 24_000) * 32_767).rounded()))
            }
        }
    }

    @Test("volume_multiplier scales the samples")
    func volume() async throws {
        try await withFakeApp { client in
            let loud = try await client.execute(uri: "/v1/audio/speech", method: .post, headers: jsonHeaders,
                                                body: json(["input": "Hi.", "response_format": "pcm"])).bytes
            let quiet = try await client.execute(uri: "/v1/audio/speech", method: .post, headers: jsonHeaders,
                                                 body: json(["input": "Hi.", "response_format": "pcm", "volume_multiplier": 0.5])).bytes
            let a = int16s(loud[...]).map { abs(Int($0)) }.max() ?? 0
            let b = int16s(quiet[...]).map { abs(Int($0)) }.max() ?? 0
            #expect(abs(Double(b) / Double(a) - 0.5) < 0.01)
        }
    }

    @Test("stream: false sends one file with an exact WAV header")
    func wholeFile() async throws {
        try await withFakeApp { client in
            try await client.execute(uri: "/v1/audio/speech", method: .post, headers: jsonHeaders,
                                     body: json(["input": Self.text, "response_format": "wav", "stream": false])) { r in
                #expect(r.headers[.contentLength] == String(r.bytes.count))
                let riff = UInt32(r.bytes[4]) | UInt32(r.bytes[5]) << 8 | UInt32(r.bytes[6]) << 16 | UInt32(r.bytes[7]) << 24
                #expect(Int(riff) == r.bytes.count - 8)
                #expect(r.bytes.count == 44 + 2 * Self.samples)
            }
        }
    }

    @Test("SSE: a delta then the words of each chunk, then done with usage")
    func sse() async throws {
        try await withFakeApp { client in
            try await client.execute(uri: "/v1/audio/speech", method: .post, headers: jsonHeaders,
                                     body: json(["input": Self.text, "stream_format": "sse", "response_format": "pcm"])) { r in
                #expect(r.headers[.contentType] == "text/event-stream")
                #expect(r.text.hasPrefix("data: {"))
                #expect(r.text.hasSuffix("}\n\n"))
                let events = sseEvents(r.text)
                #expect(events.map { $0["type"] as? String } == ["speech.audio.delta", "speech.words", "speech.audio.delta", "speech.words", "speech.audio.done"])
                let audio = events.compactMap { $0["audio"] as? String }.map { Data(base64Encoded: $0)?.count ?? -1 }
                #expect(audio.reduce(0, +) == 2 * Self.samples)
                let words = events.compactMap { $0["words"] as? [[String: Any]] }.flatMap { $0 }
                #expect(words.map { $0["text"] as? String } == ["One", "two", "three", "Four", "five"])
                #expect(words[3]["start"] as? Double == 0.6 && words[3]["charStart"] as? Int == 15 && words[3]["charEnd"] as? Int == 19)
                let usage = events.last?["usage"] as? [String: Int]
                #expect(usage == ["input_tokens": 9, "output_tokens": 44, "total_tokens": 53])
            }
        }
    }

    @Test("an error after the first chunk becomes an SSE error event")
    func sseError() async throws {
        try await withFakeApp { client in
            try await client.execute(uri: "/v1/audio/speech", method: .post, headers: jsonHeaders,
                                     body: json(["input": "Fine here. FAIL now.", "stream_format": "sse"])) { r in
                let events = sseEvents(r.text)
                #expect(events.last?["type"] as? String == "error")
                #expect((events.last?["error"] as? [String: Any])?["type"] as? String == "invalid_request_error")
            }
        }
    }

    @Test("captioned speech: one JSON object, or NDJSON by chunk, words as written", arguments: ["/v1/audio/captioned_speech", "/dev/captioned_speech"])
    func captioned(path: String) async throws {
        try await withFakeApp { client in
            let input = "It costs $18.50. Really."
            try await client.execute(uri: path, method: .post, headers: jsonHeaders,
                                     body: json(["input": input, "response_format": "wav", "stream": false])) { r in
                #expect(r.headers[.contentType] == "application/json")
                let o = r.object
                #expect(o["audio_format"] as? String == "wav")
                #expect(Data(base64Encoded: o["audio"] as? String ?? "")?.count == 44 + 2 * 4 * FakeSynthesizer.samplesPerWord)
                let ts = o["timestamps"] as? [[String: Any]] ?? []
                #expect(ts.map { $0["word"] as? String } == ["It", "costs", "$18.50", "Really"])
                #expect(ts.first?["start_time"] as? Double == 0 && ts.first?["end_time"] as? Double == 0.2)
            }
            try await client.execute(uri: path, method: .post, headers: jsonHeaders,
                                     body: json(["input": Self.text, "response_format": "pcm"])) { r in
                #expect(r.headers[.contentType] == "application/x-ndjson")
                let lines = r.text.split(separator: "\n").map { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] ?? [:] }
                #expect(lines.count == 2)
                #expect(lines.map { ($0["timestamps"] as? [Any])?.count } == [3, 2])
                #expect(lines.allSatisfy { $0["audio_format"] as? String == "pcm" })
            }
        }
    }

    @Test("voices: OpenAI names map, {\"id\"} works, blends are checked name by name")
    func voices() async throws {
        try await withFakeApp { client in
            for (voice, expected) in [("alloy", "af_heart"), ("jm_kumo", "jm_kumo"), ("jf_alpha(2)+jm_kumo(1)", "jf_alpha(2)+jm_kumo(1)"),
                                      ("nova+jm_kumo", "af_heart+jm_kumo")] as [(String, String)] {
                let r = try await client.execute(uri: "/v1/audio/speech", method: .post, headers: jsonHeaders,
                                                 body: json(["input": "Hi.", "voice": voice, "response_format": "pcm"]))
                #expect(r.status == .ok)
                #expect(r.headers[.init("X-Koe-Voice")!] == expected, "\(voice)")
            }
            let r = try await client.execute(uri: "/v1/audio/speech", method: .post, headers: jsonHeaders,
                                             body: json(["input": "Hi.", "voice": ["id": "jf_alpha"], "response_format": "pcm"]))
            #expect(r.headers[.init("X-Koe-Voice")!] == "jf_alpha")
        }
    }

    @Test("OpenAI's whole speed range reaches the synthesizer unchanged; beyond it, 400 stating the rule")
    func speedRange() async throws {
        let fake = FakeSynthesizer()
        try await withFakeApp(synthesizer: fake) { client in
            for speed in [4.0, 0.25, 1.5] {
                let r = try await client.execute(uri: "/v1/audio/speech", method: .post, headers: jsonHeaders,
                                                 body: json(["input": "Hi.", "speed": speed, "response_format": "pcm"]))
                #expect(r.status == .ok)
                #expect(fake.lastOptions?.speed == Float(speed))
            }
            let r = try await client.execute(uri: "/v1/audio/speech", method: .post, headers: jsonHeaders,
                                             body: json(["input": "Hi.", "speed": 4.5]))
            #expect(r.status == .badRequest && r.apiError?.param == "speed")
            #expect(r.apiError?.message.contains("4.5") == true && r.apiError?.message.contains("between 0.25 and 4.0") == true)
        }
    }

    @Test("normalization_options map onto Koe's switches; those it has no reading for are type-checked only")
    func normalizationOptions() async throws {
        let fake = FakeSynthesizer()
        try await withFakeApp(synthesizer: fake) { client in
            let cases: [([String: Any]?, TextNormalization)] = [
                (nil, .default),
                ([:], .default),
                (["normalize": false, "url_normalization": true], .none),
                (["normalize": true, "url_normalization": false], TextNormalization(urls: false)),
                (["email_normalization": false, "replace_remaining_symbols": false], TextNormalization(emails: false, symbols: false)),
                (["unit_normalization": true, "phone_normalization": false, "optional_pluralization_normalization": false], .default),
            ]
            for (options, expected) in cases {
                var body: [String: Any] = ["input": "Hi.", "response_format": "pcm"]
                if let options { body["normalization_options"] = options }
                let r = try await client.execute(uri: "/v1/audio/speech", method: .post, headers: jsonHeaders, body: json(body))
                #expect(r.status == .ok)
                #expect(fake.lastOptions?.normalization == expected, "\(options ?? [:])")
            }
            for bad in [["phone_normalization": "yes"], ["normalize": 1], ["normalize": false, "url_normalization": "no"]] as [[String: Any]] {
                let r = try await client.execute(uri: "/v1/audio/speech", method: .post, headers: jsonHeaders,
                                                 body: json(["input": "Hi.", "normalization_options": bad]))
                #expect(r.status == .badRequest, "\(bad)")
            }
        }
    }
}
