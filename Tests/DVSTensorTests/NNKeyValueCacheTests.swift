import XCTest

@testable import DVSTensor

final class NNKeyValueCacheTests: XCTestCase {
    /// One query per (example, head) over the first lengths[b] cached rows, by
    /// explicit loops in Double; q [B, H, 1, D] or [B, 1, D] (any layout).
    private func referenceCachedAttention(_ q: Tensor, _ k: Tensor, _ v: Tensor, lengths: [Int]) -> [Float] {
        let four = q.rank == 4
        let b = q.shape[0], h = four ? q.shape[1] : 1
        let d = q.shape[q.rank - 1], t = k.shape[k.rank - 2], dv = v.shape[v.rank - 1]
        let qa = q.values, ka = k.values, va = v.values
        var out = [Float](repeating: 0, count: b * h * dv)
        for head in 0..<(b * h) {
            let n = lengths[head / h]
            guard n > 0 else { continue }
            var scores = [Double](repeating: 0, count: n)
            for j in 0..<n {
                for e in 0..<d { scores[j] += Double(qa[head * d + e]) * Double(ka[(head * t + j) * d + e]) }
                scores[j] /= Double(d).squareRoot()
            }
            let m = scores.max()!
            let total = scores.map { Foundation.exp($0 - m) }.reduce(0, +)
            for e in 0..<dv {
                var s = 0.0
                for j in 0..<n { s += Foundation.exp(scores[j] - m) / total * Double(va[(head * t + j) * dv + e]) }
                out[head * dv + e] = Float(s)
            }
        }
        return out
    }

    private func lengthsTensor(_ xs: [Int]) -> Tensor {
        try! Tensor(shape: [xs.count], values: xs.map(Float.init))
    }

