/// Inverted dropout: while training, each element is zeroed with probability
/// `p` and the survivors are scaled by 1/(1 − p), so the expected value is
/// unchanged and evaluation needs no rescaling. The mask comes from
/// `RandomGenerator.shared`, so a seeded run drops the same elements.

extension Tensor {
    /// Zeroes each element with probability `p` (in [0, 1)) and scales the
    /// rest by `1 / (1 − p)`. Returns this tensor unchanged when `training`
    /// is false or `p` is 0 (and then draws no random numbers).
    public func dropout(p: Float, training: Bool = true) throws(TensorError) -> Tensor {
        guard p >= 0, p < 1 else {
            throw TensorError("dropout: p must be in [0, 1), got \(formatFloat(p))")
        }
        if !training || p == 0 { return self }
        let src = try contiguousLayout()
        // mask[i] is 0 or 1/(1 − p); an element drops when 53 random bits fall below p · 2^53.
        let mask = try Tensor(uninitializedShape: shape)
        let out = try Tensor(uninitializedShape: shape)
        let threshold = UInt64(Double(p) * 0x1p53)
        let keepScale = 1 / (1 - p)
        let rng = RandomGenerator.shared
        let m = mask.data, x = src.data, y = out.data
        for i in 0..<count { m[i] = (rng.next() >> 11) < threshold ? 0 : keepScale }
        for i in 0..<count { y[i] = x[i] * m[i] }
        return out.recording("dropout", [self], detail: "p \(formatFloat(p))") { g throws(TensorError) in
            let gg = try g.contiguousLayout()
            let gx = try Tensor(uninitializedShape: mask.shape)
            let m = mask.data, gp = gg.data, d = gx.data
            for i in 0..<gx.count { d[i] = gp[i] * m[i] }
            return [gx]
        }
    }
}
