import KoeCompute

/// Finds every learned parameter of Kokoro-82M in an ONNX graph by following the nodes
/// (never by guessing initializer names: the quantiser de-duplicated zero points across
/// modules), de-quantises it and stores it in PyTorch layout under hexgrad's module names.
///
/// Handles both exports: the int8 `quantize_dynamic` file (`MatMulInteger`, `ConvInteger`,
/// `DynamicQuantizeLSTM`, quantised `Gather`) and the fp32 file (`MatMul`+`Add`, `Gemm`,
/// `Conv`, `LSTM`, float `Gather`). See KOKORO_MODEL.md §9.
///
/// `bytes` are the file's bytes, into which the initializers' `raw` ranges point; a walker
/// only lives inside a `withUnsafeBytes` scope of them.
struct KokoroGraphWalker {
    let graph: ONNXGraph
    let bytes: UnsafeRawBufferPointer
    let initializers: [String: ONNXTensor]
    private let producers: [String: Int]
    private let consumers: [String: [Int]]

    /// Extracted tensors by state-dict name.
    private(set) var tensors: [String: Tensor] = [:]
    /// Nodes that look like parameter holders but whose parameters could not be resolved.
    private(set) var problems: [String] = []
    /// Weight initializers already converted: a module called several times (ALBERT's
    /// shared layer, `attention/query_3/MatMul_quant`) is one set of parameters.
    private var claimed: Set<String> = []

    init(graph: ONNXGraph, bytes: UnsafeRawBufferPointer) {
        self.graph = graph
        self.bytes = bytes
        var initializers: [String: ONNXTensor] = [:]
        for t in graph.initializers { initializers[t.name] = t }
        self.initializers = initializers
        var producers: [String: Int] = [:]
        var consumers: [String: [Int]] = [:]
        for (index, node) in graph.nodes.enumerated() {
            for output in node.outputs where !output.isEmpty { producers[output] = index }
            for input in node.inputs where !input.isEmpty { consumers[input, default: []].append(index) }
        }
        self.producers = producers
        self.consumers = consumers
    }

    /// Visits every node once, in graph order.
    mutating func walk() throws {
        for node in graph.nodes {
            switch node.opType {
            case "Gather": try gather(node)
            case "MatMulInteger": try matMulInteger(node)
            case "ConvInteger": try convInteger(node)
            case "Conv", "ConvTranspose": try floatConv(node)
            case "DynamicQuantizeLSTM": try quantizedLSTM(node)
            case "LSTM": try floatLSTM(node)
            case "Gemm": try gemm(node)
            case "MatMul": try floatMatMul(node)
            case "LayerNormalization": try layerNorm(node, gamma: 1, beta: 2)
            case "SkipLayerNormalization": try layerNorm(node, gamma: 2, beta: 3)
            case "FastGelu": try fastGeluBias(node)
            case "Mul": try snakeAlpha(node)
            default: break
            }
        }
    }

    // MARK: - Graph navigation

    func producer(of value: String) -> ONNXNode? {
        producers[value].map { graph.nodes[$0] }
    }

    func consumers(of value: String) -> [ONNXNode] {
        (consumers[value] ?? []).map { graph.nodes[$0] }
    }

    /// The initializer feeding input `i` of `node`, if that input is one.
    func initializer(_ node: ONNXNode, _ i: Int) -> ONNXTensor? {
        node.input(i).flatMap { initializers[$0] }
    }

    /// Where a node sits in the module tree: its name, or for fused nodes named without a
    /// path (`SkipLayerNormalization_token_111`) the name of its first output.
    func path(of node: ONNXNode) -> String {
        node.name.contains("/") ? node.name : (node.outputs.first ?? node.name)
    }

    /// The first `Add` among the consumers of `value` with an initializer operand: a bias.
    func biasAdd(after value: String) -> ONNXTensor? {
        for add in consumers(of: value) where add.opType == "Add" {
            for name in add.inputs where name != value {
                if let t = initializers[name], t.isFloat { return t }
            }
        }
        return nil
    }

    // MARK: - Storing

    /// True the first time a weight initializer is seen.
    mutating func claim(_ weight: ONNXTensor) -> Bool {
        claimed.insert(weight.name).inserted
    }

    mutating func store(_ name: String, shape: [Int], _ values: [Float]) {
        guard tensors[name] == nil else { return }
        tensors[name] = Tensor(shape: shape, data: values)
    }

    mutating func store(_ name: String, _ t: ONNXTensor) throws {
        guard tensors[name] == nil else { return }
        let shape = try t.shape()
        tensors[name] = Tensor(shape: shape, data: try t.floatValues(in: bytes))
    }

    mutating func problem(_ node: ONNXNode, _ reason: String) {
        problems.append("node '\(node.name)' (\(node.opType)): \(reason)")
    }

    /// Values of a scale or zero point that must be a scalar or hold `count` values, one per
    /// output channel; returned broadcast to `count`.
    func perChannel(_ t: ONNXTensor?, count: Int, default value: Float) throws -> [Float]? {
        guard let t else { return [Float](repeating: value, count: count) }
        let v = try t.floatValues(in: bytes)
        if v.count == 1 { return [Float](repeating: v[0], count: count) }
        return v.count == count ? v : nil
    }
}