    private func assertFails<T>(_ body: @autoclosure () throws -> T, _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            let text = (error as? TensorError)?.message ?? "\(error)"
            XCTAssertTrue(text.contains(message), "\(text) does not contain \(message)", file: file, line: line)
        }
    }

    func testCachedAttentionMatchesReferenceLoops() throws {
        let q = sample([4, 3, 1, 8], seed: 1), k = sample([4, 3, 7, 8], seed: 2), v = sample([4, 3, 7, 5], seed: 3)
        let lengths = [3, 0, 7, 1]
        let out = try Tensor.cachedAttention(q, keys: k, values: v, lengths: lengthsTensor(lengths))
        XCTAssertEqual(out.shape, [4, 3, 1, 5])
        assertClose(out.values, referenceCachedAttention(q, k, v, lengths: lengths), tolerance: 1e-5)
        XCTAssertEqual(Array(out.values[15..<30]), [Float](repeating: 0, count: 15), "length 0 gives zeros")
        // The same as the fused attention with the first lengths[b] keys kept.
        let padding = try Tensor(shape: [4, 7], values: lengths.flatMap { n in (0..<7).map { $0 < n ? Float(1) : 0 } })
        assertClose(out.values, try Tensor.scaledDotProductAttention(q, k, v, paddingMask: padding).values, tolerance: 1e-5)
        // One head as [B, 1, D], a head size that is not a multiple of 8.
        let q3 = sample([2, 1, 11], seed: 4), k3 = sample([2, 9, 11], seed: 5), v3 = sample([2, 9, 3], seed: 6)
        let out3 = try Tensor.cachedAttention(q3, keys: k3, values: v3, lengths: lengthsTensor([9, 4]))
        XCTAssertEqual(out3.shape, [2, 1, 3])
        assertClose(out3.values, referenceCachedAttention(q3, k3, v3, lengths: [9, 4]), tolerance: 1e-5)
    }

    func testCachedAttentionReadsStridedViews() throws {
        // q split from a [B, 1, H, D] projection, keys stored [B, T, H, D] and viewed as [B, H, T, D].
        let q = try sample([2, 1, 3, 4], seed: 1).permute([0, 2, 1, 3])
        let k = try sample([2, 6, 3, 4], seed: 2).permute([0, 2, 1, 3])
        let v = try sample([2, 6, 3, 4], seed: 3).permute([0, 2, 1, 3])
        XCTAssertFalse(k.isContiguous)
        let out = try Tensor.cachedAttention(q, keys: k, values: v, lengths: lengthsTensor([6, 2]))
        assertClose(out.values, referenceCachedAttention(q, k, v, lengths: [6, 2]), tolerance: 1e-5)
    }

    func testCacheWriteStoresRowsAtEachExamplesPosition() throws {
        let cache = try Tensor.zeros([3, 2, 5, 4])
        let x = sample([3, 2, 2, 4], seed: 1)
        let before = cache.storage.version
        try cache.writeCache(x, at: lengthsTensor([0, 3, 1]))
        XCTAssertGreaterThan(cache.storage.version, before)
        var expected = [Float](repeating: 0, count: 3 * 2 * 5 * 4)
        let xs = x.values
        for (b, p) in [0, 3, 1].enumerated() {
            for h in 0..<2 {
                for r in 0..<2 {
                    for e in 0..<4 { expected[((b * 2 + h) * 5 + p + r) * 4 + e] = xs[((b * 2 + h) * 2 + r) * 4 + e] }
                }
            }
        }
        XCTAssertEqual(cache.values, expected)
        // A strided cache is written through its strides.
        let strided = try Tensor.zeros([2, 3, 4]).transpose(1, 2)  // [2, 4, 3], row elements 4 apart
        try strided.writeCache(try Tensor(shape: [2, 1, 3], values: [1, 2, 3, 4, 5, 6]), at: lengthsTensor([3, 1]))
        XCTAssertEqual(strided.values, [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 0, 0, 0, 4, 5, 6, 0, 0, 0, 0, 0, 0])
        // x may be a view of the cache itself (overlapping rows are read before they are written).
        let shifted = try Tensor(shape: [1, 4, 1], values: [1, 2, 3, 4])
        try shifted.writeCache(try shifted.slice(axis: 1, start: 0, end: 3), at: lengthsTensor([1]))
        XCTAssertEqual(shifted.values, [1, 1, 2, 3])
    }

    func testDecodingByWritesEqualsFullCausalAttention() throws {
        // Writing each step's key and value and attending over lengths = position + 1
        // reproduces causal attention over the whole sequence, row by row.
        let q = sample([2, 2, 6, 4], seed: 1), k = sample([2, 2, 6, 4], seed: 2), v = sample([2, 2, 6, 4], seed: 3)
        let full = try Tensor.scaledDotProductAttention(q, k, v, causal: true).values
        let kc = try Tensor.zeros([2, 2, 6, 4]), vc = try Tensor.zeros([2, 2, 6, 4])
        for t in 0..<6 {
            let at = lengthsTensor([t, t])
            try kc.writeCache(try k.slice(axis: 2, start: t, end: t + 1), at: at)
            try vc.writeCache(try v.slice(axis: 2, start: t, end: t + 1), at: at)
            let step = try Tensor.cachedAttention(
                try q.slice(axis: 2, start: t, end: t + 1), keys: kc, values: vc,
                lengths: lengthsTensor([t + 1, t + 1])
            ).values
            for head in 0..<4 {
                assertClose(Array(step[(head * 4)..<(head * 4 + 4)]), Array(full[((head * 6 + t) * 4)..<((head * 6 + t) * 4 + 4)]), tolerance: 1e-5)
            }
        }
    }

    func testBadShapesAndPositionsAreErrorsNamingTheShapes() throws {
        let q = sample([2, 3, 1, 4]), k = sample([2, 3, 5, 4]), v = sample([2, 3, 5, 4])
        let ok = lengthsTensor([5, 1])
        assertFails(
            try Tensor.cachedAttention(sample([2, 3, 2, 4]), keys: k, values: v, lengths: ok),
            "cached_attention: q must hold one query per example and head (size 1 in dimension 2), got q [2,3,2,4], keys [2,3,5,4]")
        assertFails(
            try Tensor.cachedAttention(q, keys: sample([2, 3, 5, 6]), values: v, lengths: ok),
            "q and keys have different head sizes (4 vs 6): q [2,3,1,4], keys [2,3,5,6]")
        assertFails(
            try Tensor.cachedAttention(q, keys: k, values: sample([2, 3, 4, 4]), lengths: ok),
            "keys and values hold different numbers of rows (5 vs 4)")
        assertFails(try Tensor.cachedAttention(q, keys: sample([2, 2, 5, 4]), values: v, lengths: ok), "batch and head dimensions differ")
        assertFails(try Tensor.cachedAttention(q, keys: sample([3, 5, 4]), values: v, lengths: ok), "the same number of dimensions")
        assertFails(
            try Tensor.cachedAttention(q, keys: k, values: v, lengths: lengthsTensor([5, 1, 1])),
            "lengths must be [B] = [2], one per example, got q [2,3,1,4]")
        assertFails(
            try Tensor.cachedAttention(q, keys: k, values: v, lengths: lengthsTensor([6, 1])),
            "length 6 of example 0 is more than the cache's 5 rows")
        assertFails(try Tensor.cachedAttention(q, keys: k, values: v, lengths: lengthsTensor([2, -1])), "lengths must be at least 0, got -1 for example 1")
        assertFails(
            try Tensor.cachedAttention(q, keys: k, values: v, lengths: try Tensor(shape: [2], values: [1.5, 1])),
            "cached_attention: lengths must be whole numbers, got 1.5000 at [0]")

        let cache = try Tensor.zeros([2, 3, 5, 4])
        assertFails(
            try cache.writeCache(sample([2, 3, 1, 5]), at: ok),
            "cache_write: x must be [2, 3, S, 4] to match the cache, got cache [2,3,5,4], x [2,3,1,5]")
        assertFails(
            try cache.writeCache(sample([2, 3, 2, 4]), at: lengthsTensor([3, 4])),
            "position 4 of example 1 leaves no room for 2 rows in a cache of 5: cache [2,3,5,4], x [2,3,2,4]")
        assertFails(try cache.writeCache(sample([2, 3, 1, 4]), at: lengthsTensor([0])), "positions must be [B] = [2]")
        assertFails(try sample([2, 5]).writeCache(sample([2, 5]), at: ok), "the cache must be [B, H, T, D] or [B, T, D]")
        assertFails(
            try Tensor.zeros([2, 1, 5, 4]).expandTo([2, 3, 5, 4]).writeCache(sample([2, 3, 1, 4]), at: ok),
            "cache_write: the cache is an expanded view (several elements share memory)")
        XCTAssertEqual(cache.values, [Float](repeating: 0, count: 120), "a refused write changes nothing")
    }

    func testInferenceOnly() throws {
        let q = sample([1, 1, 1, 4]), k = sample([1, 1, 3, 4]), v = sample([1, 1, 3, 4])
        q.requiresGrad = true
        let lengths = lengthsTensor([3])
        assertFails(
            try Tensor.cachedAttention(q, keys: k, values: v, lengths: lengths),
            "cached_attention: q needs gradients, but cached_attention is for inference only (no backward); run it inside no_grad")
        let out = try GradMode.withoutGrad { () throws(TensorError) in try Tensor.cachedAttention(q, keys: k, values: v, lengths: lengths) }
        XCTAssertNil(out.gradFn)
        let cache = try Tensor.zeros([1, 1, 3, 4])
        assertFails(try cache.writeCache(q, at: lengthsTensor([0])), "cache_write: x needs gradients")
        try GradMode.withoutGrad { () throws(TensorError) in try cache.writeCache(q, at: lengthsTensor([0])) }
        XCTAssertEqual(Array(cache.values[0..<4]), q.values)
        let parameter = try Tensor.zeros([1, 1, 3, 4])
        parameter.requiresGrad = true
        assertFails(
            try GradMode.withoutGrad { () throws(TensorError) in try parameter.writeCache(k.slice(axis: 2, start: 0, end: 1), at: lengthsTensor([0])) },
            "cache_write: the cache needs gradients")
    }
}
