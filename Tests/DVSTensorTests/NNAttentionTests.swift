import XCTest

@testable import DVSTensor

final class NNAttentionTests: XCTestCase {
    /// Attention by explicit loops in Double over [B, H, T, D] tensors (any layout).
    private func referenceAttention(_ q: Tensor, _ k: Tensor, _ v: Tensor, causal: Bool, padding: Tensor?) -> [Float] {
        let four = q.rank == 4
        let b = q.shape[0], h = four ? q.shape[1] : 1
        let tq = q.shape[q.rank - 2], d = q.shape[q.rank - 1], tk = k.shape[k.rank - 2], dv = v.shape[v.rank - 1]
        let qa = q.values, ka = k.values, va = v.values, pad = padding?.values
        var out = [Float](repeating: 0, count: b * h * tq * dv)
        for bi in 0..<b {
            for hi in 0..<h {
                let head = bi * h + hi
                for i in 0..<tq {
                    var scores: [(Int, Double)] = []
                    for j in 0..<tk {
                        if causal && j > i { continue }
                        if let pad, pad[bi * tk + j] == 0 { continue }
                        var s = 0.0
                        for e in 0..<d { s += Double(qa[(head * tq + i) * d + e]) * Double(ka[(head * tk + j) * d + e]) }
                        scores.append((j, s / Double(d).squareRoot()))
                    }
                    guard let m = scores.map(\.1).max() else { continue }  // fully masked: zeros
                    let total = scores.map { Foundation.exp($0.1 - m) }.reduce(0, +)
                    for (j, s) in scores {
                        let p = Foundation.exp(s - m) / total
                        for e in 0..<dv { out[(head * tq + i) * dv + e] += Float(p * Double(va[(head * tk + j) * dv + e])) }
                    }
                }
            }
        }
        return out
    }

    private func attention(_ q: Tensor, _ k: Tensor, _ v: Tensor, causal: Bool = false, padding: Tensor? = nil) throws -> Tensor {
        try Tensor.scaledDotProductAttention(q, k, v, causal: causal, paddingMask: padding)
    }

    func testAttentionMatchesReferenceLoops() throws {
        let q = sample([2, 3, 5, 4], seed: 1), k = sample([2, 3, 5, 4], seed: 2), v = sample([2, 3, 5, 4], seed: 3)
        let padding = try Tensor(shape: [2, 5], values: [1, 1, 1, 0, 0, 0, 1, 1, 1, 1])
        for causal in [false, true] {
            for pad in [nil, padding] {
                let out = try attention(q, k, v, causal: causal, padding: pad)
                XCTAssertEqual(out.shape, [2, 3, 5, 4])
                assertClose(out.values, referenceAttention(q, k, v, causal: causal, padding: pad), tolerance: 1e-5)
            }
        }
        // One head as [B, T, D]; more keys than queries; values wider than keys.
        let q3 = sample([2, 3, 4], seed: 4), k3 = sample([2, 6, 4], seed: 5), v3 = sample([2, 6, 7], seed: 6)
        let out3 = try attention(q3, k3, v3)
        XCTAssertEqual(out3.shape, [2, 3, 7])
        assertClose(out3.values, referenceAttention(q3, k3, v3, causal: false, padding: nil), tolerance: 1e-5)
        let pad3 = try Tensor(shape: [2, 6], values: [1, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1])
        assertClose(try attention(q3, k3, v3, padding: pad3).values, referenceAttention(q3, k3, v3, causal: false, padding: pad3), tolerance: 1e-5)
    }

    func testLongRowsCrossTheVectorWidth() throws {
        // 37 keys: rows of 1…37 (causal) and 37 (full) entries, across 16-lane blocks and their tails.
        let q = sample([1, 2, 37, 8], seed: 7), k = sample([1, 2, 37, 8], seed: 8), v = sample([1, 2, 37, 8], seed: 9)
        for causal in [false, true] {
            assertClose(
                try attention(q, k, v, causal: causal, padding: nil).values,
                referenceAttention(q, k, v, causal: causal, padding: nil), tolerance: 1e-5)
        }
    }

