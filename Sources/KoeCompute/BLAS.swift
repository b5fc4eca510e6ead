#if canImport(Accelerate)
import Accelerate
#endif
#if canImport(CDNNL)
import CDNNL
#endif

/// Thin, checked wrappers over single-precision BLAS: oneDNN's SGEMM on Linux, Accelerate on
/// macOS. (OpenBLAS is not linked: it started a spinning thread and reserved 128 MB in every
/// process, the `koe say` client's included, for a library no kernel called.)
///
/// All matrices are row-major. BLAS itself runs single-threaded: Koe parallelises at a
/// coarser grain (time tiles, channels, directions) with `Parallel.forEach`.
public enum BLAS {
    /// Called once per process before any kernel: applies ``OneDNNSettings`` (each oneDNN entry
    /// point applies them too, so this only makes the moment explicit).
    public static let configure: Void = {
        OneDNNSettings.configure
    }()

    /// `C[m,n] = alpha * op(A) * op(B) + beta * C`, row-major, with leading dimensions.
    @inlinable
    public static func sgemm(
        transA: Bool = false, transB: Bool = false,
        m: Int, n: Int, k: Int,
        alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        guard m > 0, n > 0 else { return }
        if k == 0 {
            // op(A)·op(B) is empty: only scale C.
            for i in 0..<m {
                for j in 0..<n { c[i * ldc + j] = beta == 0 ? 0 : beta * c[i * ldc + j] }
            }
            return
        }
        #if canImport(CDNNL)
        // oneDNN's SGEMM: it picks its kernels from the CPU's features, where OpenBLAS 0.3.21
        // picked them from a table of CPU models and fell back to its SSE3 ("Prescott")
        // kernels on models newer than the table (a 2-core Xeon of family 6, model 207): 2-4x
        // slower there. Row-major, like this wrapper; one thread (the
        // caller parallelises), so no OpenMP team is started inside a worker.
        OneDNNSettings.configure
        omp_set_num_threads(1)
        let status = dnnl_sgemm(
            transA ? Self.transposed : Self.plain, transB ? Self.transposed : Self.plain,
            Int64(m), Int64(n), Int64(k), alpha, a, Int64(lda), b, Int64(ldb), beta, c, Int64(ldc))
        precondition(status == dnnl_success, "oneDNN SGEMM failed with status \(status.rawValue)")
        #else
        cblas_sgemm(
            CblasRowMajor,
            transA ? CblasTrans : CblasNoTrans,
            transB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k),
            alpha, a, Int32(lda), b, Int32(ldb),
            beta, c, Int32(ldc))
        #endif
    }

    #if canImport(CDNNL)
    @usableFromInline static let plain = "N".utf8CString[0]
    @usableFromInline static let transposed = "T".utf8CString[0]
    #endif

    /// `y[m] = alpha * A[m,n] * x[n] + beta * y`, row-major.
    @inlinable
    public static func sgemv(
        m: Int, n: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int,
        x: UnsafePointer<Float>,
        beta: Float = 0,
        y: UnsafeMutablePointer<Float>
    ) {
        guard m > 0 else { return }
        #if canImport(CDNNL)
        // As `sgemm` (oneDNN takes a one-column product down its own matrix-vector kernels).
        guard n > 0 else {
            for i in 0..<m { y[i] = beta == 0 ? 0 : beta * y[i] }
            return
        }
        OneDNNSettings.configure
        omp_set_num_threads(1)
        let status = dnnl_sgemm(Self.plain, Self.plain, Int64(m), 1, Int64(n), alpha, a, Int64(lda), x, 1, beta, y, 1)
        precondition(status == dnnl_success, "oneDNN SGEMV failed with status \(status.rawValue)")
        #else
        cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(m), Int32(n), alpha, a, Int32(lda), x, 1, beta, y, 1)
        #endif
    }
}
