import Testing
@testable import KoeCompute

struct ConvolutionTests {
    struct ConvCase: CustomTestStringConvertible, Sendable {
        var cin, cout, t, k, stride, padding, dilation: Int
        var bias: Bool
        var testDescription: String { "cin\(cin) cout\(cout) T\(t) K\(k) s\(stride) p\(padding) d\(dilation) bias\(bias)" }
    }

    static let convCases: [ConvCase] = [
        .init(cin: 1, cout: 1, t: 1, k: 1, stride: 1, padding: 0, dilation: 1, bias: false),
        .init(cin: 3, cout: 5, t: 17, k: 1, stride: 1, padding: 0, dilation: 1, bias: true),
        .init(cin: 4, cout: 6, t: 9, k: 3, stride: 1, padding: 1, dilation: 1, bias: true),
        .init(cin: 5, cout: 3, t: 30, k: 3, stride: 1, padding: 5, dilation: 5, bias: true),
        .init(cin: 7, cout: 8, t: 64, k: 11, stride: 1, padding: 15, dilation: 3, bias: true),
        .init(cin: 2, cout: 4, t: 25, k: 12, stride: 6, padding: 3, dilation: 1, bias: true),
        .init(cin: 1, cout: 1, t: 10, k: 3, stride: 2, padding: 1, dilation: 1, bias: true),
        .init(cin: 6, cout: 2, t: 5, k: 7, stride: 1, padding: 3, dilation: 1, bias: false),
        .init(cin: 16, cout: 9, t: 3000, k: 5, stride: 1, padding: 2, dilation: 1, bias: true),
        .init(cin: 3, cout: 3, t: 4, k: 5, stride: 1, padding: 0, dilation: 1, bias: true),
    ]

    @Test(arguments: convCases, [1, 2])
    func conv1dMatchesNaive(_ c: ConvCase, threads: Int) {
        var g = Lcg(seed: UInt64(c.cin * 1000 + c.k * 10 + c.t))
        let x = g.tensor([c.cin, c.t])
        let w = g.tensor([c.cout, c.cin, c.k])
        let b = c.bias ? g.tensor([c.cout]) : nil
        let y = Conv1d.forward(x, Conv1dWeights(weight: w, bias: b), stride: c.stride, padding: c.padding,
                               dilation: c.dilation, threads: threads)
        let ref = Naive.conv1d(x, w, b, stride: c.stride, padding: c.padding, dilation: c.dilation)
        #expect(y.shape == ref.shape)
        #expect(relativeMaxError(y.data, ref.data) < 1e-5)
    }

    struct TransposeCase: CustomTestStringConvertible, Sendable {
        var cin, cout, t, k, stride, padding, outputPadding: Int
        var depthwise: Bool
        var testDescription: String { "cin\(cin) cout\(cout) T\(t) K\(k) s\(stride) p\(padding) op\(outputPadding) dw\(depthwise)" }
    }

    static let transposeCases: [TransposeCase] = [
        .init(cin: 4, cout: 3, t: 5, k: 20, stride: 10, padding: 5, outputPadding: 0, depthwise: false),
        .init(cin: 8, cout: 16, t: 13, k: 12, stride: 6, padding: 3, outputPadding: 0, depthwise: false),
        .init(cin: 2, cout: 2, t: 1, k: 3, stride: 2, padding: 1, outputPadding: 1, depthwise: false),
        .init(cin: 6, cout: 6, t: 7, k: 3, stride: 2, padding: 1, outputPadding: 1, depthwise: true),
        .init(cin: 1, cout: 1, t: 1, k: 3, stride: 2, padding: 1, outputPadding: 1, depthwise: true),
        .init(cin: 40, cout: 24, t: 50, k: 4, stride: 2, padding: 0, outputPadding: 0, depthwise: false),
    ]

    @Test(arguments: transposeCases, [1, 2])
    func convTransposeMatchesNaive(_ c: TransposeCase, threads: Int) {
        var g = Lcg(seed: UInt64(c.cin * 31 + c.k))
        let x = g.tensor([c.cin, c.t])
        let w = g.tensor([c.cin, c.depthwise ? 1 : c.cout, c.k])
        let b = g.tensor([c.cout])
        let y = ConvTranspose1d.forward(x, ConvTranspose1dWeights(weight: w, bias: b, depthwise: c.depthwise),
                                        stride: c.stride, padding: c.padding, outputPadding: c.outputPadding, threads: threads)
        let ref = Naive.convTranspose1d(x, w, b, stride: c.stride, padding: c.padding, outputPadding: c.outputPadding,
                                        depthwise: c.depthwise)
        #expect(y.shape == ref.shape)
        #expect(relativeMaxError(y.data, ref.data) < 1e-5)
    }
}
