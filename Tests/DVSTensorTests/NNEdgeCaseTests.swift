import XCTest

@testable import DVSTensor

/// The vectorizable math helpers behind the kernels, and kernels on empty
/// and extreme inputs.
final class NNEdgeCaseTests: XCTestCase {
    func testVexpMatchesExpToAboutOneUlp() {
        var worst = 0.0
        var x: Float = -86
        while x < 88.7 {
            let exact = Foundation.exp(Double(x))
            worst = Swift.max(worst, Swift.abs(Double(vexp(x)) - exact) / exact)
            x += 0.0137
        }
        XCTAssertLessThan(worst, 2.5e-7)
        XCTAssertEqual(vexp(0), 1)
        XCTAssertEqual(vexp(-.infinity), 0)
        XCTAssertEqual(vexp(-1000), 0)
        XCTAssertEqual(vexp(100), .infinity)
        XCTAssertEqual(vexp(.infinity), .infinity)
        XCTAssertTrue(vexp(.nan).isNaN)
    }

    func testRowReductionsHandleEveryLength() {
        for n in [0, 1, 3, 7, 8, 9, 17] {
            let a = (0..<n).map { Float($0) - 4.5 }, b = (0..<n).map { Float($0 % 3) + 0.5 }
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    let p = pa.baseAddress ?? UnsafePointer(bitPattern: 8)!, q = pb.baseAddress ?? UnsafePointer(bitPattern: 8)!
                    XCTAssertEqual(rowSum(p, n), a.reduce(0, +))
                    XCTAssertEqual(rowDot(p, q, n), zip(a, b).map(*).reduce(0, +), accuracy: 1e-4)
                    XCTAssertEqual(rowMax(p, n), a.max() ?? -.infinity)
                }
            }
        }
    }

    func testEmptyTensors() throws {
        XCTAssertEqual(try Tensor.zeros([0, 3]).softmax().shape, [0, 3])
        XCTAssertEqual(try Tensor.zeros([3, 0]).logSoftmax().shape, [3, 0])
        XCTAssertEqual(try Tensor.zeros([2, 0, 3]).softmax(axis: 1).shape, [2, 0, 3])
        XCTAssertEqual(try Tensor.zeros([2, 0]).layerNorm().shape, [2, 0])
        XCTAssertEqual(try Tensor.zeros([0]).gelu().shape, [0])
        XCTAssertEqual(try Tensor.embedding(weight: sample([3, 2]), ids: Tensor.zeros([0])).shape, [0, 2])
        let q = sample([1, 2, 3, 4])
        XCTAssertEqual(try Tensor.scaledDotProductAttention(Tensor.zeros([1, 2, 0, 4]), q, q).shape, [1, 2, 0, 4])
        // No keys at all: every query is fully masked.
        let none = try Tensor.scaledDotProductAttention(q, Tensor.zeros([1, 2, 0, 4]), Tensor.zeros([1, 2, 0, 5]))
        XCTAssertEqual(none.shape, [1, 2, 3, 5])
        XCTAssertEqual(none.values, [Float](repeating: 0, count: 30))
    }

    func testExtremeInputsStayFinite() throws {
        // Logits in the thousands: cross-entropy and its gradient stay exact.
        let logits = try Tensor(shape: [2, 3], values: [1000, 0, -1000, 5000, 5001, 5002])
        logits.requiresGrad = true
        let loss = try logits.crossEntropy(labels: Tensor(shape: [2], values: [0, 0]), reduction: .none)
        assertClose(loss.values, [0, 2.40760596])
        try Autograd.backward(loss.sum())
        XCTAssertFalse(logits.grad!.values.contains { !$0.isFinite })
        // Layer norm of a row far from 0 with a small spread.
        let far = try Tensor(shape: [1, 4], values: [1000, 1000.5, 1001, 1001.5])
        assertClose(try far.layerNorm(eps: 0).values, [-1.3416408, -0.4472136, 0.4472136, 1.3416408], tolerance: 1e-4)
        // GELU far out on both sides.
        assertClose(try Tensor(shape: [4], values: [-100, -10, 10, 100]).gelu().values, [0, 0, 10, 100], tolerance: 1e-6)
        // Softmax with -inf entries gives exact zeros there; a row of only -inf is nan, as in PyTorch.
        let masked = try Tensor(shape: [2, 3], values: [0, -.infinity, 0, -.infinity, -.infinity, -.infinity]).softmax().values
        XCTAssertEqual(Array(masked[0..<3]), [0.5, 0, 0.5])
        XCTAssertTrue(masked[3...].allSatisfy(\.isNaN))
    }

    func testKernelsRecordNothingWithoutGrad() throws {
        let x = sample([2, 3])
        x.requiresGrad = true
        let y = try GradMode.withoutGrad { () throws(TensorError) in try x.softmax().gelu().layerNorm().dropout(p: 0.5) }
        XCTAssertFalse(y.needsGrad)
        let z = try x.softmax()
        XCTAssertEqual(z.gradFn?.op, "softmax")
        XCTAssertEqual(try x.crossEntropy(labels: Tensor(shape: [2], values: [0, 2])).gradFn?.op, "cross_entropy")
        let a = try Tensor.scaledDotProductAttention(x.unsqueeze(0), x.unsqueeze(0), x.unsqueeze(0), causal: true)
        XCTAssertEqual(a.gradFn?.op, "scaled_dot_product_attention")
        XCTAssertEqual(a.gradFn?.detail, "causal")
    }
}
