import Testing
@testable import KoeCompute
@testable import KokoroModel

/// Which convolutions run in integers: only weights already on an 8-bit grid (the int8 file).
@Suite struct PrecisionTests {
    static func weights(onGrid: Bool) -> Conv1dWeights {
        let scale: Float = 0.0123, zp: Float = 70
        let values = (0..<(8 * 8 * 3)).map { k -> Float in
            let q = Float((k * 37) % 256)
            return onGrid ? (q - zp) * scale : (q - zp) * scale + 0.37 * scale * Float(k % 5) / 4
        }
        return Conv1dWeights(weight: Tensor(shape: [8, 8, 3], data: values), bias: nil)
    }

    @Test func gridWeightsRunInIntegersOthersStayFloat() throws {
        try #require(QuantizedConv1d.isAvailable)
        #expect(Convolution(Self.weights(onGrid: true), int8: true).isInt8)
        #expect(!Convolution(Self.weights(onGrid: false), int8: true).isInt8)
        #expect(!Convolution(Self.weights(onGrid: true), int8: false).isInt8)
    }

    @Test func theProvisionedInt8ModelRunsItsGeneratorInIntegers() throws {
        try #require(QuantizedConv1d.isAvailable)
        #expect(try Fixtures.engine().network.int8 == KokoroNetwork.int8ByDefault)
    }
}