    /// The per-head kernels (DVSKernels' dvs_attention_head_*) against the
    /// BLAS formulation, values and every gradient, at sizes past their
    /// 6-row and 64-column tiles: causal and not, Tq ≠ Tk, Dv ≠ D, heads
    /// strided inside a packed projection.
    func testHeadKernelsMatchTheBLASFormulation() throws {
        let saved = BLAS.ownKernel
        defer { BLAS.ownKernel = saved }
        func run(_ own: Bool, _ inputs: [Tensor], _ f: ([Tensor]) throws -> Tensor) throws -> [[Float]] {
            BLAS.ownKernel = own
            let leaves = inputs.map { t in
                let leaf = t.detached()
                leaf.requiresGrad = true
                return leaf
            }
            let out = try f(leaves)
            try Autograd.backward(out.mul(sample(out.shape, seed: 99)).sum())
            return [out.values] + leaves.map { $0.grad!.values }
        }
        let cases: [([Int], [Int], [Int], Bool)] = [
            ([2, 2, 70, 20], [2, 2, 70, 20], [2, 2, 70, 33], true), ([2, 2, 70, 20], [2, 2, 70, 20], [2, 2, 70, 33], false),
            ([1, 3, 13, 65], [1, 3, 67, 65], [1, 3, 67, 5], false), ([3, 7, 1], [3, 9, 1], [3, 9, 1], false),
        ]
        for (qs, ks, vs, causal) in cases {
            let inputs = [sample(qs, seed: 1), sample(ks, seed: 2), sample(vs, seed: 3)]
            let attend: ([Tensor]) throws -> Tensor = { x in try Tensor.scaledDotProductAttention(x[0], x[1], x[2], causal: causal) }
            for (own, blas) in zip(try run(true, inputs, attend), try run(false, inputs, attend)) { assertClose(own, blas, tolerance: 1e-5) }
        }
        // A nan score makes its query's row nan on both paths (it is not dropped by the row maximum).
        for own in [true, false] {
            BLAS.ownKernel = own
            var values = sample([1, 1, 5, 4], seed: 5).values
            values[2 * 4 + 1] = .nan
            let out = try Tensor.scaledDotProductAttention(
                Tensor(shape: [1, 1, 5, 4], values: values), sample([1, 1, 5, 4], seed: 6), sample([1, 1, 5, 4], seed: 7))
            XCTAssertEqual(out.values.enumerated().filter { $0.element.isNaN }.map { $0.offset / 4 }, [2, 2, 2, 2], "own kernels: \(own)")
        }
        for causal in [false, true] {
            let packed: ([Tensor]) throws -> Tensor = { x in try Tensor.selfAttention(x[0], heads: 3, causal: causal) }
            let inputs = [sample([2, 29, 3 * 48], seed: 4)]
            for (own, blas) in zip(try run(true, inputs, packed), try run(false, inputs, packed)) { assertClose(own, blas, tolerance: 1e-5) }
        }
    }

    func testStridedHeadsNeedNoCopyAndMatch() throws {
        // Heads split from a fused projection: [B, T, H, D] permuted to [B, H, T, D].
        let q = try sample([2, 5, 3, 4], seed: 1).permute([0, 2, 1, 3])
        let k = try sample([2, 5, 3, 4], seed: 2).permute([0, 2, 1, 3])
        // A transposed key layout (rows not contiguous) goes through a copy.
        let v = try sample([2, 3, 4, 5], seed: 3).transpose(-2, -1)
        XCTAssertFalse(q.isContiguous)
        let out = try attention(q, k, v, causal: true)
        assertClose(out.values, referenceAttention(q, k, v, causal: true, padding: nil), tolerance: 1e-5)
        // Keys shared by every head (multi-query attention through expand).
        let shared = try sample([2, 1, 5, 4], seed: 4).expandTo([2, 3, 5, 4])
        assertClose(try attention(q, shared, shared).values, referenceAttention(q, shared, shared, causal: false, padding: nil), tolerance: 1e-5)
    }

    func testFullyMaskedRowsAreZeroNotNaN() throws {
        let q = sample([2, 2, 4, 3], seed: 1), k = sample([2, 2, 4, 3], seed: 2), v = sample([2, 2, 4, 3], seed: 3)
        // Batch 0: left padding (query 0 under a causal mask sees only padding); batch 1: everything padded.
        let padding = try Tensor(shape: [2, 4], values: [0, 1, 1, 1, 0, 0, 0, 0])
        for t in [q, k, v] { t.requiresGrad = true }
        let out = try attention(q, k, v, causal: true, padding: padding)
        let o = out.values
        XCTAssertFalse(o.contains { $0.isNaN })
        for head in 0..<2 { XCTAssertEqual(Array(o[(head * 4) * 3..<(head * 4 + 1) * 3]), [0, 0, 0], "query 0 of batch 0 sees only padding") }
        XCTAssertEqual(Array(o[24...]), [Float](repeating: 0, count: 24), "batch 1 is all padding")
        XCTAssertNotEqual(o[3], 0)
        assertClose(o, referenceAttention(q, k, v, causal: true, padding: padding), tolerance: 1e-5)
        try Autograd.backward(out.sum())
        for t in [q, k, v] { XCTAssertFalse(t.grad!.values.contains { $0.isNaN }) }
        XCTAssertEqual(Array(q.grad!.values[24...]), [Float](repeating: 0, count: 24))
        XCTAssertEqual(Array(v.grad!.values[24...]), [Float](repeating: 0, count: 24))
    }

