extension ONNXTensor {
    /// The dimensions as `Int`, after checking they are non-negative and that their product
    /// does not overflow.
    func shape() throws -> [Int] {
        var count = 1
        for d in dims {
            guard d >= 0, d <= Int64(Int32.max) else {
                throw KokoroModelError.unsupportedTensor(name: name, reason: "dimension \(d) in \(dims) is out of range")
            }
            let (product, overflow) = count.multipliedReportingOverflow(by: Int(d))
            guard !overflow else {
                throw KokoroModelError.unsupportedTensor(name: name, reason: "shape \(dims) has too many elements")
            }
            count = product
        }
        return dims.map { Int($0) }
    }

    func elementCount() throws -> Int { try shape().reduce(1, *) }

    private var elementSize: Int? {
        switch dataType {
        case DataType.uint8, DataType.int8: 1
        case DataType.float, DataType.int32: 4
        case DataType.int64, DataType.double: 8
        default: nil
        }
    }

    private func checkStorage(_ count: Int) throws {
        guard !hasExternalData, dataLocation == 0 else {
            throw KokoroModelError.unsupportedTensor(name: name, reason: "values are stored in an external data file, which is not supported")
        }
        guard elementSize != nil else {
            throw KokoroModelError.unsupportedTensor(name: name, reason: "element type \(dataType) is not one of float32, float64, int8, uint8, int32, int64")
        }
        let typedCount = switch dataType {
        case DataType.float: floatData.count
        case DataType.double: doubleData.count
        case DataType.int64: int64Data.count
        default: int32Data.count
        }
        let stored = raw.map { $0.count / (elementSize ?? 1) } ?? typedCount
        if let raw, raw.count % (elementSize ?? 1) != 0 {
            throw KokoroModelError.unsupportedTensor(name: name, reason: "raw_data of \(raw.count) bytes is not a whole number of elements")
        }
        guard stored == count else {
            throw KokoroModelError.unsupportedTensor(name: name, reason: "shape \(dims) needs \(count) values, the tensor stores \(stored)")
        }
    }

    /// All values converted to `Float` (exactly, for the 8-bit integer types).
    ///
    /// `bytes` is the whole file the tensor was decoded from (`raw` indexes into it).
    func floatValues(in bytes: UnsafeRawBufferPointer) throws -> [Float] {
        let count = try elementCount()
        try checkStorage(count)
        guard let raw else {
            switch dataType {
            case DataType.float: return floatData
            case DataType.double: return doubleData.map { Float($0) }
            case DataType.int64: return int64Data.map { Float($0) }
            default: return int32Data.map { Float($0) }
            }
        }
        let src = UnsafeRawBufferPointer(rebasing: bytes[raw])
        return [Float](unsafeUninitializedCapacity: count) { out, initialized in
            // Safety: `checkStorage` proved that `src` holds exactly `count` elements.
            switch dataType {
            case DataType.float:
                for i in 0..<count {
                    out[i] = Float(bitPattern: UInt32(littleEndian: src.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
                }
            case DataType.uint8:
                for i in 0..<count { out[i] = Float(src[i]) }
            case DataType.int8:
                for i in 0..<count { out[i] = Float(Int8(bitPattern: src[i])) }
            case DataType.int32:
                for i in 0..<count {
                    out[i] = Float(Int32(littleEndian: src.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self)))
                }
            case DataType.int64:
                for i in 0..<count {
                    out[i] = Float(Int64(littleEndian: src.loadUnaligned(fromByteOffset: 8 * i, as: Int64.self)))
                }
            default:
                for i in 0..<count {
                    out[i] = Float(Double(bitPattern: UInt64(littleEndian: src.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))))
                }
            }
            initialized = count
        }
    }

    /// True for the element types that hold quantised weights.
    var isQuantized: Bool { dataType == DataType.int8 || dataType == DataType.uint8 }
    var isFloat: Bool { dataType == DataType.float || dataType == DataType.double }
}
