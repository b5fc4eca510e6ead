import Foundation

/// A minimal protobuf writer, the mirror of the loader's reader, for building synthetic
/// ONNX files in tests.
struct ProtoWriter {
    var bytes: [UInt8] = []

    mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func tag(_ field: Int, _ wire: UInt64) { varint(UInt64(field) << 3 | wire) }

    mutating func int(_ field: Int, _ value: Int64) {
        tag(field, 0)
        varint(UInt64(bitPattern: value))
    }

    mutating func fixed32(_ field: Int, _ value: UInt32) {
        tag(field, 5)
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func data(_ field: Int, _ payload: [UInt8]) {
        tag(field, 2)
        varint(UInt64(payload.count))
        bytes.append(contentsOf: payload)
    }

    mutating func string(_ field: Int, _ s: String) { data(field, Array(s.utf8)) }

    mutating func message(_ field: Int, _ build: (inout ProtoWriter) -> Void) {
        var sub = ProtoWriter()
        build(&sub)
        data(field, sub.bytes)
    }

    mutating func packedVarints(_ field: Int, _ values: [Int64]) {
        var sub = ProtoWriter()
        for v in values { sub.varint(UInt64(bitPattern: v)) }
        data(field, sub.bytes)
    }

    mutating func packedFloats(_ field: Int, _ values: [Float]) {
        tag(field, 2)
        varint(UInt64(values.count * 4))
        values.withUnsafeBytes { bytes.append(contentsOf: $0) }
    }
}

/// A synthetic ONNX model: nodes, initializers, graph inputs and outputs.
struct TestONNXModel {
    enum Attribute {
        case int(Int64)
        case float(Float)
        case ints([Int64])
    }

    /// How an initializer stores its values, to exercise every decoding path.
    enum Encoding {
        case raw
        case packed
        case unpacked
    }

    struct Initializer {
        var name: String
        var dims: [Int]
        var dataType: Int32 = 1
        var floats: [Float] = []
        var integers: [Int64] = []
        var encoding: Encoding = .raw
    }

    struct Node {
        var name: String
        var op: String
        var inputs: [String]
        var outputs: [String]
        var attributes: [(String, Attribute)] = []
    }

    var name = "synthetic"
    var nodes: [Node] = []
    var initializers: [Initializer] = []
    var inputs: [String] = ["tokens", "style", "speed"]
    var outputs: [String] = ["audio"]

    mutating func add(_ op: String, _ name: String, inputs: [String], outputs: [String]? = nil,
                      attributes: [(String, Attribute)] = []) {
        nodes.append(Node(name: name, op: op, inputs: inputs, outputs: outputs ?? ["\(name)_output_0"], attributes: attributes))
    }

    mutating func floatInitializer(_ name: String, dims: [Int], _ values: [Float], encoding: Encoding = .raw) {
        initializers.append(Initializer(name: name, dims: dims, floats: values, encoding: encoding))
    }

    func serialized() -> [UInt8] {
        var model = ProtoWriter()
        model.int(1, 9)
        model.string(2, "koe-tests")
        model.message(8) { $0.string(1, ""); $0.int(2, 20) }
        model.message(7) { graph in
            for node in nodes {
                graph.message(1) { n in
                    for i in node.inputs { n.string(1, i) }
                    for o in node.outputs { n.string(2, o) }
                    n.string(3, node.name)
                    n.string(4, node.op)
                    for (name, value) in node.attributes {
                        n.message(5) { a in
                            a.string(1, name)
                            switch value {
                            case .int(let i): a.int(3, i); a.int(20, 2)
                            case .float(let f): a.fixed32(2, f.bitPattern); a.int(20, 1)
                            case .ints(let list): a.packedVarints(8, list); a.int(20, 7)
                            }
                        }
                    }
                }
            }
            graph.string(2, name)
            for t in initializers { graph.message(5) { Self.write(t, to: &$0) } }
            for i in inputs { graph.message(11) { $0.string(1, i) } }
            for o in outputs { graph.message(12) { $0.string(1, o) } }
        }
        return model.bytes
    }

    private static func write(_ t: Initializer, to w: inout ProtoWriter) {
        switch t.encoding {
        case .packed: w.packedVarints(1, t.dims.map(Int64.init))
        default: for d in t.dims { w.int(1, Int64(d)) }
        }
        w.int(2, Int64(t.dataType))
        w.string(8, t.name)
        switch (t.encoding, t.dataType) {
        case (.raw, 1):
            w.tag(9, 2)
            w.varint(UInt64(t.floats.count * 4))
            t.floats.withUnsafeBytes { w.bytes.append(contentsOf: $0) }
        case (.raw, 7):
            var raw: [UInt8] = []
            for v in t.integers { withUnsafeBytes(of: v.littleEndian) { raw.append(contentsOf: $0) } }
            w.data(9, raw)
        case (.raw, _):
            w.data(9, t.integers.map { UInt8(truncatingIfNeeded: $0) })
        case (.packed, 1): w.packedFloats(4, t.floats)
        case (.packed, 7): w.packedVarints(7, t.integers)
        case (.packed, _): w.packedVarints(5, t.integers)
        case (.unpacked, 1): for f in t.floats { w.fixed32(4, f.bitPattern) }
        case (.unpacked, 7): for v in t.integers { w.int(7, v) }
        case (.unpacked, _): for v in t.integers { w.int(5, v) }
        }
    }

    /// Writes the model to `url`.
    func write(to url: URL) throws {
        try Data(serialized()).write(to: url)
    }
}
