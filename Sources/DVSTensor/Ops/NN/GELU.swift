/// GELU with the tanh approximation (PyTorch `approximate='tanh'`), forward
/// and backward each one elementwise loop:
///   u = √(2/π) · (x + 0.044715 x³),  t = tanh u
///   gelu(x)  = ½ x (1 + t)
///   gelu'(x) = ½ (1 + t) + ½ x (1 − t²) · √(2/π) · (1 + 3 · 0.044715 x²)
/// computed through s = σ(2u) = ½ (1 + t), so one (vectorizable) exponential
/// serves: gelu(x) = x s,  gelu'(x) = s + 2 x s (1 − s) u'.

private let geluScale: Float = 0.797_884_560_802_865_4  // √(2/π)
private let geluCubic: Float = 0.044715

extension Tensor {
    /// GELU, tanh approximation: `0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³)))`.
    public func gelu() throws(TensorError) -> Tensor {
        let src = try contiguousLayout()
        let out = try Tensor(uninitializedShape: shape)
        let x = src.data, y = out.data
        for i in 0..<count {
            let v = x[i]
            let u = geluScale * (v + geluCubic * v * v * v)
            y[i] = v / (1 + vexp(-2 * u))
        }
        let a = self
        return out.recording("gelu", [a], detail: "tanh") { g throws(TensorError) in
            let gg = try g.contiguousLayout()
            let gx = try Tensor(uninitializedShape: a.shape)
            let x = src.data, gp = gg.data, d = gx.data
            for i in 0..<a.count {
                let v = x[i]
                let u = geluScale * (v + geluCubic * v * v * v)
                let s = 1 / (1 + vexp(-2 * u))
                let du = geluScale * (1 + 3 * geluCubic * v * v)
                d[i] = gp[i] * (s + 2 * v * s * (1 - s) * du)
            }
            return [gx]
        }
    }
}
