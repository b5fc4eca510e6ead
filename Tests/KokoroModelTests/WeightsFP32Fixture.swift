import Foundation
import KoeCompute
@testable import KokoroModel

/// Builds a synthetic fp32 Kokoro export (KOKORO_MODEL.md §9.4) from a `WeightStore`: the
/// node kinds and scope names torch.onnx gives the float model — `Conv`/`ConvTranspose` with
/// float weights, `MatMul [in, out]` + `Add`, `Gemm(transB = 1)` for the AdaIN/AdaLN `fc`,
/// ONNX `LSTM` (gates i, o, f, c), float `Gather` embeddings — plus ALBERT's repeated calls,
/// ORT's `FastGelu`/`SkipLayerNormalization` fusions, AdaLayerNorm's constant affine and
/// unrelated nodes the walk must ignore. Written independently of the loader's walk.
enum FP32KokoroFixture {
    /// - Parameters:
    ///   - skipping: module keys left out of the graph.
    ///   - replacing: tensors used instead of the store's (e.g. to change a shape).
    static func model(from store: WeightStore, skipping: Set<String> = [], replacing: [String: Tensor] = [:]) -> TestONNXModel {
        var m = TestONNXModel()
        var tensors = store.tensors
        for (name, t) in replacing { tensors[name] = t }
        var done: Set<String> = []
        for name in tensors.keys.sorted() {
            let module = moduleKey(of: name)
            guard !skipping.contains(module), !done.contains(module) else { continue }
            done.insert(module)
            addModule(module, parameter: name, tensors: tensors, to: &m)
        }
        addDistractors(to: &m, store: tensors)
        return m
    }

    static func moduleKey(of name: String) -> String {
        let parts = name.split(separator: ".").map(String.init)
        if parts.count >= 2, parts[parts.count - 2].hasPrefix("alpha") { return parts.dropLast(2).joined(separator: ".") }
        if name.hasSuffix("inverse_basis") { return name }
        if let r = name.range(of: #"\.(weight|bias)_(ih|hh)_l0(_reverse)?$"#, options: .regularExpression) {
            return String(name[..<r.lowerBound])
        }
        return parts.dropLast().joined(separator: ".")
    }

    /// `predictor.F0.1.conv1` → `/encoder/F0.1/conv1`, `decoder.asr_res.0` → `/decoder/decoder/asr_res/asr_res.0`.
    static func path(of module: String) -> String {
        var parts: [String] = []
        for piece in module.split(separator: ".").map(String.init) {
            if let last = parts.last, piece.allSatisfy(\.isNumber) { parts[parts.count - 1] = last + "." + piece } else { parts.append(piece) }
        }
        parts = parts.flatMap { part -> [String] in
            let pieces = part.split(separator: ".")
            if pieces.count == 3, pieces[0] == "cnn" { return ["cnn.\(pieces[1])", part] }
            if part == "asr_res.0" { return ["asr_res", part] }
            return [part]
        }
        if parts.first == "decoder" {
            parts = ["decoder", "decoder"] + parts.dropFirst()
        } else if parts.first == "predictor", parts.count > 1,
                  ["F0", "N", "F0_proj", "N_proj", "shared"].contains(parts[1].split(separator: ".")[0]) {
            parts = ["encoder"] + parts.dropFirst()
        } else {
            parts = ["encoder"] + parts
        }
        return "/" + parts.joined(separator: "/")
    }

    /// ONNX gate block j holds torch block `torchBlock[j]` (torch i, f, g, o; ONNX i, o, f, c).
    static let torchBlock = [0, 3, 1, 2]

    static func onnxGates(_ t: Tensor) -> [Float] {
        let rows = t.shape[0], cols = t.count / rows, h = rows / 4
        var out = [Float]()
        out.reserveCapacity(t.count)
        for j in 0..<4 {
            let start = torchBlock[j] * h * cols
            out.append(contentsOf: t.data[start..<(start + h * cols)])
        }
        return out
    }

