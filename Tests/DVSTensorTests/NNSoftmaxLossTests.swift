import XCTest

@testable import DVSTensor

/// Asserts that `body` throws a TensorError whose message is exactly `message`.
func assertThrowsMessage<T>(
    _ message: String, file: StaticString = #filePath, line: UInt = #line,
    _ body: () throws -> T
) {
    XCTAssertThrowsError(try body(), file: file, line: line) { error in
        XCTAssertEqual((error as? TensorError)?.message, message, file: file, line: line)
    }
}

/// Softmax along `axis` of a contiguous [outer, n, inner] layout, by explicit loops in Double.
func referenceSoftmax(_ x: [Float], shape: [Int], axis: Int, log: Bool = false) -> [Float] {
    let n = shape[axis]
    let outer = shape[..<axis].reduce(1, *), inner = shape[(axis + 1)...].reduce(1, *)
    var out = [Float](repeating: 0, count: x.count)
    for o in 0..<outer {
        for i in 0..<inner {
            let at = (0..<n).map { (o * n + $0) * inner + i }
            let m = at.map { Double(x[$0]) }.max()!
            let s = at.map { Foundation.exp(Double(x[$0]) - m) }.reduce(0, +)
            for p in at {
                let e = Double(x[p]) - m
                out[p] = Float(log ? e - Foundation.log(s) : Foundation.exp(e) / s)
            }
        }
    }
    return out
}

final class NNSoftmaxLossTests: XCTestCase {
    // MARK: softmax / log_softmax

    func testSoftmaxMatchesReferenceOnEveryAxis() throws {
        let x = sample([2, 3, 4], seed: 7)
        for axis in 0..<3 {
            assertClose(try x.softmax(axis: axis).values, referenceSoftmax(x.values, shape: [2, 3, 4], axis: axis))
            assertClose(try x.logSoftmax(axis: axis).values, referenceSoftmax(x.values, shape: [2, 3, 4], axis: axis, log: true))
        }
        assertClose(try x.softmax(axis: -1).values, try x.softmax(axis: 2).values, tolerance: 0)
        // A transposed (non-contiguous) input gives the softmax of its values.
        let t = try x.transpose(0, 2)
        assertClose(try t.softmax(axis: 1).values, referenceSoftmax(t.values, shape: [4, 3, 2], axis: 1))
    }

    func testSoftmaxRowsSumToOneAndLargeLogitsAreStable() throws {
        let x = try sample([5, 7], seed: 3).mul(Tensor(scalar: 30))
        let y = try x.softmax().values
        for r in 0..<5 { XCTAssertEqual(y[r * 7..<(r + 1) * 7].reduce(0, +), 1, accuracy: 1e-5) }
        let big = try Tensor(shape: [1, 3], values: [1000, 1001, 1002])
        assertClose(try big.softmax().values, [0.09003057, 0.24472847, 0.66524096])
        assertClose(try big.logSoftmax().values, [-2.40760596, -1.40760596, -0.40760596])
        let tiny = try Tensor(shape: [2], values: [0, -1000])
        XCTAssertEqual(try tiny.logSoftmax().values[1], -1000, accuracy: 1e-3, "log_softmax stays exact far below the max")
        XCTAssertEqual(try Tensor(scalar: 3).softmax().item(), 1)
        XCTAssertEqual(try sample([4, 1]).softmax().values, [1, 1, 1, 1])
    }

    func testSoftmaxGradients() {
        assertGradientsMatch([sample([3, 5])]) { x in try x[0].softmax() }
        assertGradientsMatch([sample([2, 3, 4], seed: 2)]) { x in try x[0].softmax(axis: 1) }
        assertGradientsMatch([sample([3, 4], seed: 3)]) { x in try x[0].softmax(axis: 0) }
        assertGradientsMatch([sample([4, 3], seed: 4)]) { x in try x[0].transpose().softmax(axis: -1) }
        assertGradientsMatch([sample([1, 5], seed: 5)]) { x in try x[0].softmax(axis: 0) }
        assertGradientsMatch([sample([2, 1, 3], seed: 6)]) { x in try x[0].softmax(axis: 1) }
    }

    func testLogSoftmaxGradients() {
        assertGradientsMatch([sample([3, 5])]) { x in try x[0].logSoftmax() }
        assertGradientsMatch([sample([2, 3, 4], seed: 2)]) { x in try x[0].logSoftmax(axis: 0) }
        assertGradientsMatch([sample([2, 3, 4], seed: 3)]) { x in try x[0].logSoftmax(axis: 1) }
        assertGradientsMatch([sample([4, 3], seed: 4)]) { x in try x[0].transpose().logSoftmax(axis: -1) }
        assertGradientsMatch([sample([3, 1], seed: 5)]) { x in try x[0].logSoftmax() }
    }

