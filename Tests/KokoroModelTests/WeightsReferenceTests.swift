import Foundation
import KoeCompute
import Testing
@testable import KokoroModel

/// The real int8 model, converted once per test process and shared by the suites.
enum SharedWeights {
    static let int8: Result<WeightStore, any Error> = Result {
        try ONNXWeightExtractor.load(model: try TestData.require(TestData.modelURL))
    }

    static func store() throws -> WeightStore {
        try int8.get()
    }
}

@Suite("Weights: int8 model against the reference extractor")
struct WeightsReferenceTests {
    @Test("all 458 tensors equal kokoro_onnx_weights.py --npz")
    func matchesReferenceExtractor() throws {
        let store = try SharedWeights.store()
        let reference = try NPZ.read(try TestData.require(TestData.referenceWeightsURL), verifyChecksums: false)
        #expect(store.tensors.count == 458)
        #expect(reference.count == 458)
        #expect(Set(store.names) == Set(reference.keys))
        var worst = (name: "", diff: Float(0))
        for (name, array) in reference.sorted(by: { $0.key < $1.key }) {
            guard let t = store[name] else { continue }
            #expect(t.shape == array.shape, "\(name)")
            let want = array.floats
            guard t.count == want.count else { continue }
            let scale = max(1, want.reduce(Float(0)) { max($0, abs($1)) })
            var diff: Float = 0
            for i in 0..<want.count { diff = max(diff, abs(t.data[i] - want[i])) }
            #expect(diff <= 1e-6 * scale, "\(name): max |Δ| = \(diff)")
            if diff > worst.diff { worst = (name, diff) }
        }
        #expect(worst.diff == 0, "largest difference \(worst.diff) in \(worst.name)")
    }

    @Test("parameter count after folding: 81.14 M plus the iSTFT basis")
    func parameterCount() throws {
        let store = try SharedWeights.store()
        let basis = store["decoder.generator.stft.inverse_basis"]?.count ?? 0
        #expect(basis == 22 * 20)
        #expect(abs(store.parameterCount - basis - 81_140_000) < 10_000)
    }
}
