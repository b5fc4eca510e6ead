/// The subset of an ONNX `ModelProto` that weight extraction needs, decoded by hand from
/// the protobuf wire format (field numbers from `onnx/onnx.proto`, IR version 9).
struct ONNXModel: Sendable {
    var irVersion: Int64 = 0
    var producerName = ""
    var graph = ONNXGraph()
    var hasGraph = false
}

/// `GraphProto`: nodes in topological order, initializers, and the names of inputs/outputs.
struct ONNXGraph: Sendable {
    var name = ""
    var nodes: [ONNXNode] = []
    var initializers: [ONNXTensor] = []
    var inputs: [String] = []
    var outputs: [String] = []
}

/// `NodeProto`. An empty string in `inputs` marks an omitted optional input.
struct ONNXNode: Sendable {
    var name = ""
    var opType = ""
    var domain = ""
    var inputs: [String] = []
    var outputs: [String] = []
    var attributes: [ONNXAttribute] = []

    func attribute(_ name: String) -> ONNXAttribute? { attributes.first { $0.name == name } }

    /// Input `i`, or nil when absent or omitted.
    func input(_ i: Int) -> String? {
        i < inputs.count && !inputs[i].isEmpty ? inputs[i] : nil
    }
}

/// `AttributeProto` with the scalar and list kinds (`f`, `i`, `s`, `floats`, `ints`).
struct ONNXAttribute: Sendable {
    var name = ""
    var f: Float = 0
    var i: Int64 = 0
    var s: [UInt8] = []
    var floats: [Float] = []
    var ints: [Int64] = []
}

/// `TensorProto`. The payload is either `raw` (a byte range into the file, little endian)
/// or one of the typed repeated fields.
struct ONNXTensor: Sendable {
    var name = ""
    var dims: [Int64] = []
    var dataType: Int32 = 0
    var raw: Range<Int>?
    var floatData: [Float] = []
    var int32Data: [Int32] = []
    var int64Data: [Int64] = []
    var doubleData: [Double] = []
    /// `data_location`: 1 means the values live in an external file.
    var dataLocation: Int64 = 0
    var hasExternalData = false

    /// ONNX `TensorProto.DataType` values used by this loader.
    enum DataType {
        static let float: Int32 = 1
        static let uint8: Int32 = 2
        static let int8: Int32 = 3
        static let int32: Int32 = 6
        static let int64: Int32 = 7
        static let double: Int32 = 11
    }
}

extension ONNXModel {
    /// Decodes a whole `ModelProto` from `bytes`.
    init(decoding bytes: UnsafeRawBufferPointer) throws {
        var r = ProtobufReader(bytes: bytes, range: 0..<bytes.count)
        while !r.isAtEnd {
            let (field, wire) = try r.readTag()
            switch (field, wire) {
            case (1, .varint): irVersion = try r.readInt64(wire)
            case (2, .lengthDelimited): producerName = try r.readString()
            case (7, .lengthDelimited):
                var sub = r.reader(over: try r.readLengthDelimited())
                graph = try ONNXGraph(&sub)
                hasGraph = true
            default: try r.skip(wire)
            }
        }
    }
}

extension ONNXGraph {
    init(_ r: inout ProtobufReader) throws {
        while !r.isAtEnd {
            let (field, wire) = try r.readTag()
            switch (field, wire) {
            case (1, .lengthDelimited):
                var sub = r.reader(over: try r.readLengthDelimited())
                nodes.append(try ONNXNode(&sub))
            case (2, .lengthDelimited): name = try r.readString()
            case (5, .lengthDelimited):
                var sub = r.reader(over: try r.readLengthDelimited())
                initializers.append(try ONNXTensor(&sub))
            case (11, .lengthDelimited): inputs.append(try Self.valueInfoName(&r))
            case (12, .lengthDelimited): outputs.append(try Self.valueInfoName(&r))
            default: try r.skip(wire)
            }
        }
    }

    /// The `name` (field 1) of a `ValueInfoProto`.
    private static func valueInfoName(_ r: inout ProtobufReader) throws -> String {
        var sub = r.reader(over: try r.readLengthDelimited())
        var name = ""
        while !sub.isAtEnd {
            let (field, wire) = try sub.readTag()
            if field == 1, wire == .lengthDelimited { name = try sub.readString() } else { try sub.skip(wire) }
        }
        return name
    }
}

extension ONNXNode {
    init(_ r: inout ProtobufReader) throws {
        while !r.isAtEnd {
            let (field, wire) = try r.readTag()
            switch (field, wire) {
            case (1, .lengthDelimited): inputs.append(try r.readString())
            case (2, .lengthDelimited): outputs.append(try r.readString())
            case (3, .lengthDelimited): name = try r.readString()
            case (4, .lengthDelimited): opType = try r.readString()
            case (7, .lengthDelimited): domain = try r.readString()
            case (5, .lengthDelimited):
                var sub = r.reader(over: try r.readLengthDelimited())
                attributes.append(try ONNXAttribute(&sub))
            default: try r.skip(wire)
            }
        }
    }
}

extension ONNXAttribute {
    init(_ r: inout ProtobufReader) throws {
        while !r.isAtEnd {
            let (field, wire) = try r.readTag()
            switch (field, wire) {
            case (1, .lengthDelimited): name = try r.readString()
            case (2, .fixed32): f = Float(bitPattern: try r.readFixed32())
            case (3, .varint): i = try r.readInt64(wire)
            case (4, .lengthDelimited): s = try r.readBytes()
            case (7, .fixed32), (7, .lengthDelimited): try r.appendFloats(wire, to: &floats)
            case (8, .varint), (8, .lengthDelimited): try r.appendVarints(wire, to: &ints)
            default: try r.skip(wire)
            }
        }
    }
}

extension ONNXTensor {
    init(_ r: inout ProtobufReader) throws {
        var int32Wide: [Int64] = []
        while !r.isAtEnd {
            let (field, wire) = try r.readTag()
            switch (field, wire) {
            case (1, .varint), (1, .lengthDelimited): try r.appendVarints(wire, to: &dims)
            case (2, .varint): dataType = Int32(truncatingIfNeeded: try r.readInt64(wire))
            case (4, .fixed32), (4, .lengthDelimited): try r.appendFloats(wire, to: &floatData)
            case (5, .varint), (5, .lengthDelimited): try r.appendVarints(wire, to: &int32Wide)
            case (7, .varint), (7, .lengthDelimited): try r.appendVarints(wire, to: &int64Data)
            case (8, .lengthDelimited): name = try r.readString()
            case (9, .lengthDelimited): raw = try r.readLengthDelimited()
            case (10, .fixed64), (10, .lengthDelimited): try r.appendDoubles(wire, to: &doubleData)
            case (13, .lengthDelimited):
                hasExternalData = true
                try r.skip(wire)
            case (14, .varint): dataLocation = try r.readInt64(wire)
            default: try r.skip(wire)
            }
        }
        int32Data = int32Wide.map { Int32(truncatingIfNeeded: $0) }
    }
}
