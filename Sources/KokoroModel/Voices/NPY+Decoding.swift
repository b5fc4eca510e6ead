import Foundation

extension NPYArray {
    /// Thrown for a well-formed array of a dtype this reader does not decode (`'<U8'`,
    /// objects…), so that `.npz` readers can skip it.
    struct UnsupportedDType: Error {
        let descr: String
    }

    /// Reads a whole `.npy` file.
    package init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw KokoroModelError.unreadableFile(path: url.path, reason: error.localizedDescription)
        }
        do {
            try self.init(npy: data, name: url.lastPathComponent)
        } catch let error as UnsupportedDType {
            throw KokoroModelError.invalidNPY(name: url.lastPathComponent, reason: "unsupported dtype '\(error.descr)'")
        }
    }

    /// Decodes `.npy` bytes; `name` is used in error messages.
    package init(npy data: Data, name: String) throws {
        self = try data.withUnsafeBytes { try NPYArray(npy: $0, name: name) }
    }

    init(npy bytes: UnsafeRawBufferPointer, name: String) throws {
        func fail(_ reason: String) -> KokoroModelError { .invalidNPY(name: name, reason: reason) }
        let header = try Self.header(bytes, name: name)
        guard let dtype = DType(header.descr) else { throw UnsupportedDType(descr: header.descr) }
        var count = 1
        for d in header.shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: d)
            guard !overflow else { throw fail("shape \(header.shape) is too large") }
            count = product
        }
        let available = bytes.count - header.dataOffset
        guard count <= available / dtype.size else {
            throw fail("shape \(header.shape) of '\(header.descr)' needs \(count * dtype.size) bytes, the file has \(available) (truncated?)")
        }
        let data = UnsafeRawBufferPointer(rebasing: bytes[header.dataOffset..<(header.dataOffset + count * dtype.size)])
        var values = Self.decode(data, dtype: dtype, count: count)
        if header.fortranOrder && header.shape.filter({ $0 > 1 }).count > 1 {
            values = switch values {
            case .float32(let v): .float32(Self.cOrder(v, fortranShape: header.shape))
            case .float64(let v): .float64(Self.cOrder(v, fortranShape: header.shape))
            case .int64(let v): .int64(Self.cOrder(v, fortranShape: header.shape))
            }
        }
        self.init(shape: header.shape, values: values)
    }

    /// Column-major (Fortran) values of `shape` rearranged in row-major order.
    static func cOrder<T>(_ values: [T], fortranShape shape: [Int]) -> [T] {
        guard let first = values.first else { return values }
        var strides = [Int](repeating: 1, count: shape.count)
        for k in shape.indices.dropFirst() { strides[k] = strides[k - 1] * shape[k - 1] }
        var out = [T](repeating: first, count: values.count)
        var index = [Int](repeating: 0, count: shape.count)
        var source = 0
        for i in 0..<values.count {
            out[i] = values[source]
            // Advance the row-major odometer (last axis fastest) and its column-major offset.
            var k = shape.count - 1
            while k >= 0 {
                index[k] += 1
                source += strides[k]
                if index[k] < shape[k] { break }
                source -= strides[k] * shape[k]
                index[k] = 0
                k -= 1
            }
        }
        return out
    }

    private static func decode(_ src: UnsafeRawBufferPointer, dtype: DType, count: Int) -> Values {
        // Safety: the caller sized `src` to exactly `count` elements of `dtype.size` bytes.
        func word<T: FixedWidthInteger>(_ i: Int, _: T.Type) -> T {
            let v = src.loadUnaligned(fromByteOffset: i * MemoryLayout<T>.size, as: T.self)
            return dtype.bigEndian ? T(bigEndian: v) : T(littleEndian: v)
        }
        switch (dtype.kind, dtype.size) {
        case (.float, 4):
            return .float32([Float](unsafeUninitializedCapacity: count) { out, n in
                if dtype.bigEndian {
                    for i in 0..<count { out[i] = Float(bitPattern: word(i, UInt32.self)) }
                } else {
                    UnsafeMutableRawBufferPointer(out).copyMemory(from: src)
                }
                n = count
            })
        case (.float, _):
            return .float64([Double](unsafeUninitializedCapacity: count) { out, n in
                for i in 0..<count { out[i] = Double(bitPattern: word(i, UInt64.self)) }
                n = count
            })
        default:
            return .int64([Int64](unsafeUninitializedCapacity: count) { out, n in
                for i in 0..<count { out[i] = integer(i) }
                n = count
            })
        }
        func integer(_ i: Int) -> Int64 {
            switch (dtype.kind, dtype.size) {
            case (.signed, 1): Int64(Int8(bitPattern: src[i]))
            case (.signed, 2): Int64(Int16(bitPattern: word(i, UInt16.self)))
            case (.signed, 4): Int64(Int32(bitPattern: word(i, UInt32.self)))
            case (.signed, _): Int64(bitPattern: word(i, UInt64.self))
            case (_, 1): Int64(src[i])
            case (_, 2): Int64(word(i, UInt16.self))
            case (_, 4): Int64(word(i, UInt32.self))
            default: Int64(bitPattern: word(i, UInt64.self))
            }
        }
    }
}
