#if canImport(CLinux)
import CLinux
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Hints to the kernel about memory-mapped files.
public enum MemoryAdvice {
    /// Drops the resident pages wholly inside `buffer`, a read-only file mapping, so that
    /// reading a large file through a mapping does not count it twice in the resident set
    /// while it is copied. The pages are read again from the file if touched later.
    public static func releaseMappedPages(_ buffer: UnsafeRawBufferPointer) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        let page = Int(getpagesize())
        let start = (Int(bitPattern: base) + page - 1) / page * page
        let end = (Int(bitPattern: base) + buffer.count) / page * page
        guard end > start, let p = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(p, end - start, MADV_DONTNEED)
    }
}

extension MemoryAdvice {
    /// Hands freed heap memory back to the kernel (after loading).
    public static func trimHeap() {
        #if canImport(CLinux)
        _ = malloc_trim(0)
        #endif
    }

    /// Keeps glibc's allocator to one arena for the threads that start allocating from now on
    /// (unless `MALLOC_ARENA_MAX` says otherwise). By default each thread that meets a busy
    /// arena gets one of its own, and the generator's tensors of tens of megabytes, freed in
    /// one arena, cannot serve the next pass's allocations in another: `koe bench`'s peak RSS
    /// was 336-338 MB with the default arenas and 303-307 MB with one (2-core Xeon). The
    /// small allocations that could contend for the one arena's lock are served from each
    /// thread's cache first.
    public static let oneHeapArena: Void = {
        #if canImport(CLinux)
        if getenv("MALLOC_ARENA_MAX") == nil { _ = mallopt(M_ARENA_MAX, 1) }
        #endif
    }()
}
