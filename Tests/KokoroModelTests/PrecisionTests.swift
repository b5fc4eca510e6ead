import Testing
@testable import KoeCompute
@testable import KokoroModel

/// Which convolutions run in integers: only weights already on the int8 file's 128-level grid.
@Suite struct PrecisionTests {
    static func weights(onGrid: Bool, levels: Int = 128) -> Conv1dWeights {
        let scale: Float = 0.0123, zp: Float = 70
        let values = (0..<(8 * 8 * 3)).map { k -> Float in
            let q = Float((k * 37) % levels)
            return onGrid ? (q - zp) * scale : (q - zp) * scale + 0.37 * scale * Float(k % 5) / 4
        }
        return Conv1dWeights(weight: Tensor(shape: [8, 8, 3], data: values), bias: nil)
    }

    @Test func gridWeightsRunInIntegersOthersStayFloat() throws {
        try #require(QuantizedConv1d.isAvailable)
        #expect(Convolution(Self.weights(onGrid: true), int8: true).isInt8)
        #expect(!Convolution(Self.weights(onGrid: false), int8: true).isInt8)
        #expect(!Convolution(Self.weights(onGrid: true), int8: false).isInt8)
        // A full 256-level grid would need 8-bit weights, which CPUs without VNNI cannot sum
        // exactly: such weights stay float.
        #expect(!Convolution(Self.weights(onGrid: true, levels: 256), int8: true).isInt8)
    }

    @Test func theProvisionedInt8ModelRunsItsGeneratorInIntegers() throws {
        try #require(QuantizedConv1d.isAvailable)
        #expect(try Fixtures.engine().network.int8 == KokoroNetwork.int8ByDefault)
    }
}