    private static func addModule(_ module: String, parameter: String, tensors: [String: Tensor], to m: inout TestONNXModel) {
        let path = path(of: module)
        let leaf = module.split(separator: ".").last.map(String.init) ?? module
        let bias = tensors[module + ".bias"]
        if parameter.hasSuffix("inverse_basis"), let t = tensors[parameter] {
            let w = "decoder.decoder.generator.stft.istft.stft.inverse_basis"
            m.floatInitializer(w, dims: t.shape, t.data)
            m.add("ConvTranspose", "/decoder/decoder/generator/istft/stft/ConvTranspose", inputs: ["spec", w])
        } else if parameter.contains("_l0"), let wih = tensors[module + ".weight_ih_l0"] {
            let h = wih.shape[0] / 4
            var w: [Float] = [], r: [Float] = [], b: [Float] = []
            for suffix in ["", "_reverse"] {
                w += onnxGates(tensors[module + ".weight_ih_l0" + suffix] ?? wih)
                r += onnxGates(tensors[module + ".weight_hh_l0" + suffix] ?? wih)
                b += onnxGates(tensors[module + ".bias_ih_l0" + suffix] ?? wih) + onnxGates(tensors[module + ".bias_hh_l0" + suffix] ?? wih)
            }
            let names = ["onnx::LSTM_\(module)_W", "onnx::LSTM_\(module)_R", "onnx::LSTM_\(module)_B"]
            m.floatInitializer(names[0], dims: [2, 4 * h, wih.shape[1]], w)
            m.floatInitializer(names[1], dims: [2, 4 * h, h], r)
            m.floatInitializer(names[2], dims: [2, 8 * h], b)
            m.add("LSTM", path + "/LSTM", inputs: [path + "/x"] + names + ["", path + "/h0", path + "/c0"],
                  outputs: [path + "/y", path + "/yh", path + "/yc"], attributes: [("hidden_size", .int(Int64(h))), ("direction", .int(2))])
        } else if parameter.range(of: #"\.alpha[12]\.\d+$"#, options: .regularExpression) != nil {
            for name in tensors.keys.sorted() where moduleKey(of: name) == module {
                let suffix = name.split(separator: ".").suffix(2).joined(separator: ".")
                let initName = "decoder." + name
                if let t = tensors[name] { m.floatInitializer(initName, dims: t.shape, t.data) }
                m.add("Mul", path + "/Mul_\(suffix)", inputs: [initName, path + "/\(suffix)/in"])
            }
        } else if let g = tensors[module + ".gamma"], let be = tensors[module + ".beta"] {
            m.floatInitializer("encoder.\(module).gamma", dims: g.shape, g.data)
            m.floatInitializer("encoder.\(module).beta", dims: be.shape, be.data)
            m.add("LayerNormalization", path + "/LayerNormalization", inputs: [path + "/x", "encoder.\(module).gamma", "encoder.\(module).beta"])
        } else if leaf == "LayerNorm" || leaf == "full_layer_layer_norm", let g = tensors[module + ".weight"], let bias {
            m.floatInitializer("encoder.\(module).weight", dims: g.shape, g.data)
            m.floatInitializer("encoder.\(module).bias", dims: bias.shape, bias.data)
            if leaf == "full_layer_layer_norm" {
                // ORT's fusion: unnamed node, γ/β at inputs 2/3, module path only in the output name.
                m.add("SkipLayerNormalization", "SkipLayerNormalization",
                      inputs: [path + "/a", path + "/b", "encoder.\(module).weight", "encoder.\(module).bias"],
                      outputs: [path + "/LayerNormalization_output_0"])
            } else {
                m.add("LayerNormalization", path + "/LayerNormalization", inputs: [path + "/x", "encoder.\(module).weight", "encoder.\(module).bias"])
            }
        } else if leaf.hasSuffix("embeddings") || leaf == "embedding", let t = tensors[module + ".weight"] {
            m.floatInitializer("encoder.\(module).weight", dims: t.shape, t.data)
            m.add("Gather", path + "/Gather", inputs: ["encoder.\(module).weight", "tokens"])
        } else if let t = tensors[module + ".weight"], t.rank == 3 {
            let op = leaf == "pool" || leaf.hasPrefix("ups.") ? "ConvTranspose" : "Conv"
            m.floatInitializer(path + "/Mul_output_0", dims: t.shape, t.data)
            var inputs = [path + "/x", path + "/Mul_output_0"]
            if let bias {
                m.floatInitializer(module + ".bias", dims: bias.shape, bias.data)
                inputs.append(module + ".bias")
            }
            m.add(op, path + "/" + op, inputs: inputs)
        } else if let t = tensors[module + ".weight"], t.rank == 2 {
            addLinear(module, path: path, leaf: leaf, weight: t, bias: bias, to: &m)
        }
    }