    func testSoftmaxAxisError() {
        assertThrowsMessage("softmax: axis 2 is out of range for a tensor with 2 dimensions") { try sample([2, 3]).softmax(axis: 2) }
        assertThrowsMessage("log_softmax: axis -3 is out of range for a tensor with 2 dimensions") { try sample([2, 3]).logSoftmax(axis: -3) }
    }

    // MARK: cross-entropy

    /// Per-position losses by hand: lse(row) − row[label], 0 where ignored.
    private func referenceLosses(_ logits: Tensor, _ labels: [Int], ignore: Int = -100) -> [Double] {
        let c = logits.shape.last!, x = logits.values
        return labels.enumerated().map { r, label in
            if label == ignore { return 0 }
            let row = (0..<c).map { Double(x[r * c + $0]) }
            let m = row.max()!
            let lse = m + Foundation.log(row.map { Foundation.exp($0 - m) }.reduce(0, +))
            return lse - row[label]
        }
    }

    private func labelTensor(_ values: [Int], _ shape: [Int]) -> Tensor {
        try! Tensor(shape: shape, values: values.map(Float.init))
    }

    func testCrossEntropyOfUniformLogitsIsLogC() throws {
        for c in [1, 2, 7, 512] {
            let logits = try Tensor.zeros([3, c])
            let loss = try logits.crossEntropy(labels: labelTensor([0, c - 1, c / 2], [3]))
            XCTAssertEqual(try loss.item(), Float(Foundation.log(Double(c))), accuracy: 1e-5)
        }
    }

    func testCrossEntropyMatchesReferenceWithIgnoreIndex() throws {
        let logits = try sample([5, 4], seed: 11).mul(Tensor(scalar: 3))
        let labels = [1, -100, 3, 0, -100]
        let ref = referenceLosses(logits, labels)
        let lt = labelTensor(labels, [5])
        XCTAssertEqual(try logits.crossEntropy(labels: lt).item(), Float(ref.reduce(0, +) / 3), accuracy: 1e-5)
        XCTAssertEqual(try logits.crossEntropy(labels: lt, reduction: .sum).item(), Float(ref.reduce(0, +)), accuracy: 1e-5)
        let none = try logits.crossEntropy(labels: lt, reduction: .none)
        XCTAssertEqual(none.shape, [5])
        assertClose(none.values, ref.map(Float.init))
        XCTAssertEqual(none.values[1], 0)
        // Another ignore index: -100 is then an ordinary (bad) label, 2 is ignored.
        let other = [1, 2, 3, 0, 2]
        XCTAssertEqual(
            try logits.crossEntropy(labels: labelTensor(other, [5]), ignoreIndex: 2).item(),
            Float(referenceLosses(logits, other, ignore: 2).reduce(0, +) / 3), accuracy: 1e-5)
    }

    func testCrossEntropyOverBatchAndTime() throws {
        let logits = sample([2, 3, 6], seed: 4)
        let labels = [5, 0, -100, 2, 2, 1]
        let loss = try logits.crossEntropy(labels: labelTensor(labels, [2, 3]), reduction: .none)
        XCTAssertEqual(loss.shape, [2, 3])
        assertClose(loss.values, referenceLosses(try logits.reshape([6, 6]), labels).map(Float.init))
        // Non-contiguous logits: [C, N] transposed.
        let t = try sample([6, 4], seed: 5).transpose()
        let tl = [0, 5, 3, -100]
        XCTAssertEqual(
            try t.crossEntropy(labels: labelTensor(tl, [4])).item(),
            Float(referenceLosses(t.copied, tl).reduce(0, +) / 3), accuracy: 1e-5)
    }

    func testCrossEntropyAllIgnoredIsZeroNotNaN() throws {
        let logits = sample([3, 4])
        logits.requiresGrad = true
        let loss = try logits.crossEntropy(labels: labelTensor([-100, -100, -100], [3]))
        XCTAssertEqual(try loss.item(), 0)
        try Autograd.backward(loss)
        XCTAssertEqual(logits.grad?.values, [Float](repeating: 0, count: 12))
        let empty = try Tensor.zeros([0, 4]).crossEntropy(labels: Tensor.zeros([0]))
        XCTAssertEqual(try empty.item(), 0)
    }

