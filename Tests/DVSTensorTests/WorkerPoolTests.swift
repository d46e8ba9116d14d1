import Foundation
import XCTest

@testable import DVSTensor

/// The worker pool hands out every part exactly once, and the kernels split
/// over it (matrix products, rows, multi-tensor updates) give the results of
/// their one-thread loops.
final class WorkerPoolTests: XCTestCase {
    private var savedThreads = 1

    override func setUp() { savedThreads = BLAS.threads }
    override func tearDown() { BLAS.setThreads(savedThreads) }

    func testEveryPartRunsExactlyOnceAtEverySize() {
        for size in [1, 2, 3, 5, 2, 1] {
            BLAS.setThreads(size)
            XCTAssertEqual(WorkerPool.shared.size, size)
            for parts in [1, 2, 7, 100] {
                let hits = UnsafeMutablePointer<Int>.allocate(capacity: parts)
                hits.initialize(repeating: 0, count: parts)
                for _ in 0..<50 { WorkerPool.shared.run(parts: parts) { hits[$0] += 1 } }
                XCTAssertEqual(Array(UnsafeBufferPointer(start: hits, count: parts)), [Int](repeating: 50, count: parts), "size \(size), \(parts) parts")
                hits.deallocate()
            }
        }
    }

    func testNestedAndConcurrentLoopsRunEveryPartOnce() {
        BLAS.setThreads(2)
        let outer = 4, inner = 50
        let hits = UnsafeMutablePointer<Int>.allocate(capacity: outer * inner)
        hits.initialize(repeating: 0, count: outer * inner)
        defer { hits.deallocate() }
        // A loop inside a part runs serially in that part.
        WorkerPool.shared.run(parts: outer) { o in
            WorkerPool.shared.run(parts: inner) { i in hits[o * inner + i] += 1 }
        }
        XCTAssertEqual(Array(UnsafeBufferPointer(start: hits, count: outer * inner)), [Int](repeating: 1, count: outer * inner))
        // Products from another thread while this one runs loops give their values.
        let a = sample([200, 64], seed: 31), b = sample([64, 96], seed: 32)
        let expected = try! naiveMatmul(a, b)
        let done = expectation(description: "other thread")
        Thread {
            for _ in 0..<20 { assertClose(try! a.matmul(b).values, expected, tolerance: 1e-3) }
            done.fulfill()
        }.start()
        for _ in 0..<20 { assertClose(try! a.matmul(b).values, expected, tolerance: 1e-3) }
        wait(for: [done], timeout: 60)
    }

