import Foundation
#if canImport(CDNNL)
import CDNNL
#endif

/// oneDNN's process-wide settings, applied once before its first kernel.
public enum OneDNNSettings {
    /// Keeps oneDNN off AMX, unless `DNNL_MAX_CPU_ISA` (or `ONEDNN_MAX_CPU_ISA`) says otherwise.
    ///
    /// On a 2-core Xeon with AMX, `koe bench`'s generator took 2.6-2.8 s with oneDNN's AMX
    /// kernels against 1.6-1.9 s with its AVX-512 VNNI ones, and ALBERT, the decoder and the
    /// prosody stacks were slower too: Koe's GEMMs are narrow tiles that a tile unit does not
    /// fill, and each thread pays for the AMX state. The cap is `avx512_core_bf16`, which keeps
    /// every AVX-512 VNNI kernel; it is applied only where the CPU has AMX, since any cap would
    /// also shut out `avx2_vnni` on CPUs that have that without AVX-512.
    public static let configure: Void = {
        #if canImport(CDNNL)
        let environment = ProcessInfo.processInfo.environment
        guard environment["DNNL_MAX_CPU_ISA"] == nil, environment["ONEDNN_MAX_CPU_ISA"] == nil,
              CPUInfo.flags.contains("amx_int8") else { return }
        // Fails (harmlessly) if oneDNN has already dispatched a kernel.
        _ = dnnl_set_max_cpu_isa(dnnl_cpu_isa_avx512_core_bf16)
        #endif
    }()
}
