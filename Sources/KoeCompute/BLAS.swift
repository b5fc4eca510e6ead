#if canImport(Accelerate)
import Accelerate
#else
import CBLAS
#endif

/// Thin, checked wrappers over single-precision BLAS (OpenBLAS on Linux, Accelerate on macOS).
///
/// All matrices are row-major. BLAS itself runs single-threaded: Koe parallelises at a
/// coarser grain (time tiles, channels, directions) with `Parallel.forEach`.
public enum BLAS {
    /// Called once per process before any kernel: keeps BLAS from spawning its own threads.
    public static let configure: Void = {
        #if !canImport(Accelerate)
        openblas_set_num_threads(1)
        #endif
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
        cblas_sgemm(
            CblasRowMajor,
            transA ? CblasTrans : CblasNoTrans,
            transB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k),
            alpha, a, Int32(lda), b, Int32(ldb),
            beta, c, Int32(ldc))
    }

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
        cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(m), Int32(n), alpha, a, Int32(lda), x, 1, beta, y, 1)
    }
}
