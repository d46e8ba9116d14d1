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

    /// The most threads `setThreads` accepts: OpenBLAS's own build limit, and
    /// never more than 4 per core (each thread takes a 128 MB buffer).
    public static var maxThreads: Int {
        Swift.max(1, Swift.min(Int(openblas_get_num_procs()) * 4, 64))
    }

    /// Threads OpenBLAS uses for one matrix product (process-wide), clamped to 1…`maxThreads`.
    public static func setThreads(_ n: Int) {
        configured = true
        openblas_set_num_threads(Int32(Swift.min(Swift.max(1, n), maxThreads)))
    }

    public static var threads: Int {
        configure()
        return Int(openblas_get_num_threads())
    }

    /// Multiply-adds one `cblas_sgemm` call may do before the next cancellation
    /// check: 2³¹ ≈ 2.1·10⁹, 25–60 ms on this project's 2-core machine (see
    /// docs/RELIABILITY.md, "Interrupts"). Smaller products are one call, so
    /// training-size products pay nothing; larger ones are cut as
    /// `GemmBlocks` says. Tests lower it to exercise the blocking on small matrices.
    nonisolated(unsafe) static var blockWork = 1 << 31

    /// A batch of products C_i = alpha · op(A_i) · op(B_i) + beta · C_i with
    /// one shape: matrix i of A starts at `a + aOffsets[i]`, of B at
    /// `b + bOffsets[i]`, of C at `c + cOffsets[i]` (row-major, leading
    /// dimensions shared); op transposes when asked. With k == 0, C_i = beta · C_i.
    ///
    /// Long batches and large products check `Cancellation` between blocks of
    /// about `blockWork` multiply-adds and throw `TensorError.interrupted`;
    /// C is then partly written, so callers pass fresh output buffers only.
    static func sgemmBatched(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
                             a: UnsafePointer<Float>, lda: Int, aOffsets: [Int],
                             b: UnsafePointer<Float>, ldb: Int, bOffsets: [Int],
                             beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int, cOffsets: [Int]) throws(TensorError) {
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
        let blocks = GemmBlocks(m: m, n: n, k: k, work: blockWork)
        var meter = CancellationMeter(interval: blockWork)
        for i in 0..<cOffsets.count {
            let ai = a + aOffsets[i], bi = b + bOffsets[i], ci = c + cOffsets[i]
            for (rows, cols, inner) in blocks.ranges {
                // Where the block starts in each operand (op(A) is m×k, op(B) k×n).
                let ab = transposeA ? ai + inner.lowerBound * lda + rows.lowerBound : ai + rows.lowerBound * lda + inner.lowerBound
                let bb = transposeB ? bi + cols.lowerBound * ldb + inner.lowerBound : bi + inner.lowerBound * ldb + cols.lowerBound
                cblas_sgemm(CblasRowMajor, ta, tb, Int32(rows.count), Int32(cols.count), Int32(inner.count),
                            alpha, ab, Int32(lda), bb, Int32(ldb), inner.lowerBound == 0 ? beta : 1,
                            ci + rows.lowerBound * ldc + cols.lowerBound, Int32(ldc))
                try meter.add(rows.count * cols.count * inner.count)
            }
        }
    }
}

/// How one m×n×k product is cut into blocks of about `work` multiply-adds.
/// The inner dimension is cut first (pieces after the first accumulate into
/// C, as OpenBLAS itself does in panels, so this costs nothing measurable),
/// then the rows of C, then its columns; no piece is cut below
/// min(512, ∛work), since thinner blocks make BLAS repack its operands more
/// often. Measured on 4000³ and 6000³ products (one thread): 1.5–3% slower
/// than one call, where 1024-sided cubes cost 5–6%. A product of at most
/// `work` is one block.
struct GemmBlocks {
    let ranges: [(rows: Range<Int>, cols: Range<Int>, inner: Range<Int>)]

    init(m: Int, n: Int, k: Int, work: Int) {
        if m * n * k <= work {
            ranges = [(0..<m, 0..<n, 0..<k)]
            return
        }
        let least = Swift.max(1, Swift.min(512, Int(Foundation.cbrt(Double(work)))))
        let bk = Swift.min(k, Swift.max(least, work / (m * n)))
        let bm = Swift.min(m, Swift.max(least, work / (n * bk)))
        let bn = Swift.min(n, Swift.max(1, work / (bm * bk)))
        func pieces(_ total: Int, _ size: Int) -> [Range<Int>] {
            stride(from: 0, to: total, by: size).map { $0..<Swift.min(total, $0 + size) }
        }
        var out: [(Range<Int>, Range<Int>, Range<Int>)] = []
        for rows in pieces(m, bm) {
            for cols in pieces(n, bn) {
                for inner in pieces(k, bk) { out.append((rows, cols, inner)) }
            }
        }
        ranges = out
    }
}
