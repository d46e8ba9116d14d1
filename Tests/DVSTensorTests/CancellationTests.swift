import Foundation
import Synchronization
import XCTest

@testable import DVSTensor

/// Ctrl-C reaching long native work: `Cancellation` is asked between blocks of
/// large matrix products, chunks of big elementwise loops and random fills.
final class CancellationTests: XCTestCase {
    /// How many times long work asked, and after how many asks it says "stop".
    final class Asker: Sendable {
        let asks = Atomic<Int>(0)
        let stopAfter: Int
        init(stopAfter: Int) { self.stopAfter = stopAfter }
        func ask() -> Bool { asks.add(1, ordering: .relaxed).newValue > stopAfter }
        var count: Int { asks.load(ordering: .relaxed) }
    }

    private var saved = (blockWork: 0, elementChunk: 0)

    override func setUp() {
        saved = (BLAS.blockWork, Cancellation.elementChunk)
        Cancellation.elementChunk = 1 << 12  // small tensors exercise the chunking
    }

    override func tearDown() {
        (BLAS.blockWork, Cancellation.elementChunk) = saved
        Cancellation.install(nil)
    }

    @discardableResult
    private func install(stopAfter: Int) -> Asker {
        let asker = Asker(stopAfter: stopAfter)
        Cancellation.install { asker.ask() }
        return asker
    }

