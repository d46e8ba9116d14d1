import COpenBLAS
import Foundation

/// Every call into OpenBLAS lives here. The thread count comes from
/// `DVS_THREADS` (default: all cores) and can be changed at run time.
public enum BLAS {
    nonisolated(unsafe) private static var configured = false

    /// Applies `DVS_THREADS` once, before the first BLAS call.
    static func configure() {
        if configured { return }
        configured = true
        if let text = ProcessInfo.processInfo.environment["DVS_THREADS"], let n = Int(text), n > 0 {
            setThreads(n)
        }
    }

    /// Threads OpenBLAS uses for one matrix product (process-wide).
    public static func setThreads(_ n: Int) {
        configured = true
        openblas_set_num_threads(Int32(Swift.max(1, n)))
    }

    public static var threads: Int {
        configure()
        return Int(openblas_get_num_threads())
    }

    /// C = alpha · op(A) · op(B) + beta · C, all row-major; op transposes when asked.
    static func sgemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
                      a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                      beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int) {
        configure()
        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}
