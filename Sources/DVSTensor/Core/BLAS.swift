import COpenBLAS
import DVSKernels
import Foundation

/// Every call into OpenBLAS lives here. OpenBLAS itself runs on one thread;
/// products are split over `WorkerPool.shared` instead, the same threads the
/// other kernels use (two pools spinning on the same cores slowed 2-thread
/// training below 1-thread speed). The thread count comes from `DVS_THREADS`
/// (default: all cores) and can be changed at run time.
public enum BLAS {
    /// Why OpenBLAS could not be loaded, or nil once it is (COpenBLAS opens it
    /// on the first product, kept on one thread).
    private static let loadFailure: String? = dvs_openblas_open().map { String(cString: $0) }

    /// The most threads `setThreads` accepts (`WorkerPool.maxSize`).
    public static var maxThreads: Int { WorkerPool.maxSize }

    /// Threads for products and kernels (process-wide), clamped to 1…`maxThreads`.
    public static func setThreads(_ n: Int) {
        WorkerPool.shared.resize(Swift.min(Swift.max(1, n), maxThreads))
    }

    public static var threads: Int { WorkerPool.shared.size }

    /// Products smaller than this many multiply-adds run on the calling
    /// thread alone: waking a worker costs about as much as they do.
    static let parallelWork = 1 << 17

    /// Multiply-adds one `cblas_sgemm` call may do before the next cancellation
    /// check: 2³¹ ≈ 2.1·10⁹, 25–60 ms on this project's 2-core machine (see
    /// docs/RELIABILITY.md, "Interrupts"). Smaller products are one call, so
    /// training-size products pay nothing; larger ones are cut as
    /// `GemmBlocks` says. Tests lower it to exercise the blocking on small matrices.
    nonisolated(unsafe) static var blockWork = 1 << 31

    /// Whether DVSKernels' own kernels run at all: `dvs_gemm` for the
    /// products `ownKernelTakes` picks (~9% faster than OpenBLAS on the
    /// products of training, docs/BENCHMARKS.md) and the one-call attention
    /// heads. AVX-512 CPUs only; `DVS_GEMM=openblas` turns it off, for
    /// comparison; tests switch it.
    nonisolated(unsafe) static var ownKernel =
        dvs_gemm_available() != 0 && ProcessInfo.processInfo.environment["DVS_GEMM"] != "openblas"

    /// Below this many multiply-adds (attention's per-head products) OpenBLAS's
    /// small-matrix kernels are faster than packing a panel. Tests lower it.
    nonisolated(unsafe) static var ownKernelWork = 1 << 18

    /// Whether `dvs_gemm` takes a product of m·n·k multiply-adds whose A has
    /// leading dimension lda: training-size products only. Past 2³¹
    /// multiply-adds (2048³ runs at 85–90% of OpenBLAS's speed) and when
    /// A's rows are a multiple of 4 KiB apart (1024, 2048, … floats: the 12
    /// rows a tile reads share one L1 set; 0.80–0.95 of OpenBLAS's speed),
    /// OpenBLAS's packed kernel is faster.
    static func ownKernelTakes(work: Int, lda: Int) -> Bool {
        ownKernel && work >= ownKernelWork && work <= 1 << 31 && lda % 1024 != 0
    }

