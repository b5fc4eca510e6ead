import Foundation
import KoeCompute
import Testing
import ZIPFoundation
@testable import KokoroModel

@Suite("Voices: packs, single voices and style rows")
struct VoiceTests {
    @Test("voices_ja.npz: five 510-row voices; row n−1 is the oracle's style")
    func realPack() throws {
        let pack = try VoicePack(contentsOf: try TestData.require(TestData.voicesURL))
        #expect(pack.names == ["jf_alpha", "jf_gongitsune", "jf_nezumi", "jf_tebukuro", "jm_kumo"])
        for name in pack.names { #expect(try pack.table(for: name).shape == [510, 256]) }
        let oracle = try NPZ.read(try TestData.require(TestData.oracle("ja_short")))
        let phonemes = 23
        #expect(try pack.style(for: "jf_alpha", phonemeCount: phonemes) == oracle["style"]?.floats)
        #expect(oracle["_meta_json"] == nil, "string entries are skipped")
        #expect(oracle["speed"]?.shape == [])
        #expect(oracle["tokens"]?.ints.count == phonemes + 2)
    }

    @Test("npz packs, stored or deflated, any extension, [rows,1,256] / [rows,256] / [256], f4 or f8",
          arguments: [false, true])
    func npzPack(deflate: Bool) throws {
        let dir = try TestData.temporaryDirectory()
        defer { TestData.cleanUp(dir) }
        let url = dir.appendingPathComponent("voices-v1.0.bin")
        try VoiceFixtures.npz([
            ("af_a", VoiceFixtures.npy(VoiceFixtures.table(voice: 1, rows: 510), shape: [510, 1, 256])),
            ("af_b", VoiceFixtures.npy(VoiceFixtures.table(voice: 2, rows: 4), shape: [4, 256], version: 2)),
            ("af_c", VoiceFixtures.npy(float64: VoiceFixtures.table(voice: 3, rows: 1).map(Double.init), shape: [256])),
            ("notes", VoiceFixtures.npy(descr: "<U5", shape: [], payload: [UInt8](repeating: 0, count: 20))),
        ], at: url, compression: deflate ? .deflate : .none)

        let pack = try VoicePack(contentsOf: url)
        #expect(pack.names == ["af_a", "af_b", "af_c"])
        #expect(try pack.table(for: "af_a") == Tensor(shape: [510, 256], data: VoiceFixtures.table(voice: 1, rows: 510)))
        #expect(try pack.table(for: "af_b").shape == [4, 256])
        #expect(try pack.style(for: "af_c", phonemeCount: 40) == VoiceFixtures.table(voice: 3, rows: 1))
    }

    @Test("single-voice .npy and raw float32 .bin, named after the file")
    func singleVoices() throws {
        let dir = try TestData.temporaryDirectory()
        defer { TestData.cleanUp(dir) }
        let npy = dir.appendingPathComponent("bf_npy.npy")
        try Data(VoiceFixtures.npy(VoiceFixtures.table(voice: 4, rows: 510), shape: [510, 1, 256])).write(to: npy)
        let raw = dir.appendingPathComponent("am_raw.bin")
        try Data(VoiceFixtures.bytes(of: VoiceFixtures.table(voice: 5, rows: 510))).write(to: raw)
        let short = dir.appendingPathComponent("am_short.bin")
        try Data(VoiceFixtures.bytes(of: VoiceFixtures.table(voice: 6, rows: 3))).write(to: short)

        let pack = try VoicePack.load([npy, raw, short])
        #expect(pack.names == ["am_raw", "am_short", "bf_npy"])
        #expect(try pack.table(for: "bf_npy") == Tensor(shape: [510, 256], data: VoiceFixtures.table(voice: 4, rows: 510)))
        #expect(try pack.table(for: "am_raw") == Tensor(shape: [510, 256], data: VoiceFixtures.table(voice: 5, rows: 510)))
        #expect(try pack.table(for: "am_short").shape == [3, 256])
        #expect(try VoicePack.load([]).names.isEmpty)
    }

    @Test("a later file replaces a voice of the same name")
    func mergeOrder() throws {
        let dir = try TestData.temporaryDirectory()
        defer { TestData.cleanUp(dir) }
        let pack = dir.appendingPathComponent("pack.npz")
        try VoiceFixtures.npz([("af_x", VoiceFixtures.npy(VoiceFixtures.table(voice: 1, rows: 2), shape: [2, 256]))], at: pack)
        let single = dir.appendingPathComponent("af_x.bin")
        try Data(VoiceFixtures.bytes(of: VoiceFixtures.table(voice: 9, rows: 2))).write(to: single)
        #expect(try VoicePack.load([pack, single]).style(for: "af_x", phonemeCount: 1)[0] == 9000)
        #expect(try VoicePack.load([single, pack]).style(for: "af_x", phonemeCount: 1)[0] == 1000)
    }

    @Test("style row = min(max(n − 1, 0), rows − 1)",
          arguments: [(0, 0), (1, 0), (2, 1), (23, 22), (510, 509), (511, 509), (10_000, 509), (-5, 0)])
    func styleRow(n: Int, row: Int) throws {
        let pack = try VoicePack(voices: ["v": Tensor(shape: [510, 256], data: VoiceFixtures.table(voice: 0, rows: 510))])
        let style = try pack.style(for: "v", phonemeCount: n)
        #expect(style.count == 256)
        #expect(style[0] == Float(row))
        #expect(VoicePack.row(forPhonemeCount: n, rows: 510) == row)
    }

    @Test("an unknown voice lists the available ones")
    func unknownVoice() throws {
        let pack = try VoicePack(voices: ["b": Tensor(zeros: [1, 256]), "a": Tensor(zeros: [2, 256])])
        let error = #expect(throws: KokoroModelError.self) { try pack.style(for: "zz", phonemeCount: 3) }
        #expect(error == .unknownVoice("zz", available: ["a", "b"]))
        #expect(error.map { "\($0)" } == "unknown voice 'zz'; available voices: a, b")
    }

    @Test("bad voice files: wrong size, shape, dtype, truncated npy")
    func badFiles() throws {
        let dir = try TestData.temporaryDirectory()
        defer { TestData.cleanUp(dir) }
        func write(_ name: String, _ bytes: [UInt8]) throws -> URL {
            let url = dir.appendingPathComponent(name)
            try Data(bytes).write(to: url)
            return url
        }
        let cases: [(URL, String)] = [
            (try write("odd.bin", [UInt8](repeating: 0, count: 1000)), "not a non-zero multiple of 1024"),
            (try write("empty.bin", []), "not a non-zero multiple"),
            (try write("wide.npy", VoiceFixtures.npy([Float](repeating: 0, count: 300), shape: [300])), "has shape [300]"),
            (try write("ints.npy", VoiceFixtures.npy(descr: "<i4", shape: [256], payload: [UInt8](repeating: 0, count: 1024))), "integers"),
            (try write("text.npy", VoiceFixtures.npy(descr: "<U3", shape: [2], payload: [UInt8](repeating: 0, count: 24))), "dtype '<U3'"),
            (try write("cut.npy", Array(VoiceFixtures.npy([Float](repeating: 0, count: 512), shape: [2, 256]).dropLast(10))), "truncated"),
        ]
        for (url, message) in cases {
            let error = #expect(throws: KokoroModelError.self) { try VoicePack(contentsOf: url) }
            #expect(error.map { "\($0)" }?.contains(message) == true, "\(url.lastPathComponent): \(String(describing: error))")
        }
        #expect(throws: KokoroModelError.self) { try VoicePack(contentsOf: dir.appendingPathComponent("absent.npz")) }
        #expect(throws: KokoroModelError.self) { try VoicePack(voices: ["x": Tensor(zeros: [4, 128])]) }
    }

    @Test("NPY: Fortran order, big endian, integer dtypes")
    func npyVariants() throws {
        let fortran = VoiceFixtures.npy(descr: "<f4", shape: [2, 3], payload: VoiceFixtures.bytes(of: [1, 4, 2, 5, 3, 6]), fortran: true)
        #expect(try NPYArray(npy: Data(fortran), name: "f").floats == [1, 2, 3, 4, 5, 6])
        let big = VoiceFixtures.npy(descr: ">f4", shape: [2], payload: [0x3F, 0x80, 0, 0, 0x40, 0, 0, 0])
        #expect(try NPYArray(npy: Data(big), name: "b").floats == [1, 2])
        let i64 = VoiceFixtures.npy(descr: "<i8", shape: [2], payload: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 7, 0, 0, 0, 0, 0, 0, 0])
        #expect(try NPYArray(npy: Data(i64), name: "i").values == .int64([-1, 7]))
        let u8 = VoiceFixtures.npy(descr: "|u1", shape: [3], payload: [0, 128, 255])
        #expect(try NPYArray(npy: Data(u8), name: "u").ints == [0, 128, 255])
        #expect(throws: KokoroModelError.self) { try NPYArray(npy: Data([0x93, 0x4E, 0x55]), name: "short") }
    }
}
