import KoeCompute

/// iSTFTNet's `AdaINResBlock1` (generator `resblocks.*`, `noise_res.*`): three rounds of
/// AdaIN → Snake → dilated conv → AdaIN → Snake → conv, each added back to the input.
struct AdaINResBlock1: Sendable {
    struct Round: Sendable {
        let adain1: Dense
        let adain2: Dense
        let alpha1: [Float]
        let alpha2: [Float]
        let convs1: Convolution
        let convs2: Convolution
        let dilation: Int
    }

    let rounds: [Round]
    let kernelSize: Int

    /// Whether every convolution of the block runs in integers.
    var isInt8: Bool { rounds.allSatisfy { $0.convs1.isInt8 && $0.convs2.isInt8 } }

    init(_ w: WeightBinder, _ prefix: String, kernelSize: Int, dilations: [Int] = [1, 3, 5], int8: Bool = false) throws {
        self.kernelSize = kernelSize
        rounds = try dilations.enumerated().map { j, d in
            let convs1 = try w.conv("\(prefix).convs1.\(j)"), convs2 = try w.conv("\(prefix).convs2.\(j)")
            return Round(
                adain1: try w.linear("\(prefix).adain1.\(j).fc"),
                adain2: try w.linear("\(prefix).adain2.\(j).fc"),
                alpha1: try w.tensor("\(prefix).alpha1.\(j)").data,
                alpha2: try w.tensor("\(prefix).alpha2.\(j)").data,
                convs1: Convolution(convs1, int8: int8),
                convs2: Convolution(convs2, int8: int8),
                dilation: d)
        }
    }

    /// `tape`: records (and may blend) the instance norms' statistics, in order.
    func callAsFunction(_ input: Tensor, style: [Float], threads: Int, tape: InstanceNormTape? = nil) -> Tensor {
        var x = input
        apply(to: &x, style: style, threads: threads, tape: tape)
        return x
    }

    /// The block in place: each round's second convolution is added straight into `x`.
    func apply(to x: inout Tensor, style: [Float], threads: Int, tape: InstanceNormTape? = nil) {
        let c = x.shape[0]
        for r in rounds {
            let a1 = r.adain1.apply(style), a2 = r.adain2.apply(style)
            let pad1 = r.dilation * (kernelSize - 1) / 2, pad2 = (kernelSize - 1) / 2
            let second: Convolution.Input
            do {  // the first convolution's output lives only until it is normalised
                let first = r.convs1.normalizedInput(x, gamma: Array(a1[0..<c]), beta: Array(a1[c..<(2 * c)]),
                                                     activation: .snake(alpha: r.alpha1), threads: threads, tape: tape)
                let t = r.convs1(first, padding: pad1, dilation: r.dilation, threads: threads)
                second = r.convs2.normalizedInput(t, gamma: Array(a2[0..<c]), beta: Array(a2[c..<(2 * c)]),
                                                  activation: .snake(alpha: r.alpha2), threads: threads, tape: tape)
            }
            r.convs2.add(second, into: &x, padding: pad2, threads: threads)
        }
    }
}
