import Foundation
import KoeCompute

/// Reads a Kokoro ONNX export (int8 or fp32) and returns its validated weights.
enum ONNXWeightExtractor {
    /// Tensors found by the graph walk, before validation, and the nodes that could not be resolved.
    struct Extraction {
        var tensors: [String: Tensor]
        var problems: [String]
        var graphSummary: String
    }

    /// Parses `model`, walks its graph and checks the result against the manifest.
    static func load(model: URL) throws -> WeightStore {
        let extraction = try extract(model: model)
        let report = WeightManifest.check(extraction.tensors, problems: extraction.problems)
        if WeightManifest.looksLikeAnotherModel(report) {
            throw KokoroModelError.notKokoroModel(
                path: model.path,
                reason: "only \(report.matched) of the \(WeightManifest.expected.count) Kokoro-82M v1.0 tensors were found"
                    + " (\(extraction.graphSummary))")
        }
        guard report.isClean else { throw report.error }
        return WeightStore(tensors: extraction.tensors)
    }

    /// Parses `model` and walks its graph, without validation.
    static func extract(model: URL) throws -> Extraction {
        let data: Data
        do {
            data = try Data(contentsOf: model, options: .alwaysMapped)
        } catch {
            throw KokoroModelError.unreadableFile(path: model.path, reason: error.localizedDescription)
        }
        return try data.withUnsafeBytes { bytes in
            let onnx: ONNXModel
            do {
                onnx = try ONNXModel(decoding: bytes)
            } catch let error as ProtobufError {
                throw KokoroModelError.malformedProtobuf(path: model.path, offset: error.offset, reason: error.reason)
            }
            guard onnx.hasGraph else {
                let reason = bytes.isEmpty ? "the file is empty" : "no graph (ModelProto field 7) in \(bytes.count) bytes"
                throw KokoroModelError.notAnONNXModel(path: model.path, reason: reason)
            }
            guard !onnx.graph.nodes.isEmpty else {
                throw KokoroModelError.notAnONNXModel(path: model.path, reason: "the graph has no nodes")
            }
            var walker = KokoroGraphWalker(graph: onnx.graph, bytes: bytes)
            try walker.walk()
            let g = onnx.graph
            let summary = "graph '\(g.name)' has \(g.nodes.count) nodes, \(g.initializers.count) initializers,"
                + " inputs \(g.inputs), outputs \(g.outputs), producer '\(onnx.producerName)'"
            return Extraction(tensors: walker.tensors, problems: walker.problems, graphSummary: summary)
        }
    }
}
