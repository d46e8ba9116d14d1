import XCTest

@testable import DVSTensor

final class CoreOpsTests: XCTestCase {
    func testBroadcastArithmetic() throws {
        let a = try Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
        let b = try Tensor(shape: [3], values: [10, 20, 30])
        XCTAssertEqual(try a.add(b).values, [11, 22, 33, 14, 25, 36])
        XCTAssertEqual(try a.mul(Tensor(scalar: 2)).values, [2, 4, 6, 8, 10, 12])
        let col = try Tensor(shape: [2, 1], values: [1, 2])
        XCTAssertEqual(try col.sub(b).shape, [2, 3])
        XCTAssertThrowsError(try a.add(Tensor(shape: [2], values: [1, 2]))) { error in
            XCTAssertEqual((error as! TensorError).message, "add: shapes [2,3] and [2] cannot be broadcast (dimension 1: 3 vs 2)")
        }
    }

    func testArithmeticGradients() {
        assertGradientsMatch([sample([2, 3]), sample([3], seed: 2)]) { x in try x[0].add(x[1]) }
        assertGradientsMatch([sample([2, 3]), sample([2, 1], seed: 2)]) { x in try x[0].sub(x[1]) }
        assertGradientsMatch([sample([2, 3]), sample([1, 3], seed: 2)]) { x in try x[0].mul(x[1]) }
        assertGradientsMatch([sample([4]), sample([4], seed: 3, margin: 0.5)]) { x in try x[0].div(x[1]) }
        assertGradientsMatch([try! sample([3], margin: 0.3).abs(), sample([3], seed: 4)]) { x in try x[0].pow(x[1]) }
    }

    func testUnaryGradients() {
        assertGradientsMatch([sample([5])]) { x in try x[0].exp() }
        assertGradientsMatch([try! sample([5], margin: 0.2).abs()]) { x in try x[0].log() }
        assertGradientsMatch([try! sample([5], margin: 0.2).abs()]) { x in try x[0].sqrt() }
        assertGradientsMatch([sample([5], margin: 0.1)]) { x in try x[0].abs() }
        assertGradientsMatch([sample([5])]) { x in try x[0].tanh() }
        assertGradientsMatch([sample([5])]) { x in try x[0].sigmoid() }
        assertGradientsMatch([sample([5], margin: 0.1)]) { x in try x[0].relu() }
        assertGradientsMatch([sample([5])]) { x in try x[0].neg() }
    }

    func testReductions() throws {
        let a = try Tensor(shape: [2, 3], values: [1, 5, 3, 4, 2, 6])
        XCTAssertEqual(try a.sum().item(), 21)
        XCTAssertEqual(try a.sum(axis: 0).values, [5, 7, 9])
        XCTAssertEqual(try a.sum(axis: 1, keepdim: true).shape, [2, 1])
        XCTAssertEqual(try a.mean(axis: -1).values, [3, 4])
        XCTAssertEqual(try a.max(axis: 1).values, [5, 6])
        XCTAssertEqual(try a.min().item(), 1)
        XCTAssertEqual(try a.argmax(axis: 1).values, [1, 2])
        XCTAssertThrowsError(try a.sum(axis: 2)) { error in
            XCTAssertEqual((error as! TensorError).message, "sum: axis 2 is out of range for a tensor with 2 dimensions")
        }
        assertGradientsMatch([sample([2, 3, 4])]) { x in try x[0].sum(axis: 1) }
        assertGradientsMatch([sample([2, 3, 4])]) { x in try x[0].mean(axis: -1, keepdim: true) }
        assertGradientsMatch([sample([2, 3, 4])]) { x in try x[0].max(axis: 2) }
        assertGradientsMatch([sample([3, 4])]) { x in try x[0].min() }
    }

