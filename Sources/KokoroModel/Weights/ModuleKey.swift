/// Translation of ONNX node paths (torch.onnx scope names) into hexgrad's `KModel`
/// state-dict prefixes, e.g. `/encoder/F0.1/conv1/Conv_quant` → `predictor.F0.1.conv1`.
enum ModuleKey {
    /// The module path of a node: its name up to the last occurrence of one of `suffixes`
    /// (`/Conv_quant`, `/MatMul`…), or without its last component when none matches.
    static func modulePath(ofNode name: String, suffixes: [String]) -> String {
        for suffix in suffixes {
            if let range = name.range(of: suffix, options: .backwards), range.lowerBound > name.startIndex {
                return String(name[..<range.lowerBound])
            }
        }
        guard let slash = name.lastIndex(of: "/") else { return name }
        return String(name[..<slash])
    }

    /// The state-dict prefix of the module of node `name`.
    static func key(ofNode name: String, suffixes: [String]) -> String {
        key(forPath: modulePath(ofNode: name, suffixes: suffixes))
    }

    /// `/encoder/F0.1/conv1` → `predictor.F0.1.conv1`, `/decoder/decoder/encode` → `decoder.encode`.
    static func key(forPath path: String) -> String {
        var parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard let root = parts.first else { return "" }
        switch root {
        case "encoder":
            parts.removeFirst()
            if let first = parts.first, isPredictorChild(first) { parts.insert("predictor", at: 0) }
        case "decoder":
            parts.removeFirst()
            if parts.first == "decoder" { parts.removeFirst() }
            parts.insert("decoder", at: 0)
        default:
            break
        }
        return normalise(parts).joined(separator: ".")
    }

    /// Modules of `ProsodyPredictor` that the export hoisted directly under `/encoder`.
    private static func isPredictorChild(_ component: String) -> Bool {
        if ["F0_proj", "N_proj", "shared", "F0", "N"].contains(component) { return true }
        for stem in ["F0.", "N."] where component.hasPrefix(stem) {
            let index = component.dropFirst(stem.count)
            return !index.isEmpty && index.allSatisfy(\.isASCII) && index.allSatisfy(\.isNumber)
        }
        return false
    }

    /// Undoes the scope decorations of the export:
    /// * repeated calls of ALBERT's shared layer (`attention_3`, `LayerNorm_1`) name one module;
    /// * `text_encoder/cnn.i/cnn.j.k` is the Sequential element `text_encoder.cnn.i.k`;
    /// * `asr_res/asr_res.0` is `asr_res.0`.
    private static func normalise(_ parts: [String]) -> [String] {
        var out: [String] = []
        out.reserveCapacity(parts.count)
        for part in parts {
            let part = stripCallIndex(part)
            if let previous = out.last {
                if previous.hasPrefix("cnn."), part.hasPrefix("cnn."), out.dropLast().last == "text_encoder" {
                    let inner = part.split(separator: ".")
                    if inner.count == 3, let k = inner.last {
                        out[out.count - 1] = previous + "." + k
                        continue
                    }
                }
                if previous == "asr_res", part.hasPrefix("asr_res.") {
                    out[out.count - 1] = part
                    continue
                }
            }
            out.append(part)
        }
        return out
    }

    private static let sharedModules = ["attention", "ffn", "ffn_output", "full_layer_layer_norm", "LayerNorm"]

    private static func stripCallIndex(_ part: String) -> String {
        for stem in sharedModules where part.hasPrefix(stem + "_") {
            let index = part.dropFirst(stem.count + 1)
            if !index.isEmpty, index.allSatisfy({ $0.isASCII && $0.isNumber }) { return stem }
        }
        return part
    }
}
