import XCTest

@testable import DVSTensor

final class GradClipTests: XCTestCase {
    private func parameters(_ grads: [[Float]?], shapes: [[Int]]) throws -> [Tensor] {
        try zip(grads, shapes).map { g, shape in
            let p = try Tensor.zeros(shape)
            p.requiresGrad = true
            p.grad = try g.map { v throws in try Tensor(shape: shape, values: v) }
            return p
        }
    }

    func testClipsToMaxNormOverAllGradients() throws {
        // norm = √(9 + 16 + 1 + 4 + 0.25 + 2.25 + 6.25) = √38.75
        let ps = try parameters([[3, -4, 1, 2], [0.5, -1.5, 2.5, 0], nil], shapes: [[4], [2, 2], [3]])
        let norm = try clipGradNorm(ps, maxNorm: 1)
        XCTAssertEqual(norm, Float(38.75.squareRoot()))
        // Expected from numpy, as torch.nn.utils.clip_grad_norm_ computes it:
        // coef = f32(1) / (f32(norm) + f32(1e-6)) = 0.16064385, g *= coef.
        let coef: Float = 0.16064385
        XCTAssertEqual(1 / (norm + 1e-6), coef)
        assertRelativelyClose(ps[0].grad!.values, [0.48193154, -0.6425754, 0.16064385, 0.3212877], "g0")
        assertRelativelyClose(ps[1].grad!.values, [0.08032192, -0.24096577, 0.4016096, 0], "g1")
        XCTAssertNil(ps[2].grad)
        let after = ps.compactMap { $0.grad?.values }.joined().reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        XCTAssertEqual(after, 1, accuracy: 1e-6)
    }

    func testLeavesSmallGradientsAlone() throws {
        let ps = try parameters([[3, -4], [0.5, 0.25]], shapes: [[2], [2]])
        let norm = try clipGradNorm(ps, maxNorm: 10)
        XCTAssertEqual(norm, Float((25.3125).squareRoot()))
        XCTAssertEqual(ps[0].grad!.values, [3, -4])
        XCTAssertEqual(ps[1].grad!.values, [0.5, 0.25])
    }

    func testNormAtTheLimitIsScaledAsPyTorchDoes() throws {
        // PyTorch clamps coef = max/(norm + 1e-6) to 1, so a norm equal to maxNorm
        // is still scaled by 5/(5 + 1e-6) in Float32.
        let ps = try parameters([[3, 4]], shapes: [[2]])
        XCTAssertEqual(try clipGradNorm(ps, maxNorm: 5), 5)
        let coef: Float = 5 / (5 + 1e-6)
        XCTAssertLessThan(coef, 1)
        XCTAssertEqual(ps[0].grad!.values, [3 * coef, 4 * coef])
    }

    func testEdgeCases() throws {
        XCTAssertEqual(try clipGradNorm(try parameters([nil], shapes: [[2]]), maxNorm: 1), 0)
        XCTAssertEqual(try clipGradNorm([], maxNorm: 1), 0)
        // The same parameter twice counts once.
        let p = try parameters([[3, 4]], shapes: [[2]])[0]
        XCTAssertEqual(try clipGradNorm([p, p], maxNorm: 1), 5)
        assertRelativelyClose(p.grad!.values, [0.6, 0.8], "scaled once")
        // A non-contiguous gradient is replaced by a scaled contiguous copy.
        let q = try Tensor.zeros([2, 2])
        q.grad = try Tensor(shape: [2, 2], values: [0, 3, 4, 0]).transpose()
        XCTAssertEqual(try clipGradNorm([q], maxNorm: 2.5), 5)
        XCTAssertTrue(q.grad!.isContiguous)
        assertRelativelyClose(q.grad!.values, [0, 2, 1.5, 0], "transposed")
    }

    func testErrors() throws {
        let ps = try parameters([[1, .infinity]], shapes: [[2]])
        for bad: Float in [0, -1, .nan] {
            XCTAssertThrowsError(try clipGradNorm(ps, maxNorm: bad)) { error in
                XCTAssertEqual((error as? TensorError)?.message, "clipGradNorm: maxNorm must be a finite number > 0, got \(bad)")
            }
        }
        XCTAssertThrowsError(try clipGradNorm(ps, maxNorm: 1, errorIfNonfinite: true)) { error in
            XCTAssertEqual((error as? TensorError)?.message, "clipGradNorm: the total norm of the gradients is inf; a gradient holds inf or nan")
        }
        XCTAssertEqual(ps[0].grad!.values, [1, .infinity])
        // Without the check, PyTorch's arithmetic: coef = 1/inf = 0.
        XCTAssertEqual(try clipGradNorm(ps, maxNorm: 1), .infinity)
        XCTAssertEqual(ps[0].grad!.values[0], 0)
    }
}