    private func assertInterrupted<T>(_ body: @autoclosure () throws -> T, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            XCTAssertTrue((error as? TensorError)?.isInterruption ?? false, "expected TensorError.interrupted, got \(error)", file: file, line: line)
            XCTAssertEqual((error as? TensorError)?.message, "interrupted", file: file, line: line)
        }
    }

    private func assertClose(_ x: [Float], _ y: [Float], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(x.count, y.count, file: file, line: line)
        let worst = zip(x, y).map { Swift.abs($0 - $1) / Swift.max(1, Swift.abs($1)) }.max() ?? 0
        XCTAssertLessThan(worst, 1e-4, file: file, line: line)
    }

    func testBlocksCoverTheProductOnceAndRespectTheBudget() {
        for (m, n, k, work) in [(6000, 6000, 6000, 1 << 31), (4000, 4000, 4000, 1 << 31), (37, 53, 71, 1000), (1, 5000, 3, 100), (300, 2, 9000, 4096)] {
            let blocks = GemmBlocks(m: m, n: n, k: k, work: work)
            var covered = 0
            for (rows, cols, inner) in blocks.ranges {
                covered += rows.count * cols.count * inner.count
                XCTAssertLessThanOrEqual(rows.count * cols.count * inner.count, work)
            }
            XCTAssertEqual(covered, m * n * k)
        }
        XCTAssertEqual(GemmBlocks(m: 64, n: 512, k: 128, work: 1 << 31).ranges.count, 1, "training-size products are one call")
        // Big products: the inner dimension and rows are cut, never the columns.
        let big = GemmBlocks(m: 6000, n: 6000, k: 6000, work: 1 << 31).ranges
        XCTAssertEqual(big.count, 12 * 9)
        XCTAssertTrue(big.allSatisfy { $0.cols == 0..<6000 && $0.inner.count <= 512 })
    }

    func testBlockedProductsMatchNaiveLoops() throws {
        BLAS.blockWork = 500  // many blocks (and split inner dimensions) on small matrices
        let a = try Tensor.normal([3, 1, 13, 17]), b = try Tensor.normal([4, 17, 11])
        assertClose(try a.matmul(b).toArray(), try naiveMatmul(a, b))  // batched with broadcast batch dimensions
        let at = try Tensor.normal([17, 13]).transpose(), bt = try Tensor.normal([11, 17]).transpose()
        assertClose(try at.matmul(bt).toArray(), try naiveMatmul(at, bt))  // both operands transposed views
        let rows = try Tensor.normal([40, 30]).slice(axis: 0, start: nil, end: nil, step: 2)  // every other row: leading dimension 60
        let c = try Tensor.normal([30, 9])
        assertClose(try rows.matmul(c).toArray(), try naiveMatmul(rows, c))
        let v = try Tensor.normal([17])
        XCTAssertEqual(try a.matmul(v).shape, [3, 1, 13])
        assertClose(try a.matmul(v).toArray(), try naiveMatmul(a, v.unsqueeze(1)))
    }

    func testLargeProductStopsAtTheFirstBlockWhenInterrupted() throws {
        BLAS.blockWork = 1 << 24
        let a = try Tensor.normal([512, 512]), b = try Tensor.normal([512, 512])  // 2²⁷ multiply-adds: 8 blocks
        let all = install(stopAfter: .max)
        _ = try a.matmul(b)
        XCTAssertEqual(all.count, 8, "one check per block")
        let stop = install(stopAfter: 0)
        assertInterrupted(try a.matmul(b))
        XCTAssertEqual(stop.count, 1, "stopped after the first of 8 blocks")
        // The backward pass goes through the same blocks; an interrupted
        // backward leaves every gradient as it was.
        install(stopAfter: .max)
        let w = try Tensor.normal([512, 512]); w.requiresGrad = true
        w.grad = try Tensor.ones([512, 512])
        let loss = try a.matmul(w).sum()
        install(stopAfter: 0)
        assertInterrupted(try Autograd.backward(loss))
        XCTAssertEqual(w.grad?.values, [Float](repeating: 1, count: 512 * 512))
    }

    func testBatchOfSmallProductsChecksBetweenItems() throws {
        BLAS.blockWork = 1 << 16
        let a = try Tensor.normal([64, 32, 32]), b = try Tensor.normal([64, 32, 32])  // 64 items of 2¹⁵
        let asker = install(stopAfter: .max)
        _ = try a.matmul(b)
        XCTAssertEqual(asker.count, 32, "one check per 2¹⁶ multiply-adds")
        install(stopAfter: 0)
        assertInterrupted(try a.matmul(b))
        assertInterrupted(try Tensor.scaledDotProductAttention(a.unsqueeze(0), b.unsqueeze(0), b.unsqueeze(0)))
    }

    func testSmallWorkNeverAsks() throws {
        Cancellation.elementChunk = saved.elementChunk
        let asker = install(stopAfter: 0)
        let x = try Tensor.normal([64, 128]), w = try Tensor.normal([128, 256])
        _ = try x.matmul(w).add(Tensor.ones([256])).relu().exp().sum()
        XCTAssertEqual(asker.count, 0)
    }

    func testElementwiseLoopsStopBetweenChunks() throws {
        let n = Cancellation.elementChunk * 3
        let x = try Tensor.zeros([n]), y = try Tensor.zeros([n])
        let asker = install(stopAfter: .max)
        XCTAssertEqual(try x.exp().count, n)
        XCTAssertEqual(asker.count, 2, "checks before the second and third chunks")
        install(stopAfter: 0)
        assertInterrupted(try x.exp())
        assertInterrupted(try x.add(y))
        assertInterrupted(try x.mul(Tensor(scalar: 2)))
        assertInterrupted(try x.reshape([3, Cancellation.elementChunk]).transpose().add(Tensor(scalar: 1)))  // strided walk
        // In-place copies run to the end: `assign` never asks.
        let asksBefore = asker.count
        try x.assign(y)
        XCTAssertEqual(asker.count, asksBefore)
    }

    func testInterruptedRandomDrawLeavesTheGeneratorWhereItWas() throws {
        RandomGenerator.shared.reseed(7)
        let expected = try Tensor.normal([5]).toArray()
        RandomGenerator.shared.reseed(7)
        install(stopAfter: 0)
        assertInterrupted(try Tensor.normal([Cancellation.elementChunk * 2]))
        assertInterrupted(try Tensor.uniform([Cancellation.elementChunk * 2]))
        Cancellation.install(nil)
        XCTAssertEqual(try Tensor.normal([5]).toArray(), expected)
    }
}
