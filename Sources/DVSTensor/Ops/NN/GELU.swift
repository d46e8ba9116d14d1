/// GELU with the tanh approximation (PyTorch `approximate='tanh'`), forward
/// and backward each one elementwise loop:
///   u = √(2/π) · (x + 0.044715 x³),  t = tanh u
///   gelu(x)  = ½ x (1 + t)
///   gelu'(x) = ½ (1 + t) + ½ x (1 − t²) · √(2/π) · (1 + 3 · 0.044715 x²)
/// computed through s = σ(2u) = ½ (1 + t), so one (vectorizable) exponential
/// serves: gelu(x) = x s,  gelu'(x) = s + 2 x s (1 − s) u'. The loops are
/// DVSKernels' `dvs_gelu_*` (compiled per CPU generation), split over the pool.

import DVSKernels

extension Tensor {
    /// GELU, tanh approximation: `0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³)))`.
    public func gelu() throws(TensorError) -> Tensor {
        let src = try contiguousLayout()
        let out = try Tensor(uninitializedShape: shape)
        let x = src.data, y = out.data
        WorkerPool.shared.parallelFor(count, grain: elementGrain) { r in
            dvs_gelu_forward(x + r.lowerBound, y + r.lowerBound, r.count)
        }
        let a = self
        return out.recording("gelu", [a], detail: "tanh") { g throws(TensorError) in
            let gg = try g.contiguousLayout()
            let gx = try Tensor(uninitializedShape: a.shape)
            let x = src.data, gp = gg.data, d = gx.data
            WorkerPool.shared.parallelFor(a.count, grain: elementGrain) { r in
                dvs_gelu_backward(x + r.lowerBound, gp + r.lowerBound, d + r.lowerBound, r.count)
            }
            return [gx]
        }
    }
}