    private static func addLinear(_ module: String, path: String, leaf: String, weight t: Tensor, bias: Tensor?, to m: inout TestONNXModel) {
        if leaf == "fc" {
            m.floatInitializer(module + ".weight", dims: t.shape, t.data)
            var inputs = [path + "/x", module + ".weight"]
            if let bias {
                m.floatInitializer(module + ".bias", dims: bias.shape, bias.data)
                inputs.append(module + ".bias")
            }
            m.add("Gemm", path + "/Gemm", inputs: inputs, attributes: [("transB", .int(1)), ("alpha", .float(1)), ("beta", .float(1))])
            return
        }
        let w = "onnx::MatMul_\(module)"
        m.floatInitializer(w, dims: [t.shape[1], t.shape[0]], t.transposed().data)
        m.add("MatMul", path + "/MatMul", inputs: [path + "/x", w])
        guard let bias else { return }
        m.floatInitializer(module + ".bias", dims: bias.shape, bias.data)
        if leaf == "ffn" {
            m.add("FastGelu", "FastGelu", inputs: [path + "/MatMul_output_0", module + ".bias"])
        } else {
            m.add("Add", path + "/Add", inputs: [path + "/MatMul_output_0", module + ".bias"])
        }
        if leaf == "query" {
            // ALBERT's shared layer, called again: the same initializers, another scope name.
            let again = path.replacingOccurrences(of: "/query", with: "/query_1")
            m.add("MatMul", again + "/MatMul", inputs: [again + "/x", w])
            m.add("Add", again + "/Add", inputs: [again + "/MatMul_output_0", module + ".bias"])
        }
    }

    /// AdaLayerNorm's constant affine, and nodes with initializers that are not parameters.
    private static func addDistractors(to m: inout TestONNXModel, store: [String: Tensor]) {
        let ones = "/encoder/predictor/text_encoder/lstms.1/Constant_7_output_0"
        let zeros = "/encoder/predictor/text_encoder/lstms.1/Constant_8_output_0"
        m.floatInitializer(ones, dims: [512], [Float](repeating: 1, count: 512))
        m.floatInitializer(zeros, dims: [512], [Float](repeating: 0, count: 512))
        for i in [1, 3, 5] {
            m.add("LayerNormalization", "/encoder/predictor/text_encoder/lstms.\(i)/LayerNormalization",
                  inputs: ["/encoder/predictor/text_encoder/lstms.\(i)/x", ones, zeros])
        }
        m.initializers.append(.init(name: "/encoder/bert/position_ids", dims: [1, 512], dataType: 7, integers: Array(0..<512)))
        m.add("Gather", "/encoder/bert/embeddings/Gather_ids", inputs: ["/encoder/bert/position_ids", "tokens"])
        m.floatInitializer("/decoder/Constant_3_output_0", dims: [1], [0.5])
        m.add("Add", "/decoder/decoder/Add_9", inputs: ["/decoder/x", "/decoder/Constant_3_output_0"])
        m.add("Conv", "/decoder/decoder/generator/dynamic/Conv", inputs: ["/decoder/x", "/decoder/computed_weight"])
    }
}
