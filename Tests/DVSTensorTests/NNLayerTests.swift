import XCTest

@testable import DVSTensor

/// Layer norm, GELU, embedding, dropout, masked_fill and where.
final class NNLayerTests: XCTestCase {
    // MARK: layer norm

    private func referenceLayerNorm(_ x: [Float], c: Int, weight: [Float]?, bias: [Float]?, eps: Double = 1e-5) -> [Float] {
        var out = [Float](repeating: 0, count: x.count)
        for r in 0..<(x.count / c) {
            let row = (0..<c).map { Double(x[r * c + $0]) }
            let mean = row.reduce(0, +) / Double(c)
            let variance = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(c)
            for j in 0..<c {
                let n = (row[j] - mean) / (variance + eps).squareRoot()
                out[r * c + j] = Float(n * Double(weight?[j] ?? 1) + Double(bias?[j] ?? 0))
            }
        }
        return out
    }

    func testLayerNormMatchesReference() throws {
        let x = try sample([2, 3, 5], seed: 3).mul(Tensor(scalar: 4)).add(Tensor(scalar: 1))
        let w = sample([5], seed: 4), b = sample([5], seed: 5)
        assertClose(try x.layerNorm(weight: w, bias: b).values, referenceLayerNorm(x.values, c: 5, weight: w.values, bias: b.values))
        assertClose(try x.layerNorm().values, referenceLayerNorm(x.values, c: 5, weight: nil, bias: nil))
        assertClose(try x.layerNorm(weight: w).values, referenceLayerNorm(x.values, c: 5, weight: w.values, bias: nil))
        assertClose(try x.layerNorm(bias: b, eps: 0.1).values, referenceLayerNorm(x.values, c: 5, weight: nil, bias: b.values, eps: 0.1))
        let t = try sample([5, 4], seed: 6).transpose()
        assertClose(try t.layerNorm().values, referenceLayerNorm(t.values, c: 5, weight: nil, bias: nil))
        // Each normalized row has mean 0 and variance ≈ 1.
        let y = try sample([3, 64], seed: 7).layerNorm().values
        for r in 0..<3 {
            let row = y[r * 64..<(r + 1) * 64]
            XCTAssertEqual(row.reduce(0, +) / 64, 0, accuracy: 1e-5)
            XCTAssertEqual(row.map { $0 * $0 }.reduce(0, +) / 64, 1, accuracy: 1e-3)
        }
        // A constant row normalizes to the bias.
        assertClose(
            try Tensor.full([1, 4], 3).layerNorm(weight: w.slice(axis: 0, start: 0, end: 4), bias: b.slice(axis: 0, start: 0, end: 4)).values,
            Array(b.values[0..<4]))
    }

    func testLayerNormGradients() {
        assertGradientsMatch([sample([2, 3, 5]), sample([5], seed: 2), sample([5], seed: 3)]) { x in
            try x[0].layerNorm(weight: x[1], bias: x[2])
        }
        assertGradientsMatch([sample([4, 6], seed: 4)]) { x in try x[0].layerNorm() }
        assertGradientsMatch([sample([3, 4], seed: 5), sample([4], seed: 6)]) { x in try x[0].layerNorm(weight: x[1]) }
        assertGradientsMatch([sample([3, 4], seed: 7), sample([4], seed: 8)]) { x in try x[0].layerNorm(bias: x[1]) }
        assertGradientsMatch([sample([5, 3], seed: 9), sample([5], seed: 10), sample([5], seed: 11)]) { x in
            try x[0].transpose().layerNorm(weight: x[1], bias: x[2])
        }
        assertGradientsMatch([sample([3, 1], seed: 12), sample([1], seed: 13), sample([1], seed: 14)]) { x in
            try x[0].layerNorm(weight: x[1], bias: x[2])
        }
        assertGradientsMatch([sample([7], seed: 15)]) { x in try x[0].layerNorm(eps: 0.01) }
    }

    func testLayerNormErrors() {
        let x = sample([2, 5, 32])
        assertThrowsMessage("layer_norm: weight shape [64] does not match the last dimension of [2,5,32]") {
            try x.layerNorm(weight: Tensor.ones([64]))
        }
        assertThrowsMessage("layer_norm: bias shape [1,32] does not match the last dimension of [2,5,32]") {
            try x.layerNorm(bias: Tensor.ones([1, 32]))
        }
        assertThrowsMessage("layer_norm: needs at least 1 dimension, got shape []") { try Tensor(scalar: 1).layerNorm() }
        assertThrowsMessage("layer_norm: eps must be a non-negative number, got -1") { try x.layerNorm(eps: -1) }
    }

    // MARK: GELU

