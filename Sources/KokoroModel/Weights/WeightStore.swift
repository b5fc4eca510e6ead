import KoeCompute

/// Every learned tensor of Kokoro-82M v1.0, de-quantised to float32, under the module
/// names of hexgrad's reference implementation (`bert.…`, `bert_encoder.…`,
/// `predictor.…`, `text_encoder.…`, `decoder.…`) and in PyTorch layout
/// (Linear `[out, in]`, Conv1d `[out, in, K]`, ConvTranspose1d `[in, out/groups, K]`,
/// LSTM `weight_ih_l0[_reverse]` `[4H, in]` with gates in torch order i, f, g, o).
///
/// Immutable once loaded and shared between requests.
public struct WeightStore: Sendable {
    public let tensors: [String: Tensor]

    public init(tensors: [String: Tensor]) {
        self.tensors = tensors
    }

    public subscript(name: String) -> Tensor? { tensors[name] }

    public var names: [String] { tensors.keys.sorted() }

    /// Total number of float parameters.
    public var parameterCount: Int { tensors.values.reduce(0) { $0 + $1.count } }
}