    func testAttentionAgreesWithComposedOps() throws {
        let q = sample([1, 2, 4, 3], seed: 7), k = sample([1, 2, 4, 3], seed: 8), v = sample([1, 2, 4, 3], seed: 9)
        let mask = try Tensor(shape: [4, 4], values: [0, 1, 1, 1, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0])
        let scores = try q.matmul(k.transpose(-2, -1)).mul(Tensor(scalar: 1 / Float(3).squareRoot()))
        let composed = try scores.maskedFill(mask: mask, value: -.infinity).softmax().matmul(v)
        assertClose(try attention(q, k, v, causal: true).values, composed.values, tolerance: 1e-5)
    }

    func testAttentionGradients() throws {
        assertGradientsMatch([sample([1, 2, 3, 4], seed: 1), sample([1, 2, 3, 4], seed: 2), sample([1, 2, 3, 4], seed: 3)]) { x in
            try self.attention(x[0], x[1], x[2])
        }
        assertGradientsMatch([sample([2, 1, 4, 3], seed: 4), sample([2, 1, 4, 3], seed: 5), sample([2, 1, 4, 3], seed: 6)]) { x in
            try self.attention(x[0], x[1], x[2], causal: true)
        }
        let padding = try Tensor(shape: [2, 4], values: [1, 1, 0, 1, 0, 0, 1, 1])
        assertGradientsMatch([sample([2, 2, 4, 2], seed: 7), sample([2, 2, 4, 2], seed: 8), sample([2, 2, 4, 2], seed: 9)]) { x in
            try self.attention(x[0], x[1], x[2], causal: true, padding: padding)
        }
        // [B, T, D] with Tq ≠ Tk and Dv ≠ D.
        assertGradientsMatch([sample([2, 2, 3], seed: 10), sample([2, 5, 3], seed: 11), sample([2, 5, 2], seed: 12)]) { x in
            try self.attention(x[0], x[1], x[2], padding: Tensor(shape: [2, 5], values: [1, 1, 1, 0, 0, 0, 1, 0, 1, 1]))
        }
        // Strided heads and a transposed key layout.
        assertGradientsMatch([sample([1, 3, 2, 4], seed: 13), sample([1, 2, 4, 3], seed: 14), sample([1, 3, 2, 4], seed: 15)]) { x in
            try self.attention(x[0].permute([0, 2, 1, 3]), x[1].transpose(-2, -1), x[2].permute([0, 2, 1, 3]), causal: true)
        }
        // Keys and values shared by two heads through expand: their gradients sum.
        assertGradientsMatch([sample([1, 2, 3, 2], seed: 16), sample([1, 1, 3, 2], seed: 17), sample([1, 1, 3, 2], seed: 18)]) { x in
            try self.attention(x[0], x[1].expandTo([1, 2, 3, 2]), x[2].expandTo([1, 2, 3, 2]))
        }
        // Sizes of one.
        assertGradientsMatch([sample([1, 1, 1, 1], seed: 19), sample([1, 1, 1, 1], seed: 20), sample([1, 1, 1, 1], seed: 21)]) { x in
            try self.attention(x[0], x[1], x[2], causal: true)
        }
    }

