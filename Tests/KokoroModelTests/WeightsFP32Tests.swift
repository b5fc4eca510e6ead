import Foundation
import KoeCompute
import Testing
@testable import KokoroModel

@Suite("Weights: fp32 export paths (synthetic ONNX)")
struct WeightsFP32Tests {
    @Test("a full fp32-style Kokoro graph loads to exactly the int8 model's weights")
    func fullFP32Graph() throws {
        let reference = try SharedWeights.store()
        let dir = try TestData.temporaryDirectory()
        defer { TestData.cleanUp(dir) }
        let url = dir.appendingPathComponent("kokoro-v1.0.onnx")
        try FP32KokoroFixture.model(from: reference).write(to: url)

        let loaded = try KokoroWeightsLoader.load(model: url, cacheDirectory: nil)
        #expect(loaded.names == reference.names)
        for name in reference.names where loaded[name] != reference[name] {
            Issue.record("\(name) differs: \(loaded[name]?.shape ?? []) vs \(reference[name]?.shape ?? [])")
        }
    }

    @Test("every missing, mis-shaped and unexpected tensor is reported in one error")
    func reportsAllProblems() throws {
        let reference = try SharedWeights.store()
        let dir = try TestData.temporaryDirectory()
        defer { TestData.cleanUp(dir) }
        let url = dir.appendingPathComponent("broken.onnx")
        let narrow = Tensor(zeros: [1, 128, 1])
        let extra = Tensor(zeros: [2, 2, 3])
        try FP32KokoroFixture.model(
            from: reference, skipping: ["decoder.F0_conv", "predictor.shared"],
            replacing: ["predictor.N_proj.weight": narrow, "decoder.extra.weight": extra]
        ).write(to: url)

        let error = #expect(throws: KokoroModelError.self) { try KokoroWeightsLoader.load(model: url, cacheDirectory: nil) }
        let lstm = ["bias_hh_l0", "bias_hh_l0_reverse", "bias_ih_l0", "bias_ih_l0_reverse",
                    "weight_hh_l0", "weight_hh_l0_reverse", "weight_ih_l0", "weight_ih_l0_reverse"].map { "predictor.shared.\($0)" }
        #expect(error == .weights(
            missing: ["decoder.F0_conv.bias", "decoder.F0_conv.weight"] + lstm,
            misShaped: [.init(name: "predictor.N_proj.weight", expected: [1, 256, 1], actual: [1, 128, 1])],
            unexpected: ["decoder.extra.weight"]))
        let text = error.map { "\($0)" } ?? ""
        #expect(text.contains("10 missing"))
        #expect(text.contains("predictor.N_proj.weight: expected [1, 256, 1], got [1, 128, 1]"))
        #expect(text.contains("1 unexpected: decoder.extra.weight"))
    }

    @Test("LSTM gates, Gemm transB, MatMul transpose, packed and unpacked float fields")
    func smallGraphLayouts() throws {
        var m = TestONNXModel()
        // H = 1, in = 2: ONNX W rows are gates i, o, f, c.
        let w: [Float] = [1, 2, /* o */ 3, 4, /* f */ 5, 6, /* c */ 7, 8, /* reverse */ 11, 12, 13, 14, 15, 16, 17, 18]
        m.floatInitializer("W", dims: [2, 4, 2], w, encoding: .packed)
        m.floatInitializer("R", dims: [2, 4, 1], [1, 2, 3, 4, 5, 6, 7, 8], encoding: .unpacked)
        m.floatInitializer("B", dims: [2, 8], (0..<16).map(Float.init))
        m.add("LSTM", "/encoder/text_encoder/lstm/LSTM", inputs: ["x", "W", "R", "B"], attributes: [("hidden_size", .int(1))])
        m.floatInitializer("G", dims: [2, 3], [1, 2, 3, 4, 5, 6])
        m.add("Gemm", "/decoder/decoder/encode/norm1/fc/Gemm", inputs: ["s", "G"])
        m.floatInitializer("M", dims: [2, 3], [1, 2, 3, 4, 5, 6])
        m.floatInitializer("Mb", dims: [3], [7, 8, 9], encoding: .unpacked)
        m.add("MatMul", "/encoder/bert_encoder/MatMul", inputs: ["h", "M"])
        m.add("Add", "/encoder/bert_encoder/Add", inputs: ["/encoder/bert_encoder/MatMul_output_0", "Mb"])

        let t = try extract(m).tensors
        #expect(t["text_encoder.lstm.weight_ih_l0"] == Tensor(shape: [4, 2], data: [1, 2, 5, 6, 7, 8, 3, 4]))
        #expect(t["text_encoder.lstm.weight_ih_l0_reverse"] == Tensor(shape: [4, 2], data: [11, 12, 15, 16, 17, 18, 13, 14]))
        #expect(t["text_encoder.lstm.weight_hh_l0"] == Tensor(shape: [4, 1], data: [1, 3, 4, 2]))
        #expect(t["text_encoder.lstm.bias_ih_l0"] == Tensor(shape: [4], data: [0, 2, 3, 1]))
        #expect(t["text_encoder.lstm.bias_hh_l0"] == Tensor(shape: [4], data: [4, 6, 7, 5]))
        #expect(t["text_encoder.lstm.bias_hh_l0_reverse"] == Tensor(shape: [4], data: [12, 14, 15, 13]))
        // transB = 0: ONNX B is [in, out], torch wants [out, in].
        #expect(t["decoder.encode.norm1.fc.weight"] == Tensor(shape: [3, 2], data: [1, 4, 2, 5, 3, 6]))
        #expect(t["bert_encoder.weight"] == Tensor(shape: [3, 2], data: [1, 4, 2, 5, 3, 6]))
        #expect(t["bert_encoder.bias"] == Tensor(shape: [3], data: [7, 8, 9]))
    }

    @Test("integer element types and typed int32_data fields decode exactly")
    func integerEncodings() throws {
        var m = TestONNXModel()
        for (i, encoding) in [TestONNXModel.Encoding.raw, .packed, .unpacked].enumerated() {
            m.initializers.append(.init(name: "q\(i)", dims: [2, 2], dataType: 3, integers: [-128, -1, 0, 127], encoding: encoding))
            m.initializers.append(.init(name: "zp\(i)", dims: [], dataType: 3, integers: [0], encoding: encoding))
            m.floatInitializer("s\(i)", dims: [], [0.5], encoding: encoding)
            let gather = "/encoder/table\(i)/Gather_quant"
            m.add("Gather", gather, inputs: ["q\(i)", "tokens"])
            m.add("DequantizeLinear", gather + "_DequantizeLinear", inputs: [gather + "_output_0", "s\(i)", "zp\(i)"])
        }
        let t = try extract(m).tensors
        for i in 0..<3 {
            #expect(t["table\(i).weight"] == Tensor(shape: [2, 2], data: [-64, -0.5, 0, 63.5]), "encoding \(i)")
        }
    }

    func extract(_ model: TestONNXModel) throws -> ONNXWeightExtractor.Extraction {
        let dir = try TestData.temporaryDirectory()
        defer { TestData.cleanUp(dir) }
        let url = dir.appendingPathComponent("small.onnx")
        try model.write(to: url)
        return try ONNXWeightExtractor.extract(model: url)
    }
}
