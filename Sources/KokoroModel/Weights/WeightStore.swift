import Foundation
import KoeCompute

/// Every learned tensor of Kokoro-82M v1.0, de-quantised to float32, under the module
/// names of hexgrad's reference implementation (`bert.…`, `bert_encoder.…`,
/// `predictor.…`, `text_encoder.…`, `decoder.…`) and in PyTorch layout
/// (Linear `[out, in]`, Conv1d `[out, in, K]`, ConvTranspose1d `[in, out/groups, K]`,
/// LSTM `weight_ih_l0[_reverse]` `[4H, in]` with gates in torch order i, f, g, o).
///
/// Immutable once loaded and shared between requests. A store read from the weight cache
/// keeps the file mapped and copies a tensor out only when it is asked for, so that building
/// the network holds one float copy of each weight at most, and none of the weights that
/// the network keeps in 8-bit integers.
public struct WeightStore: Sendable {
    private enum Storage: Sendable {
        case memory([String: Tensor])
        case mapped(MappedWeightFile)
    }

    private let storage: Storage

    public init(tensors: [String: Tensor]) {
        storage = .memory(tensors)
    }

    init(mapped file: MappedWeightFile) {
        storage = .mapped(file)
    }

    /// The tensor called `name` (copied out of the cache file when the store is mapped).
    public subscript(name: String) -> Tensor? {
        switch storage {
        case .memory(let tensors): tensors[name]
        case .mapped(let file): file.tensor(name)
        }
    }

    /// Every tensor by name. For a mapped store this copies all of them: prefer the subscript.
    public var tensors: [String: Tensor] {
        switch storage {
        case .memory(let tensors): return tensors
        case .mapped(let file):
            var all: [String: Tensor] = [:]
            for name in file.shapes.keys { all[name] = file.tensor(name) }
            return all
        }
    }

    /// The shape of every tensor, without reading any values.
    public var shapes: [String: [Int]] {
        switch storage {
        case .memory(let tensors): tensors.mapValues(\.shape)
        case .mapped(let file): file.shapes
        }
    }

    public var names: [String] { shapes.keys.sorted() }

    /// Total number of float parameters.
    public var parameterCount: Int { shapes.values.reduce(0) { $0 + $1.reduce(1, *) } }
}

/// A weight cache file mapped read-only, with its checked index: tensors are copied out one
/// at a time and their pages dropped from the resident set right after.
final class MappedWeightFile: Sendable {
    struct Entry: Sendable {
        var shape: [Int]
        /// Byte offset of the first value in the file.
        var start: Int
        var count: Int
    }

    // Immutable after init; `Data` is a value whose mapping lives as long as this object.
    private let data: Data
    private let entries: [String: Entry]
    let shapes: [String: [Int]]

    init(data: Data, entries: [String: Entry]) {
        self.data = data
        self.entries = entries
        shapes = entries.mapValues(\.shape)
    }

    func tensor(_ name: String) -> Tensor? {
        guard let entry = entries[name] else { return nil }
        return data.withUnsafeBytes { bytes in
            let range = entry.start..<(entry.start + 4 * entry.count)
            let values = [Float](unsafeUninitializedCapacity: entry.count) { out, initialized in
                UnsafeMutableRawBufferPointer(out).copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[range]))
                initialized = entry.count
            }
            // The whole mapping, not just this tensor: the kernel maps neighbouring pages on each
            // fault ("fault-around"), which would otherwise pile up as the network is built.
            MemoryAdvice.releaseMappedPages(bytes)
            return Tensor(shape: entry.shape, data: values)
        }
    }
}