    func testAttentionErrors() {
        let q = sample([2, 4, 8, 16])
        assertThrowsMessage("scaled_dot_product_attention: q and k have different head sizes (16 vs 32): q [2,4,8,16], k [2,4,8,32], v [2,4,8,16]") {
            try self.attention(q, sample([2, 4, 8, 32]), sample([2, 4, 8, 16]))
        }
        assertThrowsMessage("scaled_dot_product_attention: k and v have different numbers of keys (8 vs 6): q [2,4,8,16], k [2,4,8,16], v [2,4,6,16]") {
            try self.attention(q, q, sample([2, 4, 6, 16]))
        }
        assertThrowsMessage("scaled_dot_product_attention: batch and head dimensions differ: q [2,4,8,16], k [2,2,8,16], v [2,2,8,16]") {
            try self.attention(q, sample([2, 2, 8, 16]), sample([2, 2, 8, 16]))
        }
        assertThrowsMessage("scaled_dot_product_attention: q, k and v must have the same number of dimensions, got q [2,4,8,16], k [2,8,16], v [2,8,16]") {
            try self.attention(q, sample([2, 8, 16]), sample([2, 8, 16]))
        }
        assertThrowsMessage("scaled_dot_product_attention: q must be [B, H, T, D] or [B, T, D], got [8,16]") {
            try self.attention(sample([8, 16]), sample([8, 16]), sample([8, 16]))
        }
        assertThrowsMessage("scaled_dot_product_attention: padding mask shape [2,7] does not match [B, Tk] = [2,8] of q [2,4,8,16], k [2,4,8,16], v [2,4,8,16]")
        {
            try self.attention(q, q, q, padding: Tensor.ones([2, 7]))
        }
        assertThrowsMessage("scaled_dot_product_attention: a causal mask needs as many queries as keys, got q [2,4,8,16], k [2,4,6,16], v [2,4,6,16]") {
            try self.attention(q, sample([2, 4, 6, 16]), sample([2, 4, 6, 16]), causal: true)
        }
    }

    // MARK: - Self-attention of a packed projection

    /// qkv [B, T, 3D] split into [B, H, T, Dh] heads (views).
    private func heads(_ qkv: Tensor, _ heads: Int) throws -> (Tensor, Tensor, Tensor) {
        let b = qkv.shape[0], t = qkv.shape[1], d = qkv.shape[2] / 3
        let split = try qkv.reshape([b, t, 3, heads, d / heads]).permute([2, 0, 3, 1, 4])
        return (try split.select(axis: 0, index: 0), try split.select(axis: 0, index: 1), try split.select(axis: 0, index: 2))
    }

    func testSelfAttentionEqualsSplitAttendMerge() throws {
        for causal in [false, true] {
            let qkv = sample([2, 5, 12], seed: 11)  // D = 4, 2 heads of 2
            let (q, k, v) = try heads(qkv, 2)
            let expected = try Tensor.scaledDotProductAttention(q, k, v, causal: causal).permute([0, 2, 1, 3]).reshape([2, 5, 4])
            let got = try Tensor.selfAttention(qkv, heads: 2, causal: causal)
            XCTAssertEqual(got.shape, [2, 5, 4])
            assertClose(got.values, expected.values, tolerance: 1e-6)
            assertClose(got.values, referenceAttention(q, k, v, causal: causal, padding: nil).chunked4(b: 2, h: 2, t: 5, dh: 2), tolerance: 1e-5)
        }
    }

    func testSelfAttentionGradients() {
        assertGradientsMatch([sample([2, 4, 12], seed: 12)]) { t in try Tensor.selfAttention(t[0], heads: 2, causal: true) }
        assertGradientsMatch([sample([1, 3, 6], seed: 13)]) { t in try Tensor.selfAttention(t[0], heads: 1) }
    }

    func testSelfAttentionErrors() {
        XCTAssertThrowsError(try Tensor.selfAttention(sample([2, 4, 10]), heads: 2)) { error in
            XCTAssertEqual((error as? TensorError)?.message, "self_attention: qkv must be [B, T, 3·D] (queries, keys and values side by side), got [2,4,10]")
        }
        XCTAssertThrowsError(try Tensor.selfAttention(sample([2, 4, 12]), heads: 3)) { error in
            XCTAssertEqual((error as? TensorError)?.message, "self_attention: 3 heads do not divide the width 4 of qkv [2,4,12]")
        }
    }
}

private extension Array where Element == Float {
    /// [B, H, T, Dh] row-major values rearranged to [B, T, H·Dh].
    func chunked4(b: Int, h: Int, t: Int, dh: Int) -> [Float] {
        var out = [Float](repeating: 0, count: count)
        for bi in 0..<b {
            for hi in 0..<h {
                for ti in 0..<t {
                    for e in 0..<dh {
                        out[((bi * t + ti) * h + hi) * dh + e] = self[((bi * h + hi) * t + ti) * dh + e]
                    }
                }
            }
        }
        return out
    }
}
