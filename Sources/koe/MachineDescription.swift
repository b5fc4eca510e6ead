import Foundation
import KoeCompute

/// What a benchmark figure was measured on: the CPU, its vector features and the instruction
/// set oneDNN's integer kernels dispatch to, printed beside every figure.
enum MachineDescription {
    /// The features that decide Koe's speed: AVX2 and FMA (float kernels), AVX-512 and VNNI
    /// (integer GEMM with exact 32-bit sums instead of 16-bit pair sums).
    static let relevantFeatures = ["avx2", "fma", "avx512f", "avx512bw", "avx512_vnni", "avx_vnni", "amx_int8"]

    static var summary: String {
        let cpu = cpuInfo()
        let features = relevantFeatures.filter(cpu.flags.contains)
        let isa = QuantizedConv1d.isAvailable
            ? "oneDNN ISA \(QuantizedConv1d.instructionSet) (\(QuantizedConv1d.usesVNNI ? "VNNI" : "no VNNI: 16-bit pair sums"))"
            : "no oneDNN"
        let name = cpu.model ?? "unknown CPU"
        return "machine: \(name), \(ProcessInfo.processInfo.activeProcessorCount) cores, features \(features.isEmpty ? "none listed" : features.joined(separator: " ")); \(isa)"
    }

    /// The model name and flags of the first processor in `/proc/cpuinfo` (Linux); on other
    /// systems no flags.
    static func cpuInfo() -> (model: String?, flags: Set<String>) {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return (nil, []) }
        var model: String?
        var flags: Set<String> = []
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else { continue }
            if model == nil, parts[0] == "model name" { model = parts[1] }
            if flags.isEmpty, parts[0] == "flags" { flags = Set(parts[1].split(separator: " ").map(String.init)) }
            if model != nil && !flags.isEmpty { break }
        }
        return (model, flags)
    }
}