    func testViewsShareStorageAndBackprop() throws {
        let a = try Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
        let t = try a.transpose()
        XCTAssertTrue(t.storage === a.storage)
        XCTAssertFalse(t.isContiguous)
        XCTAssertEqual(t.values, [1, 4, 2, 5, 3, 6])
        XCTAssertEqual(try a.slice(axis: 1, start: 1, end: nil).values, [2, 3, 5, 6])
        XCTAssertEqual(try a.slice(axis: 1, start: 0, end: nil, step: 2).values, [1, 3, 4, 6])
        XCTAssertEqual(try a.select(axis: 0, index: -1).values, [4, 5, 6])
        XCTAssertEqual(try a.reshape([3, -1]).shape, [3, 2])
        XCTAssertEqual(try a.unsqueeze(0).shape, [1, 2, 3])
        XCTAssertEqual(try a.permute([1, 0]).values, t.values)
        XCTAssertEqual(try Tensor.concat([a, a], axis: 0).shape, [4, 3])
        XCTAssertEqual(try Tensor.stack([a, a], axis: 1).shape, [2, 2, 3])
        XCTAssertEqual(try a.indexSelect(axis: 1, indices: Tensor(shape: [2], values: [2, 0])).values, [3, 1, 6, 4])
        XCTAssertThrowsError(try a.reshape([4, 2])) { error in
            XCTAssertEqual((error as! TensorError).message, "reshape: cannot reshape [2,3] (6 elements) into [4,2] (8 elements)")
        }
        assertGradientsMatch([sample([2, 3])]) { x in try x[0].transpose().reshape([6]) }
        assertGradientsMatch([sample([3, 4])]) { x in try x[0].slice(axis: 1, start: 1, end: 4, step: 2) }
        assertGradientsMatch([sample([2, 3, 4])]) { x in try x[0].permute([2, 0, 1]).contiguous() }
        assertGradientsMatch([sample([1, 3])]) { x in try x[0].expandTo([4, 3]) }
        assertGradientsMatch([sample([4, 3])]) { x in try x[0].indexSelect(axis: 0, indices: try Tensor(shape: [3], values: [3, 0, 3])) }
        assertGradientsMatch([sample([2, 3]), sample([1, 3], seed: 5)]) { x in try Tensor.concat([x[0], x[1]], axis: 0) }
    }

    /// matmul against a naive triple loop, for plain, transposed, batched and broadcast operands.
    func testMatmulMatchesReferenceLoops() throws {
        func reference(_ a: Tensor, _ b: Tensor) -> [Float] {
            let a = a.values, b = b.values
            let m = a.count / 4, n = b.count / 4
            var c = [Float](repeating: 0, count: m * n)
            for i in 0..<m { for j in 0..<n { for k in 0..<4 { c[i * n + j] += a[i * 4 + k] * b[k * n + j] } } }
            return c
        }
        let a = sample([3, 4]), b = sample([4, 5], seed: 2)
        assertClose(try a.matmul(b).values, reference(a, b))
        let bt = sample([5, 4], seed: 3)
        assertClose(try a.matmul(bt.transpose()).values, reference(a, try bt.transpose().copied))
        let batch = sample([2, 3, 4], seed: 4)
        let out = try batch.matmul(b)
        XCTAssertEqual(out.shape, [2, 3, 5])
        for i in 0..<2 {
            assertClose(try out.select(axis: 0, index: i).values, reference(try batch.select(axis: 0, index: i), b))
        }
        XCTAssertEqual(try sample([4]).matmul(sample([4], seed: 2)).shape, [])
        XCTAssertThrowsError(try sample([32, 128]).matmul(sample([64, 512]))) { error in
            XCTAssertEqual((error as! TensorError).message, "matmul: [32,128] @ [64,512]: inner dimensions 128 and 64 differ")
        }
        assertGradientsMatch([sample([3, 4]), sample([4, 2], seed: 2)]) { x in try x[0].matmul(x[1]) }
        assertGradientsMatch([sample([2, 3, 4]), sample([4, 2], seed: 2)]) { x in try x[0].matmul(x[1]) }
        assertGradientsMatch([sample([4]), sample([4, 2], seed: 2)]) { x in try x[0].matmul(x[1]) }
    }

    func testBackwardAccumulatesAndReleases() throws {
        let w = try Tensor(shape: [2], values: [1, 2])
        w.requiresGrad = true
        let loss = try w.mul(w).sum()
        try Autograd.backward(loss)
        XCTAssertEqual(w.grad?.values, [2, 4])
        XCTAssertThrowsError(try Autograd.backward(loss)) { error in
            XCTAssertTrue((error as! TensorError).message.contains("already used"))
        }
        try Autograd.backward(w.mul(w).sum())
        XCTAssertEqual(w.grad?.values, [4, 8], "gradients accumulate across backward calls")
        let noGrad = try GradMode.withoutGrad { () throws(TensorError) in try w.mul(w) }
        XCTAssertFalse(noGrad.needsGrad)
    }

    func testDeepGraphsDoNotRecurse() throws {
        let x = try Tensor(shape: [1], values: [1])
        x.requiresGrad = true
        var y = x
        for _ in 0..<20_000 { y = try y.add(Tensor(scalar: 1)) }
        try Autograd.backward(y.sum())
        XCTAssertEqual(x.grad?.values, [1])
    }
}
