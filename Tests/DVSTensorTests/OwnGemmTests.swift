import DVSKernels
import XCTest

@testable import DVSTensor

/// DVSKernels' `dvs_gemm` (the product kernel of training on AVX-512 CPUs)
/// and OpenBLAS behind `BLAS.sgemmBatched`, each against a naive triple loop:
/// every transpose, ragged tiles (rows not a multiple of 12, columns not of
/// 32), inner dimensions past one 256-deep block, more than 1,024 columns,
/// alpha, accumulation into C and the fused bias.
final class OwnGemmTests: XCTestCase {
    private var saved = (ownKernel: false, work: 0)

    override func setUp() { saved = (BLAS.ownKernel, BLAS.ownKernelWork) }
    override func tearDown() { (BLAS.ownKernel, BLAS.ownKernelWork) = saved }

    /// C (m × n, leading dimension ldc) = alpha · op(A) op(B) + (beta · C or bias), in Double.
    private func reference(
        _ ta: Bool, _ tb: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float, _ a: [Float], _ lda: Int, _ b: [Float], _ ldb: Int,
        _ beta: Float, _ c: [Float], _ ldc: Int, _ bias: [Float]?
    ) -> [Float] {
        var out = c
        for i in 0..<m {
            for j in 0..<n {
                var s = 0.0
                for p in 0..<k { s += Double(ta ? a[p * lda + i] : a[i * lda + p]) * Double(tb ? b[j * ldb + p] : b[p * ldb + j]) }
                let base = bias.map { Double($0[j]) } ?? (beta == 0 ? 0 : Double(beta) * Double(c[i * ldc + j]))
                out[i * ldc + j] = Float(Double(alpha) * s + base)
            }
        }
        return out
    }

    /// `BLAS.sgemmBatched` on one product, C starting as c (leading dimension ldc).
    private func product(
        _ ta: Bool, _ tb: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float, _ a: [Float], _ lda: Int, _ b: [Float], _ ldb: Int,
        _ beta: Float, _ c: [Float], _ ldc: Int, _ bias: [Float]?
    ) throws -> [Float] {
        var out = c
        try a.withUnsafeBufferPointer { ap in
            try b.withUnsafeBufferPointer { bp in
                try out.withUnsafeMutableBufferPointer { cp in
                    try BLAS.sgemmBatched(
                        transposeA: ta, transposeB: tb, m: m, n: n, k: k, alpha: alpha, a: ap.baseAddress!, lda: lda, aOffsets: [0],
                        b: bp.baseAddress!, ldb: ldb, bOffsets: [0], beta: beta, c: cp.baseAddress!, ldc: ldc, cOffsets: [0],
                        bias: bias)
                }
            }
        }
        return out
    }

    private func check(
        _ ta: Bool, _ tb: Bool, m: Int, n: Int, k: Int, alpha: Float = 1, beta: Float = 0, bias withBias: Bool = false,
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let lda = (ta ? m : k) + 3, ldb = (tb ? k : n) + 5, ldc = n + 2  // leading dimensions wider than the matrices
        let a = sample([(ta ? k : m) * lda], seed: 1).values, b = sample([(tb ? n : k) * ldb], seed: 2).values
        let c0 = sample([m * ldc], seed: 3).values, bias = withBias ? sample([n], seed: 4).values : nil
        let expected = reference(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c0, ldc, bias)
        let c = try product(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c0, ldc, bias)
        for i in 0..<m {
            for j in n..<ldc { XCTAssertEqual(c[i * ldc + j], c0[i * ldc + j], "padding of row \(i) written", file: file, line: line) }
        }
        assertClose(c, expected, tolerance: 1e-5, file: file, line: line)
    }

    private func checkEveryCase() throws {
        for (ta, tb) in [(false, false), (false, true), (true, false), (true, true)] {
            for (m, n, k) in [(1, 1, 1), (12, 32, 8), (13, 33, 7), (5, 70, 300), (250, 17, 64), (30, 1030, 3), (25, 40, 513)] {
                try check(ta, tb, m: m, n: n, k: k)
            }
            try check(ta, tb, m: 14, n: 40, k: 270, alpha: 0.5)
            try check(ta, tb, m: 14, n: 40, k: 270, beta: 1)
            try check(ta, tb, m: 14, n: 40, k: 270, bias: true)
            try check(ta, tb, m: 26, n: 9, k: 5, alpha: -2, bias: true)
        }
    }