    func testGeluKnownValues() throws {
        let x = try Tensor(shape: [5], values: [0, 1, -1, 3, -3])
        assertClose(try x.gelu().values, [0, 0.841192, -0.158808, 2.996363, -0.003637], tolerance: 1e-5)
        let s = sample([4, 6], seed: 2).values.map { $0 * 4 }
        let reference = s.map { v -> Float in
            let d = Double(v)
            return Float(0.5 * d * (1 + Foundation.tanh((2 / Double.pi).squareRoot() * (d + 0.044715 * d * d * d))))
        }
        assertClose(try Tensor(shape: [4, 6], values: s).gelu().values, reference, tolerance: 1e-5)
    }

    func testGeluGradients() {
        assertGradientsMatch([sample([3, 4])]) { x in try x[0].gelu() }
        assertGradientsMatch([try! sample([2, 5], seed: 2).mul(Tensor(scalar: 3))]) { x in try x[0].gelu() }
        assertGradientsMatch([sample([4, 2], seed: 3)]) { x in try x[0].transpose().gelu() }
        assertGradientsMatch([sample([1], seed: 4)]) { x in try x[0].gelu() }
    }

    // MARK: embedding

    func testEmbeddingLooksUpRowsAndScatterAddsGradients() throws {
        let weight = try Tensor(shape: [4, 3], values: (0..<12).map(Float.init))
        let ids = try Tensor(shape: [2, 2], values: [3, 0, 3, 1])
        let out = try Tensor.embedding(weight: weight, ids: ids)
        XCTAssertEqual(out.shape, [2, 2, 3])
        XCTAssertEqual(out.values, [9, 10, 11, 0, 1, 2, 9, 10, 11, 3, 4, 5])
        XCTAssertEqual(try Tensor.embedding(weight: weight, ids: Tensor(scalar: 2)).values, [6, 7, 8])
        weight.requiresGrad = true
        try Autograd.backward(Tensor.embedding(weight: weight, ids: ids).sum())
        XCTAssertEqual(weight.grad?.values, [1, 1, 1, 1, 1, 1, 0, 0, 0, 2, 2, 2])

        let repeated = try Tensor(shape: [2, 3], values: [1, 1, 4, 0, 1, 2])
        assertGradientsMatch([sample([5, 3])]) { x in try Tensor.embedding(weight: x[0], ids: repeated) }
        assertGradientsMatch([sample([3, 4], seed: 2)]) { x in
            try Tensor.embedding(weight: x[0].transpose(), ids: Tensor(shape: [3], values: [3, 3, 0]))
        }
        assertGradientsMatch([sample([2, 1], seed: 3)]) { x in try Tensor.embedding(weight: x[0], ids: Tensor(shape: [1, 1], values: [1])) }
    }

    func testEmbeddingErrors() {
        let weight = sample([10, 4])
        assertThrowsMessage("embedding: id 12 at [1,0] is out of range for a vocabulary of 10 (expected 0..<10)") {
            try Tensor.embedding(weight: weight, ids: Tensor(shape: [2, 2], values: [1, 2, 12, 0]))
        }
        assertThrowsMessage("embedding: id -1 at [0] is out of range for a vocabulary of 10 (expected 0..<10)") {
            try Tensor.embedding(weight: weight, ids: Tensor(shape: [1], values: [-1]))
        }
        assertThrowsMessage("embedding: ids must be whole numbers, got 0.5000 at [1]") {
            try Tensor.embedding(weight: weight, ids: Tensor(shape: [2], values: [1, 0.5]))
        }
        assertThrowsMessage("embedding: weight must have shape [V, D], got [10]") {
            try Tensor.embedding(weight: sample([10]), ids: Tensor(shape: [1], values: [1]))
        }
    }

    // MARK: dropout

    func testDropoutIsSeededAndScalesSurvivors() throws {
        let x = try Tensor.ones([10_000])
        RandomGenerator.shared.reseed(42)
        let a = try x.dropout(p: 0.3).values
        RandomGenerator.shared.reseed(42)
        let b = try x.dropout(p: 0.3).values
        XCTAssertEqual(a, b, "same seed, same mask")
        let c = try x.dropout(p: 0.3).values
        XCTAssertNotEqual(a, c, "the generator moves on")
        let dropped = a.filter { $0 == 0 }.count
        XCTAssertEqual(Double(dropped) / 10_000, 0.3, accuracy: 0.03)
        XCTAssertTrue(a.allSatisfy { $0 == 0 || Swift.abs($0 - 1 / 0.7) < 1e-6 })
        XCTAssertEqual(Double(a.reduce(0, +)) / 10_000, 1, accuracy: 0.05, "inverted scaling keeps the mean")
        XCTAssertTrue(try x.dropout(p: 0.3, training: false) === x)
        XCTAssertTrue(try x.dropout(p: 0) === x)
    }

