import Foundation
import Testing
@testable import Koe
import KoeCompute
import KokoroModel

@Suite struct VoiceBlendTests {
    static func pack() throws -> VoicePack {
        func table(_ v: Float) -> Tensor { Tensor(shape: [3, 256], data: (0..<768).map { v + Float($0 % 256) / 1000 }) }
        return try VoicePack(voices: ["af_a": table(1), "af_b": table(4), "bm_c": table(-2)])
    }

    @Test func parsesKokoroFastAPISyntax() throws {
        #expect(try VoiceBlend("af_a").terms == [.init(name: "af_a", weight: 1, sign: 1)])
        #expect(try VoiceBlend("af_a + af_b").terms.map(\.name) == ["af_a", "af_b"])
        let weighted = try VoiceBlend("af_a(2)+af_b(1)")
        #expect(weighted.terms.map(\.weight) == [2, 1])
        let minus = try VoiceBlend("af_a-af_b")
        #expect(minus.terms.map(\.sign) == [1, -1])
        #expect(try VoiceBlend("af_a(0.5)-bm_c").primaryName == "af_a")
    }

    @Test(arguments: ["", "+", "af_a+", "af_a(0)", "af_a(x)+af_b", "af_a(2", "a b", "af_a--af_b"])
    func rejectsMalformedExpressions(_ expression: String) {
        #expect(throws: KoeError.self) { try VoiceBlend(expression) }
    }

    @Test func blendsWithNormalisedWeights() throws {
        let pack = try Self.pack()
        let a = try pack.table(for: "af_a").data, b = try pack.table(for: "af_b").data
        let equal = try VoiceBlend("af_a+af_b").styleTable(from: pack)
        #expect(equal.shape == [3, 256])
        for k in [0, 100, 767] { #expect(abs(equal.data[k] - (a[k] + b[k]) / 2) < 1e-6) }
        let weighted = try VoiceBlend("af_a(2)+af_b(1)").styleTable(from: pack)
        for k in [0, 300] { #expect(abs(weighted.data[k] - (2 * a[k] + b[k]) / 3) < 1e-6) }
        let minus = try VoiceBlend("af_a-af_b").styleTable(from: pack)
        for k in [5, 600] { #expect(abs(minus.data[k] - (a[k] - b[k]) / 2) < 1e-6) }
        #expect(try VoiceBlend("af_b").styleTable(from: pack).data == b)
    }

    @Test func unknownVoiceListsTheVoices() throws {
        let pack = try Self.pack()
        #expect(throws: KokoroModelError.unknownVoice("zz", available: ["af_a", "af_b", "bm_c"])) {
            try VoiceBlend("af_a+zz").styleTable(from: pack)
        }
    }

    @Test func savedBlendLoadsBackAsAVoice() throws {
        let pack = try Self.pack()
        let blend = try VoiceBlend("af_a(3)+bm_c(1)").styleTable(from: pack)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("koe-blend-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("my_voice.npy")
        try VoicePack.write(blend, to: url)
        let loaded = try VoicePack(contentsOf: url)
        #expect(loaded.names == ["my_voice"])
        #expect(try loaded.table(for: "my_voice").data == blend.data)
    }
}