    func testOwnKernelMatchesReferenceLoops() throws {
        guard dvs_gemm_available() != 0 else { throw XCTSkip("dvs_gemm needs AVX-512 (this CPU has none)") }
        (BLAS.ownKernel, BLAS.ownKernelWork) = (true, 0)
        try checkEveryCase()
    }

    func testOpenBLASPathMatchesReferenceLoops() throws {
        BLAS.ownKernel = false
        try checkEveryCase()
    }

    /// Random shapes, layouts, alphas, betas and biases: the own kernel and
    /// OpenBLAS agree (seeded, 60 cases of up to 300 × 300 × 600).
    func testRandomProductsAgreeWithOpenBLAS() throws {
        guard dvs_gemm_available() != 0 else { throw XCTSkip("dvs_gemm needs AVX-512 (this CPU has none)") }
        let rng = RandomGenerator(seed: 7)
        func pick(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(rng.nextDouble() * Double(range.count)) % range.count }
        for _ in 0..<60 {
            let m = pick(1...300), n = pick(1...300), k = pick(1...600), ta = pick(0...1) == 1, tb = pick(0...1) == 1
            let alpha: Float = pick(0...2) == 0 ? 0.25 : 1, beta: Float = pick(0...2) == 0 ? 1 : 0, bias = beta == 0 && pick(0...1) == 1
            let lda = (ta ? m : k) + pick(0...9), ldb = (tb ? k : n) + pick(0...9)
            let a = sample([(ta ? k : m) * lda], seed: 11).values, b = sample([(tb ? n : k) * ldb], seed: 12).values
            let c0 = sample([m * n], seed: 13).values, biasValues = bias ? sample([n], seed: 14).values : nil
            var results: [[Float]] = []
            for own in [true, false] {
                (BLAS.ownKernel, BLAS.ownKernelWork) = (own, 0)
                results.append(try product(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c0, n, biasValues))
            }
            assertClose(results[0], results[1], tolerance: 1e-4)
        }
    }

    /// Training-size products go to dvs_gemm; attention's per-head ones, those
    /// past 2³¹ multiply-adds and those whose A rows are a multiple of 1024
    /// floats apart go to OpenBLAS.
    func testOnlyTrainingSizeProductsTakeTheOwnKernel() {
        (BLAS.ownKernel, BLAS.ownKernelWork) = (true, 1 << 18)
        XCTAssertTrue(BLAS.ownKernelTakes(work: 1536 * 128 * 512, lda: 128))
        XCTAssertTrue(BLAS.ownKernelTakes(work: 1 << 31, lda: 1536))
        XCTAssertFalse(BLAS.ownKernelTakes(work: 48 * 48 * 32, lda: 384))
        XCTAssertFalse(BLAS.ownKernelTakes(work: 2048 * 2048 * 2048, lda: 2000))
        XCTAssertFalse(BLAS.ownKernelTakes(work: 3072 * 256 * 1024, lda: 1024))
        XCTAssertFalse(BLAS.ownKernelTakes(work: 3072 * 256 * 2048, lda: 2048))
        BLAS.ownKernel = false
        XCTAssertFalse(BLAS.ownKernelTakes(work: 1536 * 128 * 512, lda: 128))
    }

    /// A product cut into inner blocks (for Ctrl-C) accumulates the later
    /// blocks onto the first, which carries the bias.
    func testBlockedProductsAddTheBiasOnce() throws {
        let saved = BLAS.blockWork
        defer { BLAS.blockWork = saved }
        BLAS.blockWork = 4096
        (BLAS.ownKernel, BLAS.ownKernelWork) = (dvs_gemm_available() != 0, 0)
        try check(false, false, m: 40, n: 50, k: 600, bias: true)
        try check(true, true, m: 40, n: 50, k: 600, beta: 1)
    }
}