    func testDropoutGradientUsesTheSameMask() throws {
        let x = try sample([4, 5]).transpose()
        let leaf = sample([5, 4], seed: 2)
        leaf.requiresGrad = true
        RandomGenerator.shared.reseed(7)
        let y = try leaf.add(x).dropout(p: 0.5)
        let w = sample([5, 4], seed: 3)
        try Autograd.backward(y.mul(w).sum())
        let yv = y.values, sum = try leaf.add(x).values, g = leaf.grad!.values, wv = w.values
        for i in 0..<20 {
            let kept = yv[i] != 0
            XCTAssertEqual(g[i], kept ? wv[i] * 2 : 0, accuracy: 1e-6)
            if kept { XCTAssertEqual(yv[i], sum[i] * 2, accuracy: 1e-6) }
        }
    }

    func testDropoutRejectsBadP() {
        let x = sample([3])
        assertThrowsMessage("dropout: p must be in [0, 1), got 1") { try x.dropout(p: 1) }
        assertThrowsMessage("dropout: p must be in [0, 1), got -0.1000") { try x.dropout(p: -0.1) }
        assertThrowsMessage("dropout: p must be in [0, 1), got nan") { try x.dropout(p: .nan, training: false) }
    }

    // MARK: masked_fill and where

    func testMaskedFill() throws {
        let x = try Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(try x.maskedFill(mask: Tensor(shape: [3], values: [0, 1, 0]), value: -9).values, [1, -9, 3, 4, -9, 6])
        XCTAssertEqual(try x.maskedFill(mask: Tensor(shape: [2, 1], values: [0, 2]), value: 0).values, [1, 2, 3, 0, 0, 0])
        let causal = try Tensor(shape: [3, 3], values: [0, 1, 1, 0, 0, 1, 0, 0, 0])
        let filled = try sample([3, 3]).maskedFill(mask: causal, value: -.infinity).softmax().values
        XCTAssertEqual(filled[1], 0)
        XCTAssertEqual(filled[0], 1)
        // The mask may be larger than the tensor: the result has the broadcast shape.
        XCTAssertEqual(try Tensor(shape: [2], values: [1, 2]).maskedFill(mask: Tensor(shape: [2, 2], values: [1, 0, 0, 1]), value: 7).values, [7, 2, 1, 7])
        assertThrowsMessage("masked_fill: shapes [2,3] and [2] cannot be broadcast (dimension 1: 3 vs 2)") {
            try x.maskedFill(mask: Tensor.ones([2]), value: 0)
        }

        let mask = try Tensor(shape: [1, 4], values: [1, 0, 0, 1])
        assertGradientsMatch([sample([3, 4])]) { x in try x[0].maskedFill(mask: mask, value: 5) }
        assertGradientsMatch([sample([4, 3], seed: 2)]) { x in try x[0].transpose().maskedFill(mask: mask, value: 0) }
        assertGradientsMatch([sample([4], seed: 3)]) { x in try x[0].maskedFill(mask: Tensor(shape: [2, 4], values: [1, 0, 0, 0, 0, 0, 1, 0]), value: 0) }
        let leaf = sample([3, 4], seed: 4)
        leaf.requiresGrad = true
        try Autograd.backward(leaf.maskedFill(mask: mask, value: 5).sum())
        XCTAssertEqual(leaf.grad?.values, [0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0])
    }

    func testWhere() throws {
        let c = try Tensor(shape: [2, 1], values: [1, 0])
        let x = try Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
        let y = try Tensor(shape: [3], values: [-1, -2, -3])
        XCTAssertEqual(try Tensor.where(condition: c, x: x, y: y).values, [1, 2, 3, -1, -2, -3])
        XCTAssertEqual(try Tensor.where(condition: x.compare(Tensor(scalar: 3), .greater), x: x, y: Tensor(scalar: 0)).values, [0, 0, 0, 4, 5, 6])
        XCTAssertEqual(try Tensor.where(condition: Tensor(scalar: 1), x: Tensor(scalar: 2), y: Tensor(scalar: 3)).values, [2])
        assertThrowsMessage("where: shapes [2,3] and [2] cannot be broadcast (dimension 1: 3 vs 2)") {
            try Tensor.where(condition: c, x: x, y: Tensor.ones([2]))
        }

        let cond = try Tensor(shape: [2, 3], values: [1, 0, 1, 0, 0, 1])
        assertGradientsMatch([sample([2, 3]), sample([2, 3], seed: 2)]) { v in try Tensor.where(condition: cond, x: v[0], y: v[1]) }
        assertGradientsMatch([sample([3]), sample([2, 1], seed: 2)]) { v in try Tensor.where(condition: cond, x: v[0], y: v[1]) }
        assertGradientsMatch([sample([3, 2], seed: 3), sample([1], seed: 4)]) { v in
            try Tensor.where(condition: c, x: v[0].transpose(), y: v[1])
        }
        let a = sample([2, 3], seed: 5), b = sample([2, 3], seed: 6)
        a.requiresGrad = true
        b.requiresGrad = true
        try Autograd.backward(Tensor.where(condition: cond, x: a, y: b).sum())
        XCTAssertEqual(a.grad?.values, [1, 0, 1, 0, 0, 1])
        XCTAssertEqual(b.grad?.values, [0, 1, 0, 1, 1, 0])
    }
}