    func testParallelForCoversTheRangeInDisjointPieces() {
        BLAS.setThreads(3)
        for (count, grain) in [(0, 1), (1, 1), (10, 4), (1000, 1), (100_000, 1 << 15)] {
            let lock = NSLock()
            var pieces: [Range<Int>] = []
            WorkerPool.shared.parallelFor(count, grain: grain) { r in
                lock.lock(); pieces.append(r); lock.unlock()
            }
            pieces.sort { $0.lowerBound < $1.lowerBound }
            XCTAssertEqual(pieces.map(\.count).reduce(0, +), count)
            XCTAssertTrue(zip(pieces, pieces.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
            XCTAssertLessThanOrEqual(pieces.count, 3)
            XCTAssertTrue(pieces.allSatisfy { $0.count >= Swift.min(grain, count) }, "no piece below the grain")
        }
    }

    func testMultiTensorRangesCutAtTensorBoundaries() {
        let ranges = MultiTensorRanges([3, 0, 5, 2])
        XCTAssertEqual(ranges.total, 10)
        func pieces(_ r: Range<Int>) -> [String] {
            var out: [String] = []
            ranges.forEachPiece(of: r) { out.append("\($0):\($1.lowerBound)..<\($1.upperBound)") }
            return out
        }
        XCTAssertEqual(pieces(0..<10), ["0:0..<3", "2:0..<5", "3:0..<2"])
        XCTAssertEqual(pieces(2..<4), ["0:2..<3", "2:0..<1"])
        XCTAssertEqual(pieces(4..<8), ["2:1..<5"])
        XCTAssertEqual(pieces(9..<10), ["3:1..<2"])
        XCTAssertEqual(MultiTensorRanges([]).total, 0)
    }

    func testSplitsFallOnMultiplesOfSixteen() {
        let split = GemmSplit(5..<105, parts: 3)
        let pieces = (0..<split.parts).map(split.piece)
        XCTAssertEqual(pieces.first?.lowerBound, 5)
        XCTAssertEqual(pieces.last?.upperBound, 105)
        XCTAssertTrue(zip(pieces, pieces.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound && ($0.upperBound - 5) % 16 == 0 })
        XCTAssertEqual(GemmSplit(0..<10, parts: 4).parts, 1, "one register block is never cut")
    }

    func testSplitProductsMatchNaiveLoops() throws {
        for size in [2, 3] {
            BLAS.setThreads(size)
            // One product cut by rows, one by columns, transposed operands, and a batch cut by items.
            let a = try Tensor.normal([301, 67]), b = try Tensor.normal([67, 45])
            assertClose(try a.matmul(b).values, try naiveMatmul(a, b), tolerance: 1e-3)
            let wide = try Tensor.normal([40, 90]), w = try Tensor.normal([90, 700])
            assertClose(try wide.matmul(w).values, try naiveMatmul(wide, w), tolerance: 1e-3)
            let at = try Tensor.normal([67, 301]).transpose(), bt = try Tensor.normal([45, 67]).transpose()
            assertClose(try at.matmul(bt).values, try naiveMatmul(at, bt), tolerance: 1e-3)
            let qa = try Tensor.normal([7, 48, 64]), qb = try Tensor.normal([7, 64, 48])
            assertClose(try qa.matmul(qb).values, try naiveMatmul(qa, qb), tolerance: 1e-3)
        }
    }

    func testFoldedProductAndItsGradientsMatchThePerBatchProduct() throws {
        // [B, T, K] @ [K, N] folds B·T into rows; the weight gradient is then one product.
        let x = try Tensor.normal([3, 5, 4]), w = try Tensor.normal([4, 6])
        let perBatch = try x.matmul(w.unsqueeze(0).expandTo([3, 4, 6]))
        assertClose(try x.matmul(w).values, perBatch.values)
        assertGradientsMatch([x, w]) { t in try t[0].matmul(t[1]) }
    }

    func testRowKernelsGiveTheSameBitsAtAnyThreadCount() throws {
        func run() throws -> [[Float]] {
            let x = sample([1200, 130], seed: 7), w = sample([130], seed: 8), b = sample([130], seed: 9)
            for t in [x, w, b] { t.requiresGrad = true }
            let labels = try Tensor(shape: [1200], values: (0..<1200).map { Float($0 % 130) })
            let y = try x.layerNorm(weight: w, bias: b).add(b).gelu().softmax(axis: -1)
            try Autograd.backward(y.mul(y).sum().add(x.crossEntropy(labels: labels)))
            return [y.values, x.grad!.values, w.grad!.values, b.grad!.values]
        }
        BLAS.setThreads(1)
        let one = try run()
        BLAS.setThreads(3)
        XCTAssertEqual(try run(), one)
    }

    func testAdamWStepIsTheSameAtAnyThreadCount() throws {
        func run() throws -> [[Float]] {
            let params = [sample([200, 300], seed: 1), sample([7], seed: 2), sample([0]), sample([50_000], seed: 3)]
            for p in params { p.requiresGrad = true; p.grad = sample(p.shape, seed: 4) }
            let opt = try AdamW(params, lr: 0.01)
            try opt.step()
            try opt.step()
            return params.map(\.values)
        }
        BLAS.setThreads(1)
        let one = try run()
        BLAS.setThreads(2)
        XCTAssertEqual(try run(), one)
    }
}

/// Copies and assignments split over rows give the row-major result.
final class ParallelCopyTests: XCTestCase {
    func testStridedCopiesAndAssignmentsMatchElementLoops() throws {
        let saved = BLAS.threads
        defer { BLAS.setThreads(saved) }
        BLAS.setThreads(3)
        let x = sample([300, 500], seed: 3)
        let t = try x.transpose().contiguousCopy()
        let xv = x.values
        XCTAssertEqual(t.values, (0..<(500 * 300)).map { i in xv[(i % 300) * 500 + i / 300] })
        // Assign into every other column of a large tensor.
        let target = try Tensor.zeros([400, 200])
        try target.slice(axis: 1, start: nil, end: nil, step: 2).assign(sample([400, 100], seed: 4))
        let src = sample([400, 100], seed: 4).values, got = target.values
        XCTAssertEqual((0..<(400 * 200)).map { i in i % 2 == 0 ? src[(i / 200) * 100 + (i % 200) / 2] : 0 }, got)
    }

    func testOverlappingAssignmentReadsTheSourceFirst() throws {
        let x = try Tensor(shape: [6], values: [0, 1, 2, 3, 4, 5])
        try x.slice(axis: 0, start: 1, end: nil, step: 1).assign(x.slice(axis: 0, start: 0, end: 5, step: 1))
        XCTAssertEqual(x.values, [0, 0, 1, 2, 3, 4], "as NumPy's x[1:] = x[:-1]")
    }
}
