import XCTest

@testable import DVSTensor

/// `affine(x, w, b)` = x @ w + b as one op: values, gradients and errors.
final class AffineTests: XCTestCase {
    func testValuesEqualProductPlusBiasForEveryLayout() throws {
        let w = sample([4, 6], seed: 2), b = sample([6], seed: 3)
        for x in [
            sample([3, 5, 4], seed: 1), sample([4], seed: 4), sample([5, 4], seed: 5),
            try sample([4, 5], seed: 6).transpose(),
        ] {  // a non-contiguous x is copied first
            let expected = try x.matmul(w).add(b)
            let got = try x.affine(w, b)
            XCTAssertEqual(got.shape, expected.shape)
            assertClose(got.values, expected.values, tolerance: 1e-5)
        }
        // A transposed weight view goes to BLAS as transposed.
        let wt = try sample([6, 4], seed: 7).transpose()
        let x = sample([2, 3, 4], seed: 8)
        assertClose(try x.affine(wt, b).values, try x.matmul(wt).add(b).values, tolerance: 1e-5)
    }

    func testGradientsMatchFiniteDifferences() {
        assertGradientsMatch([sample([2, 3, 4], seed: 1), sample([4, 5], seed: 2), sample([5], seed: 3)]) { t in
            try t[0].affine(t[1], t[2])
        }
        assertGradientsMatch([sample([4], seed: 4), sample([4, 2], seed: 5), sample([2], seed: 6)]) { t in
            try t[0].affine(t[1], t[2])
        }
    }

    func testEmptyInnerDimensionGivesTheBias() throws {
        let out = try Tensor.zeros([3, 0]).affine(Tensor.zeros([0, 2]), Tensor(shape: [2], values: [1, 2]))
        XCTAssertEqual(out.values, [1, 2, 1, 2, 1, 2])
    }

    func testShapeErrorsNameBothShapes() {
        XCTAssertThrowsError(try sample([3, 4]).affine(sample([5, 2]), sample([2]))) { error in
            XCTAssertEqual((error as? TensorError)?.message, "affine: x [3,4] @ w [5,2]: inner dimensions 4 and 5 differ")
        }
        XCTAssertThrowsError(try sample([3, 4]).affine(sample([4, 2]), sample([3]))) { error in
            XCTAssertEqual((error as? TensorError)?.message, "affine: bias shape [3] does not match the 2 columns of w [4,2] (expected [2])")
        }
        XCTAssertThrowsError(try sample([3, 4]).affine(sample([4]), sample([4]))) { error in
            XCTAssertEqual((error as? TensorError)?.message, "affine: needs x with at least 1 dimension and a matrix w, got x [3,4] and w [4]")
        }
    }
}