    func testCrossEntropyWeightsArePerPositionMasks() throws {
        let logits = sample([2, 3, 5], seed: 21)
        let labels = [4, -100, 1, 0, 3, 2]
        let mask: [Float] = [1, 1, 0, 0.5, 0, 2]
        let ref = referenceLosses(try logits.reshape([6, 5]), labels)
        let kept = labels.indices.filter { labels[$0] != -100 }
        let weighted = kept.map { Double(mask[$0]) * ref[$0] }.reduce(0, +)
        let total = kept.map { Double(mask[$0]) }.reduce(0, +)
        let w = try Tensor(shape: [2, 3], values: mask)
        let lt = labelTensor(labels, [2, 3])
        XCTAssertEqual(try logits.crossEntropy(labels: lt, mask: w).item(), Float(weighted / total), accuracy: 1e-5)
        XCTAssertEqual(try logits.crossEntropy(labels: lt, mask: w, reduction: .sum).item(), Float(weighted), accuracy: 1e-5)
        assertClose(
            try logits.crossEntropy(labels: lt, mask: w, reduction: .none).values,
            (0..<6).map { Float(Double(mask[$0]) * ref[$0]) })
        // A mask broadcast over time: only batch row 1 counts.
        let rowMask = try Tensor(shape: [2, 1], values: [0, 1])
        let row1 = [3, 4, 5].filter { labels[$0] != -100 }
        XCTAssertEqual(
            try logits.crossEntropy(labels: lt, mask: rowMask).item(),
            Float(row1.map { ref[$0] }.reduce(0, +) / Double(row1.count)), accuracy: 1e-5)
        // Zero total weight: 0, not nan.
        XCTAssertEqual(try logits.crossEntropy(labels: lt, mask: Tensor.zeros([2, 3])).item(), 0)
    }

    func testCrossEntropyClassWeightsAreWeightedMeansAsInPyTorch() throws {
        let logits = sample([2, 3, 5], seed: 31)
        let labels = [4, -100, 1, 0, 1, 2]
        let classWeights: [Float] = [0.5, 2, 1, 1, 3]
        let mask: [Float] = [1, 1, 0.5, 1, 0, 2]
        let ref = referenceLosses(try logits.reshape([6, 5]), labels)
        let kept = labels.indices.filter { labels[$0] != -100 }
        let cw = try Tensor(shape: [5], values: classWeights)
        let lt = labelTensor(labels, [2, 3])
        // mean = Σ w[y]·l / Σ w[y] over the counted positions (torch.nn.functional.cross_entropy(weight=…)).
        let weighted = kept.map { Double(classWeights[labels[$0]]) * ref[$0] }.reduce(0, +)
        let total = kept.map { Double(classWeights[labels[$0]]) }.reduce(0, +)
        XCTAssertEqual(try logits.crossEntropy(labels: lt, classWeights: cw).item(), Float(weighted / total), accuracy: 1e-5)
        XCTAssertEqual(try logits.crossEntropy(labels: lt, classWeights: cw, reduction: .sum).item(), Float(weighted), accuracy: 1e-5)
        // With a mask too, the two weights multiply.
        let both = kept.map { Double(mask[$0] * classWeights[labels[$0]]) * ref[$0] }.reduce(0, +)
        let bothTotal = kept.map { Double(mask[$0] * classWeights[labels[$0]]) }.reduce(0, +)
        let m = try Tensor(shape: [2, 3], values: mask)
        XCTAssertEqual(try logits.crossEntropy(labels: lt, mask: m, classWeights: cw).item(), Float(both / bothTotal), accuracy: 1e-5)
        // Gradients through the logits and the mask, with class weights.
        let positive = try sample([2, 3], seed: 32).abs().add(Tensor(scalar: 0.5))
        for reduction in [Tensor.Reduction.mean, .sum, .none] {
            assertGradientsMatch([sample([2, 3, 5], seed: 33), positive.copied]) { x in
                try x[0].crossEntropy(labels: lt, mask: x[1], classWeights: cw, reduction: reduction)
            }
        }
        XCTAssertThrowsError(try logits.crossEntropy(labels: lt, classWeights: Tensor.ones([4]))) { error in
            XCTAssertEqual((error as? TensorError)?.message, "cross_entropy: weight (one per class) must have shape [5], got [4]")
        }
    }

