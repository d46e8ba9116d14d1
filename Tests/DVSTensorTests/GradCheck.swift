import XCTest

@testable import DVSTensor

/// Checks analytic gradients against central finite differences.
///
/// The scalar checked is L = Σ w ⊙ f(inputs) with fixed random weights w, so
/// every output element matters. Each input element is nudged by ±h
/// (h = 1e-2·max(1, |x|)) and L is accumulated in Float64; the analytic
/// gradient must satisfy |num − ana| ≤ atol + rtol·|num| (defaults 2e-2, 2e-2:
/// the ops themselves run in Float32).
func assertGradientsMatch(
    _ inputs: [Tensor], atol: Double = 2e-2, rtol: Double = 2e-2,
    file: StaticString = #filePath, line: UInt = #line,
    _ f: ([Tensor]) throws -> Tensor
) {
    do {
        for t in inputs { t.requiresGrad = true; t.grad = nil }
        let out = try f(inputs)
        let rng = RandomGenerator(seed: 99)
        let weights = try Tensor(shape: out.shape, values: (0..<out.count).map { _ in Float(rng.nextDouble() * 2 - 1) })
        func lossValue() throws -> Double {
            let y = try GradMode.withoutGrad { () throws -> Tensor in try f(inputs) }.values
            return zip(y, weights.values).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        }
        try Autograd.backward(out.mul(weights).sum())
        for (which, t) in inputs.enumerated() {
            guard let grad = t.grad?.values else {
                XCTFail("input \(which) got no gradient", file: file, line: line)
                continue
            }
            precondition(t.isContiguous, "gradient checks perturb contiguous inputs")
            for i in 0..<t.count {
                let x = t.data[i]
                let h = 1e-2 * Swift.max(1, Swift.abs(x))
                t.data[i] = x + h
                let plus = try lossValue()
                t.data[i] = x - h
                let minus = try lossValue()
                t.data[i] = x
                let numeric = (plus - minus) / (2 * Double(h))
                let analytic = Double(grad[i])
                if Swift.abs(numeric - analytic) > atol + rtol * Swift.abs(numeric) {
                    XCTFail("input \(which) element \(i): analytic \(analytic) vs numeric \(numeric)", file: file, line: line)
                    return
                }
            }
        }
    } catch {
        XCTFail("gradient check threw: \(error)", file: file, line: line)
    }
}

/// A tensor of the given shape with seeded values in [-1, 1) (away from 0 by
/// `margin` when asked, for functions with a kink at 0).
func sample(_ shape: [Int], seed: UInt64 = 1, margin: Float = 0) -> Tensor {
    let rng = RandomGenerator(seed: seed)
    let values: [Float] = (0..<Shape.count(shape)).map { _ in
        var v = Float(rng.nextDouble() * 2 - 1)
        if margin > 0, Swift.abs(v) < margin { v = v < 0 ? -margin : margin }
        return v
    }
    return try! Tensor(shape: shape, values: values)
}

func assertClose(_ a: [Float], _ b: [Float], tolerance: Float = 1e-4, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, "lengths differ", file: file, line: line)
    for (i, (x, y)) in zip(a, b).enumerated() where Swift.abs(x - y) > tolerance * Swift.max(1, Swift.abs(y)) {
        XCTFail("element \(i): \(x) vs \(y)", file: file, line: line)
        return
    }
}

/// Test shorthands for the throwing accessors: a failure here is a test bug
/// (tests make small tensors), so it stops the test run loudly.
extension Tensor {
    var values: [Float] { try! toArray() }
    var copied: Tensor { try! contiguousCopy() }
}

extension Optimizer {
    var state: [(String, Tensor)] { try! stateTensors() }
}

/// a @ b by naive loops in Float64 (batch dimensions broadcast), row-major:
/// the reference for products computed through BLAS.
func naiveMatmul(_ a: Tensor, _ b: Tensor) throws -> [Float] {
    let m = a.shape[a.rank - 2], k = a.shape[a.rank - 1], n = b.shape[b.rank - 1]
    let batch = try Shape.broadcast(Array(a.shape.dropLast(2)), Array(b.shape.dropLast(2)), "test")
    let ea = try a.expandTo(batch + [m, k]).contiguousCopy().toArray()
    let eb = try b.expandTo(batch + [k, n]).contiguousCopy().toArray()
    var out = [Float](repeating: 0, count: Shape.count(batch) * m * n)
    for p in 0..<Shape.count(batch) {
        for i in 0..<m {
            for j in 0..<n {
                var s: Double = 0
                for q in 0..<k { s += Double(ea[p * m * k + i * k + q]) * Double(eb[p * k * n + q * n + j]) }
                out[p * m * n + i * n + j] = Float(s)
            }
        }
    }
    return out
}
