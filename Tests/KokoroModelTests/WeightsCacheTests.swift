import Foundation
import KoeCompute
import Testing
@testable import KokoroModel

@Suite("Weights: converted-weights cache")
struct WeightsCacheTests {
    let key = WeightCache.SourceKey(size: 1234, modificationTime: 1_700_000_000.25)

    var smallStore: WeightStore {
        WeightStore(tensors: [
            "a.weight": Tensor(shape: [3, 5], data: (0..<15).map { Float($0) * 0.5 }),
            "b.bias": Tensor(shape: [7], data: (0..<7).map { -Float($0) }),
            "c.scalarish": Tensor(shape: [1], data: [.pi]),
            "d.conv": Tensor(shape: [2, 3, 4], data: (0..<24).map { Float($0).squareRoot() }),
        ])
    }

    @Test("write then read gives the same tensors, 64-byte aligned")
    func roundTripSmall() throws {
        let dir = try TestData.temporaryDirectory()
        defer { TestData.cleanUp(dir) }
        let url = dir.appendingPathComponent("small.koeweights")
        try WeightCache.write(smallStore, source: key, to: url)
        let back = try WeightCache.read(url, source: key)
        #expect(back.tensors == smallStore.tensors)
        let bytes = [UInt8](try Data(contentsOf: url))
        #expect(Array(bytes[0..<8]) == Array("KOEWCACH".utf8))
        let dataOffset = bytes[40..<48].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        #expect(dataOffset % 64 == 0)
        #expect((bytes.count - dataOffset) % 64 == 0)
        // No temporary file is left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["small.koeweights"])
    }

    @Test("a cache from another model version, a truncated or a corrupted cache is rejected")
    func rejectsBadCaches() throws {
        let dir = try TestData.temporaryDirectory()
        defer { TestData.cleanUp(dir) }
        let url = dir.appendingPathComponent("small.koeweights")
        try WeightCache.write(smallStore, source: key, to: url)
        let good = [UInt8](try Data(contentsOf: url))

        let otherModel = WeightCache.SourceKey(size: 1235, modificationTime: key.modificationTime)
        #expect(throws: WeightCache.Invalid.self) { try WeightCache.read(url, source: otherModel) }

        var variants: [(String, [UInt8])] = [("empty", []), ("header only", Array(good[0..<64]))]
        for cut in [1, 63, 64, 100, good.count - 1] { variants.append(("truncated by \(cut)", Array(good.dropLast(cut)))) }
        for position in [0, 9, 13, 33, 41, 70, good.count - 4, good.count - 1] {
            var flipped = good
            flipped[position] ^= 0x10
            variants.append(("byte \(position) flipped", flipped))
        }
        variants.append(("one byte appended", good + [0]))
        for (label, bytes) in variants {
            try Data(bytes).write(to: url)
            #expect(throws: WeightCache.Invalid.self, "\(label)") { try WeightCache.read(url, source: key) }
        }
    }

    @Test("the loader converts once, then reads the cache; a corrupted or truncated cache is rebuilt")
    func loaderUsesAndRepairsCache() throws {
        let model = try TestData.require(TestData.modelURL)
        let dir = try TestData.temporaryDirectory()
        defer { TestData.cleanUp(dir) }
        let cacheDir = dir.appendingPathComponent("cache/nested")

        let first = try KokoroWeightsLoader.loadReportingSource(model: model, cacheDirectory: cacheDir, logger: nil)
        #expect(first.source == .model(rejectedCache: nil))
        let cacheURL = WeightCache.url(for: model, in: cacheDir)
        #expect(FileManager.default.fileExists(atPath: cacheURL.path))

        let clock = ContinuousClock()
        let start = clock.now
        let second = try KokoroWeightsLoader.loadReportingSource(model: model, cacheDirectory: cacheDir, logger: nil)
        print("weight cache load: \(clock.now - start) for \(second.store.parameterCount) floats")
        #expect(second.source == .cache)
        #expect(second.store.tensors == first.store.tensors)

        // Flip one float in the middle of the data section.
        var bytes = [UInt8](try Data(contentsOf: cacheURL))
        bytes[bytes.count / 2] ^= 0x40
        try Data(bytes).write(to: cacheURL)
        let repaired = try KokoroWeightsLoader.loadReportingSource(model: model, cacheDirectory: cacheDir, logger: nil)
        guard case .model(let reason?) = repaired.source else {
            Issue.record("corrupted cache was trusted: \(repaired.source)")
            return
        }
        #expect(reason.contains("checksum"))
        #expect(repaired.store.tensors == first.store.tensors)
        #expect(try KokoroWeightsLoader.loadReportingSource(model: model, cacheDirectory: cacheDir, logger: nil).source == .cache)

        try Data(bytes.prefix(bytes.count / 3)).write(to: cacheURL)
        let afterTruncation = try KokoroWeightsLoader.loadReportingSource(model: model, cacheDirectory: cacheDir, logger: nil)
        guard case .model(let truncatedReason?) = afterTruncation.source else {
            Issue.record("truncated cache was trusted: \(afterTruncation.source)")
            return
        }
        #expect(truncatedReason.contains("truncated"))
        #expect(afterTruncation.store.tensors == first.store.tensors)
    }

    @Test("an unwritable cache directory does not prevent loading")
    func unwritableCacheDirectory() throws {
        let model = try TestData.require(TestData.modelURL)
        let dir = try TestData.temporaryDirectory()
        defer { TestData.cleanUp(dir) }
        let file = dir.appendingPathComponent("not-a-directory")
        try Data([1, 2, 3]).write(to: file)
        let store = try KokoroWeightsLoader.load(model: model, cacheDirectory: file.appendingPathComponent("cache"))
        #expect(store.tensors.count == 458)
    }

    @Test("cache files are named per model path")
    func cacheNames() {
        let dir = URL(fileURLWithPath: "/tmp/cache")
        let a = WeightCache.url(for: URL(fileURLWithPath: "/a/kokoro-v1.0.int8.onnx"), in: dir)
        let b = WeightCache.url(for: URL(fileURLWithPath: "/b/kokoro-v1.0.int8.onnx"), in: dir)
        #expect(a != b)
        #expect(a.lastPathComponent.hasPrefix("kokoro-v1.0.int8-"))
        #expect(a.pathExtension == "koeweights")
    }
}
