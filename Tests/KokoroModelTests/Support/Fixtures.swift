import Foundation
import Testing
@testable import KoeCompute
@testable import KokoroModel

/// The engine and oracle dumps, loaded once per test process.
enum Fixtures {
    static let engineResult: Result<KokoroEngine, Error> = Result {
        let files = ModelFiles(
            model: try TestData.require(TestData.modelURL),
            voices: [try TestData.require(TestData.voicesURL)],
            vocabulary: try TestData.require(TestData.vocabURL),
            cacheDirectory: TestData.home.appendingPathComponent("cache", isDirectory: true))
        return try KokoroEngine(files: files)
    }

    static func engine() throws -> KokoroEngine { try engineResult.get() }

    /// An oracle dump as tensors (float32; integer taps converted).
    static func oracle(_ name: String) throws -> Oracle {
        let arrays = try NPZ.read(try TestData.require(TestData.oracle(name)))
        return Oracle(arrays: arrays)
    }

    struct Oracle {
        let arrays: [String: NPYArray]
        func floats(_ k: String) throws -> [Float] {
            guard let a = arrays[k] else { throw MissingTap(name: k) }
            return a.floats
        }
        func ints(_ k: String) throws -> [Int] {
            guard let a = arrays[k] else { throw MissingTap(name: k) }
            return a.ints
        }
        /// The tap as a 2-D tensor `[rows, cols]` (leading batch dimensions of 1 dropped).
        func matrix(_ k: String, _ rows: Int, _ cols: Int) throws -> Tensor {
            let v = try floats(k)
            guard v.count == rows * cols else { throw MissingTap(name: "\(k) with \(rows)x\(cols) values (has \(v.count))") }
            return Tensor(shape: [rows, cols], data: v)
        }
        var tokens: [Int] { get throws { try ints("tokens") } }
        var style: [Float] { get throws { try floats("style") } }
        var speed: Float { get throws { try floats("speed").first ?? 1 } }
    }

    struct MissingTap: Error, CustomStringConvertible {
        let name: String
        var description: String { "oracle dump has no tap \(name): rebuild it with scripts/make_test_data.sh" }
    }
}

/// Relative L2 error ‖a − b‖ / ‖b‖.
func relativeL2(_ a: [Float], _ b: [Float]) -> Double {
    guard a.count == b.count else { return .infinity }
    var n = 0.0, d = 0.0
    for i in 0..<a.count {
        let x = Double(a[i]) - Double(b[i])
        n += x * x
        d += Double(b[i]) * Double(b[i])
    }
    return (n / max(d, 1e-30)).squareRoot()
}
