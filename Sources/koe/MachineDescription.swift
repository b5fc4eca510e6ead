import Foundation
import KoeCompute

/// What a benchmark figure was measured on: the CPU, its vector features and the instruction
/// set oneDNN's integer kernels dispatch to, printed beside every figure.
enum MachineDescription {
    /// The features that decide Koe's speed: AVX2 and FMA (float kernels), AVX-512 and VNNI
    /// (integer GEMM with exact 32-bit sums instead of 16-bit pair sums).
    static let relevantFeatures = ["avx2", "fma", "avx512f", "avx512bw", "avx512_vnni", "avx_vnni", "amx_int8"]

    static var summary: String {
        let features = relevantFeatures.filter(CPUInfo.flags.contains)
        let isa = QuantizedConv1d.isAvailable
            ? "oneDNN ISA \(QuantizedConv1d.instructionSet) (\(QuantizedConv1d.usesVNNI ? "VNNI" : "no VNNI: 16-bit pair sums"))"
            : "no oneDNN"
        let name = CPUInfo.modelName ?? "unknown CPU"
        return "machine: \(name), \(ProcessInfo.processInfo.activeProcessorCount) cores, features \(features.isEmpty ? "none listed" : features.joined(separator: " ")); \(isa)"
    }
}
