import Foundation
import Testing
@testable import KokoroModel

@Suite("Weights: bad files give clear errors")
struct WeightsErrorTests {
    /// Writes `bytes` to a temporary file and returns the error of loading it.
    func loadError(_ bytes: [UInt8], name: String = "model.onnx") throws -> KokoroModelError? {
        let dir = try TestData.temporaryDirectory()
        defer { TestData.cleanUp(dir) }
        let url = dir.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return #expect(throws: KokoroModelError.self) { try KokoroWeightsLoader.load(model: url, cacheDirectory: nil) }
    }

    @Test("a truncated download of the real model", arguments: [1_000, 1_000_000, 46_000_000, 92_361_000])
    func truncatedModel(length: Int) throws {
        let handle = try FileHandle(forReadingFrom: try TestData.require(TestData.modelURL))
        defer { try? handle.close() }
        let prefix = [UInt8](try handle.read(upToCount: length) ?? Data())
        let error = try loadError(prefix)
        guard case .malformedProtobuf(_, let offset, let reason) = error else {
            Issue.record("expected malformedProtobuf, got \(String(describing: error))")
            return
        }
        #expect(offset <= length)
        #expect(reason.contains("exceeds") || reason.contains("past the end"))
        #expect("\(error.map { "\($0)" } ?? "")".contains("truncated or corrupted"))
    }

    @Test("an empty file, text, random bytes and a protobuf without a graph")
    func notONNX() throws {
        if case .notAnONNXModel(_, let reason) = try loadError([]) {
            #expect(reason == "the file is empty")
        } else {
            Issue.record("empty file")
        }
        let text = try loadError(Array("{\"hello\": \"this is JSON, not ONNX\"}\n".utf8))
        #expect(text.map(isFormatError) == true, "\(String(describing: text))")
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20 {
            let noise = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let error = try loadError(noise)
            #expect(error.map(isFormatError) == true, "\(String(describing: error))")
        }
        var noGraph = ProtoWriter()
        noGraph.int(1, 9)
        noGraph.string(2, "pytorch")
        guard case .notAnONNXModel(_, let reason) = try loadError(noGraph.bytes) else {
            Issue.record("protobuf without graph")
            return
        }
        #expect(reason.contains("no graph"))
    }

    func isFormatError(_ error: KokoroModelError) -> Bool {
        switch error {
        case .malformedProtobuf, .notAnONNXModel, .notKokoroModel: true
        default: false
        }
    }

    @Test("a valid ONNX model of another network")
    func otherNetwork() throws {
        var m = TestONNXModel()
        m.name = "resnet-ish"
        m.inputs = ["image"]
        m.outputs = ["logits"]
        m.floatInitializer("conv.weight", dims: [4, 3, 3], [Float](repeating: 0.1, count: 36))
        m.add("Conv", "/backbone/conv/Conv", inputs: ["image", "conv.weight"])
        m.floatInitializer("fc.weight", dims: [4, 10], [Float](repeating: 0.2, count: 40))
        m.add("MatMul", "/head/fc/MatMul", inputs: ["/backbone/conv/Conv_output_0", "fc.weight"])
        let error = try loadError(m.serialized())
        guard case .notKokoroModel(_, let reason) = error else {
            Issue.record("expected notKokoroModel, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("only 0 of the 458"))
        #expect(reason.contains("resnet-ish"))
        #expect("\(error.map { "\($0)" } ?? "")".contains("is not a Kokoro-82M model"))
    }

    @Test("a missing model file")
    func missingFile() throws {
        let url = URL(fileURLWithPath: "/nonexistent/kokoro.onnx")
        #expect(throws: KokoroModelError.self) { try KokoroWeightsLoader.load(model: url, cacheDirectory: nil) }
    }

    @Test("the protobuf reader rejects malformed wire data without trapping")
    func protobufReader() throws {
        let cases: [(bytes: [UInt8], reason: String)] = [
            ([0x08] + [UInt8](repeating: 0xFF, count: 10) + [0x01], "varint"),
            ([0x08, 0x80], "varint runs past"),
            ([0x3A, 0x05, 0x01], "exceeds"),
            ([0x3A, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F], "exceeds"),
            ([0x0B], "wire type 3"),
            ([0x00], "field number 0"),
            ([0x0D, 0x01, 0x02], "fixed32"),
        ]
        for (bytes, reason) in cases {
            do {
                _ = try bytes.withUnsafeBytes { try ONNXModel(decoding: $0) }
                Issue.record("\(bytes) decoded")
            } catch let error as ProtobufError {
                #expect(error.reason.contains(reason), "\(bytes): \(error.reason)")
            }
        }
    }
}

@Suite("Weights: mutated ONNX files never trap")
struct WeightsFuzzTests {
    @Test("random byte flips and truncations of a small graph throw or load")
    func mutations() throws {
        var m = TestONNXModel()
        m.floatInitializer("W", dims: [2, 4, 2], (0..<16).map(Float.init), encoding: .packed)
        m.floatInitializer("R", dims: [2, 4, 1], (0..<8).map(Float.init), encoding: .unpacked)
        m.floatInitializer("B", dims: [2, 8], (0..<16).map(Float.init))
        m.add("LSTM", "/encoder/text_encoder/lstm/LSTM", inputs: ["x", "W", "R", "B"], attributes: [("hidden_size", .int(1))])
        m.floatInitializer("G", dims: [2, 3], [1, 2, 3, 4, 5, 6])
        m.add("Gemm", "/decoder/decoder/encode/norm1/fc/Gemm", inputs: ["s", "G"], attributes: [("transB", .int(1))])
        m.initializers.append(.init(name: "q", dims: [3, 2], dataType: 3, integers: [1, 2, 3, 4, 5, 6]))
        m.floatInitializer("sc", dims: [2], [0.5, 0.25])
        m.add("MatMulInteger", "/encoder/bert_encoder/MatMul_quant", inputs: ["xq", "q", "xz"])
        m.add("Cast", "cast", inputs: ["/encoder/bert_encoder/MatMul_quant_output_0"])
        m.add("Mul", "scales", inputs: ["xs", "sc"])
        m.add("Mul", "rescale", inputs: ["cast_output_0", "scales_output_0"])
        m.floatInitializer("Conv.w", dims: [2, 1, 3], [1, 2, 3, 4, 5, 6], encoding: .unpacked)
        m.add("Conv", "/decoder/decoder/F0_conv/Conv", inputs: ["f0", "Conv.w"])
        let good = m.serialized()

        let dir = try TestData.temporaryDirectory()
        defer { TestData.cleanUp(dir) }
        let url = dir.appendingPathComponent("fuzz.onnx")
        try Data(good).write(to: url)
        let clean = try ONNXWeightExtractor.extract(model: url)
        #expect(clean.tensors["bert_encoder.weight"] == .init(shape: [2, 3], data: [0.5, 1.5, 2.5, 0.5, 1, 1.5]))
        #expect(clean.tensors.count == 11)

        var generator = SystemRandomNumberGenerator()
        var loaded = 0, rejected = 0
        for round in 0..<600 {
            var bytes = good
            if round % 3 == 0 {
                bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &generator)))
            } else {
                for _ in 0..<(1 + round % 4) {
                    bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
                }
            }
            try Data(bytes).write(to: url)
            do {
                _ = try ONNXWeightExtractor.extract(model: url)
                loaded += 1
            } catch is KokoroModelError {
                rejected += 1
            }
        }
        #expect(loaded + rejected == 600)
    }
}