    /// A batch of products C_i = alpha · op(A_i) · op(B_i) + beta · C_i with
    /// one shape: matrix i of A starts at `a + aOffsets[i]`, of B at
    /// `b + bOffsets[i]`, of C at `c + cOffsets[i]` (row-major, leading
    /// dimensions shared); op transposes when asked. With k == 0, C_i = beta · C_i.
    /// A `bias` (n values, only with beta = 0) is added to every row of each C_i.
    ///
    /// Long batches and large products check `Cancellation` between blocks of
    /// about `blockWork` multiply-adds and throw `TensorError.interrupted`;
    /// C is then partly written, so callers pass fresh output buffers only.
    static func sgemmBatched(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, aOffsets: [Int],
        b: UnsafePointer<Float>, ldb: Int, bOffsets: [Int],
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int, cOffsets: [Int], bias: UnsafePointer<Float>? = nil
    ) throws(TensorError) {
        precondition(aOffsets.count == cOffsets.count && bOffsets.count == cOffsets.count, "sgemmBatched: offset counts differ")
        precondition(bias == nil || beta == 0, "sgemmBatched: a bias needs beta = 0")
        if m == 0 || n == 0 { return }
        if k == 0 {
            for offset in cOffsets {
                for i in 0..<m {
                    let row = c + offset + i * ldc
                    for j in 0..<n { row[j] = bias?[j] ?? (beta == 0 ? 0 : beta * row[j]) }
                }
            }
            return
        }
        if let loadFailure { throw TensorError("matmul: \(loadFailure); install OpenBLAS (Debian: libopenblas0)") }
        let useOwnKernel = (beta == 0 || beta == 1) && ownKernelTakes(work: m * n * k, lda: lda)
        // The product of matrix i restricted to a block of C's rows and columns and of the inner dimension.
        func product(_ i: Int, _ rows: Range<Int>, _ cols: Range<Int>, _ inner: Range<Int>) {
            let ai = a + aOffsets[i], bi = b + bOffsets[i], ci = c + cOffsets[i]
            let ab = transposeA ? ai + inner.lowerBound * lda + rows.lowerBound : ai + rows.lowerBound * lda + inner.lowerBound
            let bb = transposeB ? bi + cols.lowerBound * ldb + inner.lowerBound : bi + inner.lowerBound * ldb + cols.lowerBound
            let cb = ci + rows.lowerBound * ldc + cols.lowerBound
            let first = inner.lowerBound == 0, blockBias = first ? bias.map { $0 + cols.lowerBound } : nil
            if useOwnKernel,
                dvs_gemm(
                    rows.count, cols.count, inner.count, alpha, ab, transposeA ? 1 : lda, transposeA ? lda : 1,
                    bb, transposeB ? 1 : ldb, transposeB ? ldb : 1, cb, ldc, first && beta == 0 ? 0 : 1, blockBias) == 0
            {
                return
            }
            if let blockBias {
                for r in 0..<rows.count { (cb + r * ldc).update(from: blockBias, count: cols.count) }
            }
            dvs_sgemm(
                transposeA, transposeB, Int32(rows.count), Int32(cols.count), Int32(inner.count),
                alpha, ab, Int32(lda), bb, Int32(ldb), first && blockBias == nil ? beta : 1, cb, Int32(ldc))
        }
        let pool = WorkerPool.shared, count = cOffsets.count, single = m * n * k
        let blocks = GemmBlocks(m: m, n: n, k: k, work: blockWork)
        var meter = CancellationMeter(interval: blockWork)
        if pool.size > 1, count >= pool.size, blocks.ranges.count == 1, single * count >= parallelWork {
            // Many products: whole matrices to each thread.
            try parallelRounds(count, work: single) { r in
                for i in r { product(i, 0..<m, 0..<n, 0..<k) }
            }
            return
        }
        for i in 0..<count {
            for (rows, cols, inner) in blocks.ranges {
                let work = rows.count * cols.count * inner.count
                if pool.size > 1, work >= parallelWork {
                    // One product: C's rows (or columns, when wider) cut into a part per thread.
                    let byRows = rows.count >= cols.count
                    let split = GemmSplit(byRows ? rows : cols, parts: pool.size)
                    pool.run(parts: split.parts) { part in
                        let piece = split.piece(part)
                        product(i, byRows ? piece : rows, byRows ? cols : piece, inner)
                    }
                } else {
                    product(i, rows, cols, inner)
                }
                try meter.add(work)
            }
        }
    }
}

extension BLAS {
    /// Runs `body` on pieces of 0..<count over the pool's threads, in rounds
    /// of about `blockWork` multiply-adds (`work` per item) with a check for
    /// Ctrl-C after each round (`TensorError.interrupted`); items cheaper
    /// than `parallelWork` go to a thread in groups.
    static func parallelRounds(_ count: Int, work: Int, _ body: @escaping (Range<Int>) -> Void) throws(TensorError) {
        let pool = WorkerPool.shared, single = Swift.max(work, 1)
        let perRound = Swift.max(pool.size, blockWork / single), grain = Swift.max(1, parallelWork / single)
        var meter = CancellationMeter(interval: blockWork)
        var start = 0
        while start < count {
            let first = start, end = Swift.min(count, start + perRound)
            pool.parallelFor(end - first, grain: grain) { r in body(first + r.lowerBound..<first + r.upperBound) }
            try meter.add(single * (end - first))
            start = end
        }
    }
}

/// A range of C's rows or columns cut into near-equal pieces whose
/// boundaries fall on multiples of 16 (OpenBLAS's register block), so no
/// thread gets a ragged edge it would pad.
struct GemmSplit {
    let range: Range<Int>
    let parts: Int
    private let unit = 16

    init(_ range: Range<Int>, parts: Int) {
        self.range = range
        let units = (range.count + unit - 1) / unit
        self.parts = Swift.max(1, Swift.min(parts, units))
    }

    func piece(_ part: Int) -> Range<Int> {
        let units = (range.count + unit - 1) / unit
        let start = Swift.min(range.count, units * part / parts * unit)
        let end = Swift.min(range.count, units * (part + 1) / parts * unit)
        return range.lowerBound + start..<range.lowerBound + end
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