    func testCrossEntropyGradients() throws {
        let labels = labelTensor([2, -100, 0, 3], [4])
        assertGradientsMatch([sample([4, 5])]) { x in try x[0].crossEntropy(labels: labels) }
        assertGradientsMatch([sample([4, 5], seed: 2)]) { x in try x[0].crossEntropy(labels: labels, reduction: .sum) }
        assertGradientsMatch([sample([4, 5], seed: 3)]) { x in try x[0].crossEntropy(labels: labels, reduction: .none) }
        let bt = labelTensor([1, 0, -100, 2, 2, -100], [2, 3])
        assertGradientsMatch([sample([2, 3, 3], seed: 4)]) { x in try x[0].crossEntropy(labels: bt) }
        assertGradientsMatch([sample([5, 4], seed: 5)]) { x in try x[0].transpose().crossEntropy(labels: labels) }
        assertGradientsMatch([sample([1, 1], seed: 6)]) { x in try x[0].crossEntropy(labels: labelTensor([0], [1])) }
        // Through the logits and the weights, for every reduction.
        let positive = try sample([2, 3], seed: 8).abs().add(Tensor(scalar: 0.5))
        for reduction in [Tensor.Reduction.mean, .sum, .none] {
            assertGradientsMatch([sample([2, 3, 4], seed: 7), positive.copied]) { x in
                try x[0].crossEntropy(labels: bt, mask: x[1], reduction: reduction)
            }
        }
        assertGradientsMatch([sample([2, 3, 4], seed: 9), try sample([2, 1], seed: 10).abs().add(Tensor(scalar: 0.5))]) { x in
            try x[0].crossEntropy(labels: bt, mask: x[1])
        }
    }

    func testCrossEntropyGradientIsSoftmaxMinusOneHotOverCount() throws {
        let logits = sample([3, 4], seed: 12)
        logits.requiresGrad = true
        try Autograd.backward(logits.crossEntropy(labels: labelTensor([1, -100, 2], [3])))
        let p = referenceSoftmax(logits.values, shape: [3, 4], axis: 1)
        var expected = p.map { $0 / 2 }
        for j in 4..<8 { expected[j] = 0 }
        expected[1] -= 0.5
        expected[8 + 2] -= 0.5
        assertClose(logits.grad!.values, expected)
    }

    func testCrossEntropyErrors() {
        let logits = sample([2, 5, 7])
        assertThrowsMessage("cross_entropy: label 7 at [1,2] is out of range for 7 classes (expected 0..<7, or -100 to ignore)") {
            try logits.crossEntropy(labels: labelTensor([0, 1, 2, 3, 4, 5, 6, 7, -100, 1], [2, 5]))
        }
        assertThrowsMessage("cross_entropy: label -1 at [0] is out of range for 3 classes (expected 0..<3, or -100 to ignore)") {
            try sample([2, 3]).crossEntropy(labels: labelTensor([-1, 0], [2]))
        }
        assertThrowsMessage("cross_entropy: labels must be whole numbers, got 1.5000 at [1]") {
            try sample([2, 3]).crossEntropy(labels: Tensor(shape: [2], values: [0, 1.5]))
        }
        assertThrowsMessage("cross_entropy: labels shape [4] does not match logits [2,5,7] (expected [2,5])") {
            try logits.crossEntropy(labels: Tensor.zeros([4]))
        }
        assertThrowsMessage("cross_entropy: weights shape [3] does not match labels shape [2,5]") {
            try logits.crossEntropy(labels: Tensor.zeros([2, 5]), mask: Tensor.ones([3]))
        }
        assertThrowsMessage("cross_entropy: logits need a class dimension (last), got shape []") {
            try Tensor(scalar: 1).crossEntropy(labels: Tensor(scalar: 0))
        }
    }

    func testCrossEntropyReadsRowsOfASliceInPlace() throws {
        // logits[:, 0:3] of [2, 4, 5]: rows 5 apart within a batch entry, 20 between entries.
        let full = sample([2, 4, 5], seed: 21)
        full.requiresGrad = true
        let labels = try Tensor(shape: [2, 3], values: [0, 4, 2, 1, 3, 3])
        let sliced = try full.slice(axis: 1, start: 0, end: 3)
        XCTAssertFalse(sliced.isContiguous)
        let loss = try sliced.crossEntropy(labels: labels, reduction: .none)
        let copy = try sliced.detached().contiguousCopy()
        assertClose(loss.values, try copy.crossEntropy(labels: labels, reduction: .none).values, tolerance: 1e-6)
        try Autograd.backward(loss.sum())
        // The left-out position (t = 3) gets exactly zero gradient.
        let grad = full.grad!.values
        XCTAssertEqual((0..<2).flatMap { b in (0..<5).map { j in grad[b * 20 + 15 + j] } }, [Float](repeating: 0, count: 10))
        assertGradientsMatch([sample([2, 4, 5], seed: 22)]) { t in
            try t[0].slice(axis: 1, start: 1, end: 3).crossEntropy(labels: Tensor(shape: [2, 2], values: [1, 0, 4, 2]))
        }
    }
}
