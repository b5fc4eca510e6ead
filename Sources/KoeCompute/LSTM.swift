import Foundation

/// One direction of a PyTorch LSTM layer (gate order i, f, g, o; no peepholes).
public struct LSTMDirectionWeights: Sendable {
    public let hidden: Int
    public let input: Int
    /// `[4H, in]`
    let wIH: WeightLevels
    /// `[4H, H]`
    let wHH: WeightLevels
    /// `b_ih + b_hh`, `[4H]`
    public let bias: [Float]

    public init(weightIH: Tensor, weightHH: Tensor, biasIH: Tensor, biasHH: Tensor) {
        precondition(weightIH.rank == 2 && weightHH.rank == 2, "LSTM weights must be 2-D")
        hidden = weightHH.shape[1]
        input = weightIH.shape[1]
        precondition(weightIH.shape[0] == 4 * hidden && weightHH.shape[0] == 4 * hidden,
                     "LSTM: gate rows \(weightIH.shape[0]) / \(weightHH.shape[0]) for hidden \(hidden)")
        precondition(biasIH.count == 4 * hidden && biasHH.count == 4 * hidden, "LSTM: bias size")
        wIH = WeightLevels(weightIH.data)
        wHH = WeightLevels(weightHH.data)
        bias = zip(biasIH.data, biasHH.data).map { $0 + $1 }
    }

    /// Bytes the weight matrices keep resident.
    public var residentBytes: Int { wIH.residentBytes + wHH.residentBytes }
}

/// A weight matrix kept as one byte per weight when it takes at most 256 distinct values (the
/// int8 file's LSTMs take at most 128: its `DequantizeLinear` of one scale per tensor), else in
/// float. Each use expands the bytes through the table into a scratch copy: exactly the floats
/// given, at a quarter of their memory (the LSTMs are 45 MB in float, over a fifth of the
/// resident weights).
struct WeightLevels: Sendable {
    private let floats: [Float]
    private let table: [Float]
    private let indices: [UInt8]

    init(_ values: [Float]) {
        if let (table, indices) = Self.levels(values) {
            (self.floats, self.table, self.indices) = ([], table, indices)
        } else {
            (self.floats, self.table, self.indices) = (values, [], [])
        }
    }

    var residentBytes: Int { table.isEmpty ? 4 * floats.count : indices.count + 4 * table.count }

    /// `body` with the weights in float.
    func withFloats<R>(_ body: (UnsafePointer<Float>) -> R) -> R {
        if table.isEmpty { return floats.withUnsafeBufferPointer { body($0.baseAddress!) } }
        let n = indices.count
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: max(1, n))
        defer { scratch.deallocate() }
        table.withUnsafeBufferPointer { tp in
            indices.withUnsafeBufferPointer { ip in
                let t = tp.baseAddress!, q = ip.baseAddress!
                for i in 0..<n { scratch[i] = t[Int(q[i])] }
            }
        }
        return body(scratch)
    }

    /// The distinct values (by bit pattern, so that -0 and NaNs stay what they were) and each
    /// weight's index among them; nil past 256 values.
    static func levels(_ values: [Float]) -> ([Float], [UInt8])? {
        guard values.count >= 1024 else { return nil }
        // Open addressing over 1024 slots keyed by bit pattern: a few nanoseconds a weight.
        let slots = 1024
        var keys = [UInt32](repeating: 0, count: slots)
        var used = [Bool](repeating: false, count: slots)
        var codes = [UInt8](repeating: 0, count: slots)
        var table: [Float] = []
        var indices = [UInt8](repeating: 0, count: values.count)
        for (i, v) in values.enumerated() {
            let bits = v.bitPattern
            var slot = Int((bits &* 0x9E37_79B1) >> 22)
            while used[slot] && keys[slot] != bits { slot = (slot + 1) & (slots - 1) }
            if !used[slot] {
                guard table.count < 256 else { return nil }
                used[slot] = true
                keys[slot] = bits
                codes[slot] = UInt8(table.count)
                table.append(v)
            }
            indices[i] = codes[slot]
        }
        return (table, indices)
    }
}

/// A bidirectional single-layer LSTM with zero initial state.
public struct BiLSTMWeights: Sendable {
    public let forward: LSTMDirectionWeights
    public let backward: LSTMDirectionWeights
    public init(forward: LSTMDirectionWeights, backward: LSTMDirectionWeights) {
        precondition(forward.hidden == backward.hidden && forward.input == backward.input)
        self.forward = forward
        self.backward = backward
    }
}

public enum BiLSTM {
    /// `x` is time-major `[T, in]`; returns `[T, 2H]` = `[h_fwd | h_bwd]` per step.
    public static func forward(_ x: Tensor, _ w: BiLSTMWeights, threads: Int = 1) -> Tensor {
        precondition(x.rank == 2 && x.shape[1] == w.forward.input,
                     "BiLSTM: input \(x.shape) does not match input size \(w.forward.input)")
        let steps = x.shape[0], h = w.forward.hidden
        var out = [Float](repeating: 0, count: steps * 2 * h)
        x.data.withUnsafeBufferPointer { xp in
            out.withUnsafeMutableBufferPointer { op in
                let xb = xp.baseAddress!
                let ob = UnsafeMutableSendablePointer(op.baseAddress!)
                Parallel.forEach(2, threads: threads) { dir in
                    let dw = dir == 0 ? w.forward : w.backward
                    run(xb, steps: steps, dw, reverse: dir == 1, out: ob.pointer + dir * h, ldOut: 2 * h)
                }
            }
        }
        return Tensor(shape: [steps, 2 * h], data: out)
    }

    static func run(
        _ x: UnsafePointer<Float>, steps: Int, _ w: LSTMDirectionWeights, reverse: Bool,
        out: UnsafeMutablePointer<Float>, ldOut: Int
    ) {
        let h = w.hidden, g4 = 4 * h
        // Input projection for all steps at once: gx[T, 4H] = x · W_ihᵀ + b.
        let gx = UnsafeMutablePointer<Float>.allocate(capacity: steps * g4)
        defer { gx.deallocate() }
        for t in 0..<steps { (gx + t * g4).initialize(from: w.bias, count: g4) }
        w.wIH.withFloats { wp in
            BLAS.sgemm(transB: true, m: steps, n: g4, k: w.input, a: x, lda: w.input,
                       b: wp, ldb: w.input, beta: 1, c: gx, ldc: g4)
        }
        let state = UnsafeMutablePointer<Float>.allocate(capacity: 2 * h)
        defer { state.deallocate() }
        let hPrev = state, cell = state + h
        hPrev.initialize(repeating: 0, count: h)
        cell.initialize(repeating: 0, count: h)
        w.wHH.withFloats { whh in
            for s in 0..<steps {
                let t = reverse ? steps - 1 - s : s
                let z = gx + t * g4
                if s > 0 {
                    BLAS.sgemv(m: g4, n: h, a: whh, lda: h, x: hPrev, beta: 1, y: z)
                }
                let o = out + t * ldOut
                for j in 0..<h {
                    let i = sigmoid(z[j]), f = sigmoid(z[h + j])
                    let g = tanhf(z[2 * h + j]), og = sigmoid(z[3 * h + j])
                    let c = f * cell[j] + i * g
                    cell[j] = c
                    let hv = og * tanhf(c)
                    hPrev[j] = hv
                    o[j] = hv
                }
            }
        }
    }

    @inline(__always)
    static func sigmoid(_ x: Float) -> Float { 1 / (1 + expf(-x)) }
}
