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

    /// A batch of products C_i = alpha · op(A_i) · op(B_i) + beta · C_i with
    /// one shape: matrix i of A starts at `a + aOffsets[i]`, of B at
    /// `b + bOffsets[i]`, of C at `c + cOffsets[i]` (row-major, leading
    /// dimensions shared). One sgemm per matrix; with k == 0, C_i = beta · C_i.
    static func sgemmBatched(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
                             a: UnsafePointer<Float>, lda: Int, aOffsets: [Int],
                             b: UnsafePointer<Float>, ldb: Int, bOffsets: [Int],
                             beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int, cOffsets: [Int]) {
        precondition(aOffsets.count == cOffsets.count && bOffsets.count == cOffsets.count, "sgemmBatched: offset counts differ")
        if m == 0 || n == 0 { return }
        if k == 0 {
            for offset in cOffsets {
                for i in 0..<m {
                    let row = c + offset + i * ldc
                    for j in 0..<n { row[j] = beta == 0 ? 0 : beta * row[j] }
                }
            }
            return
        }
        configure()
        let ta = transposeA ? CblasTrans : CblasNoTrans, tb = transposeB ? CblasTrans : CblasNoTrans
        for i in 0..<cOffsets.count {
            cblas_sgemm(CblasRowMajor, ta, tb, Int32(m), Int32(n), Int32(k), alpha, a + aOffsets[i], Int32(lda),
                        b + bOffsets[i], Int32(ldb), beta, c + cOffsets[i], Int32(ldc))
        }
    }
}
