import DVSKernels
import Foundation

/// Adam with decoupled weight decay — PyTorch's `torch.optim.AdamW` rule
/// (without amsgrad). For each parameter p with gradient g, with lr γ, betas
/// (β₁, β₂), eps ε, weight decay λ, and t the parameter's own step number
/// (1 on its first update):
///
///     p ← p·(1 − γλ)                           (decoupled decay, first)
///     m ← m + (1 − β₁)·(g − m)                 (m.lerp_(g, 1 − β₁))
///     v ← β₂·v + (1 − β₂)·g·g
///     c₁ = 1 − β₁ᵗ,  c₂ = 1 − β₂ᵗ               (in Float64, as PyTorch's Python code)
///     denom = √v / √c₂ + ε
///     p ← p − (γ / c₁)·m / denom
///
/// m and v start at zero. Each parameter is updated by one fused loop over raw
/// Float32 data, with the operations in the order PyTorch's kernels apply them
/// (`lerp` switches to `g − (g − m)·β₁` when 1 − β₁ ≥ 0.5, as PyTorch's does) and
/// the scalar constants computed in Float64 then rounded to Float32.
///
/// State: `"step"`, `"lr"`, and for each parameter i that has had a gradient
/// `"exp_avg.<i>"` (m), `"exp_avg_sq.<i>"` (v) and `"step.<i>"` (its t; a
/// parameter skipped for lack of a gradient does not advance it, as in PyTorch).
public final class AdamW: Optimizer {
    public let parameters: [Tensor]
    public var lr: Float
    /// Float64, as PyTorch's Python floats: 1 − β₂ and β₂ᵗ are computed from
    /// them in Float64 (Float32(0.999) would move 1 − β₂ by 1.3e-5 relative).
    public let betas: (Double, Double)
    public let eps: Float
    public let weightDecay: Float
    public private(set) var stepCount = 0
    private var expAvg: [Tensor?]
    private var expAvgSq: [Tensor?]
    private var parameterSteps: [Int]

    /// Errors for an empty or repeated parameter list, non-leaf or
    /// non-contiguous parameters, lr < 0, betas outside [0, 1), eps ≤ 0,
    /// weight decay < 0, and non-finite values.
    public init(
        _ parameters: [Tensor], lr: Float = 1e-3, betas: (Double, Double) = (0.9, 0.999),
        eps: Float = 1e-8, weightDecay: Float = 0.01
    ) throws(TensorError) {
        try OptimizerSupport.checkParameters(parameters, "AdamW")
        try OptimizerSupport.checkLR(lr, "AdamW")
        for (which, beta) in [("beta1", betas.0), ("beta2", betas.1)] {
            guard beta >= 0, beta < 1 else { throw TensorError("AdamW: \(which) must be in [0, 1), got \(beta)") }
        }
        guard eps.isFinite, eps > 0 else { throw TensorError("AdamW: eps must be a finite number > 0, got \(eps)") }
        try OptimizerSupport.checkNonNegative(weightDecay, "weight decay", "AdamW")
        self.parameters = parameters
        self.lr = lr
        self.betas = betas
        self.eps = eps
        self.weightDecay = weightDecay
        expAvg = Array(repeating: nil, count: parameters.count)
        expAvgSq = Array(repeating: nil, count: parameters.count)
        parameterSteps = Array(repeating: 0, count: parameters.count)
    }

    public func step() throws(TensorError) {
        try OptimizerSupport.checkLR(lr, "AdamW")
        let grads = try OptimizerSupport.gradients(parameters, "AdamW")
        stepCount += 1
        let (beta1, beta2) = betas
        let lrD = Double(lr)
        let decay = weightDecay != 0
        let decayFactor = Float(1 - lrD * Double(weightDecay))  // param.mul_(1 - lr * weight_decay)
        let w = Float(1 - beta1)  // exp_avg.lerp_(grad, 1 - beta1)
        let smallWeight = Swift.abs(w) < 0.5
        let oneMinusW = 1 - w
        let b2 = Float(beta2)  // exp_avg_sq.mul_(beta2)
        let c2 = Float(1 - beta2)  // .addcmul_(grad, grad, value=1 - beta2)
        let epsF = eps
        // Per parameter: pointers and its step size; then one pass over all
        // of their elements, split over the worker pool.
        var slices: [AdamWSlice] = []
        for (i, param) in parameters.enumerated() {
            guard let grad = grads[i] else { continue }
            if expAvg[i] == nil {
                expAvg[i] = try Tensor.zeros(param.shape)
                expAvgSq[i] = try Tensor.zeros(param.shape)
            }
            parameterSteps[i] += 1
            let t = Double(parameterSteps[i])
            let biasCorrection1 = 1 - Foundation.pow(beta1, t)
            let biasCorrection2 = 1 - Foundation.pow(beta2, t)
            param.storage.markModified()
            slices.append(
                AdamWSlice(
                    p: param.data, g: grad.data, m: expAvg[i]!.data, v: expAvgSq[i]!.data, count: param.count,
                    negStepSize: Float(-(lrD / biasCorrection1)),  // addcdiv_(…, value=-step_size)
                    biasCorrection2Sqrt: Float(biasCorrection2.squareRoot())))
        }
        let all = MultiTensorRanges(slices.map(\.count))
        let constants = dvs_adamw_constants(
            decay_factor: decayFactor, decay: decay ? 1 : 0, w: w, one_minus_w: oneMinusW,
            small_weight: smallWeight ? 1 : 0, beta2: b2, one_minus_beta2: c2,
            neg_step_size: 0, bias_correction2_sqrt: 0, eps: epsF)
        WorkerPool.shared.parallelFor(all.total, grain: elementGrain) { range in
            all.forEachPiece(of: range) { index, piece in
                let slice = slices[index]
                var own = constants
                own.neg_step_size = slice.negStepSize
                own.bias_correction2_sqrt = slice.biasCorrection2Sqrt
                let j = piece.lowerBound
                dvs_adamw_update(slice.p + j, slice.g + j, slice.m + j, slice.v + j, piece.count, &own)
            }
        }
    }

    public func stateTensors() throws(TensorError) -> [(String, Tensor)] {
        var out: [(String, Tensor)] = [("step", OptimizerSupport.countTensor(stepCount)), ("lr", Tensor(scalar: lr))]
        for i in parameters.indices {
            guard let m = expAvg[i], let v = expAvgSq[i] else { continue }
            out.append(("exp_avg.\(i)", try OptimizerSupport.copy(m)))
            out.append(("exp_avg_sq.\(i)", try OptimizerSupport.copy(v)))
            out.append(("step.\(i)", OptimizerSupport.countTensor(parameterSteps[i])))
        }
        return out
    }

    public func loadState(_ state: [(String, Tensor)]) throws(TensorError) {
        let parsed = try ParsedOptimizerState(
            state, optimizer: "AdamW", parameters: parameters,
            scalars: ["step", "lr"], buffers: ["exp_avg", "exp_avg_sq"], counts: ["step"])
        let steps = try ParsedOptimizerState.wholeCount(parsed.scalars["step"]!, "step", "AdamW")
        let newLR = parsed.scalars["lr"]!
        try OptimizerSupport.checkLR(newLR, "AdamW")
        let m = parsed.slots("exp_avg", parameters.count)
        let v = parsed.slots("exp_avg_sq", parameters.count)
        let t = parsed.slots("step", parameters.count)
        for i in parameters.indices {
            let present = [m[i] != nil, v[i] != nil, t[i] != nil]
            guard present.allSatisfy({ $0 }) || present.allSatisfy({ !$0 }) else {
                throw TensorError("AdamW.loadState: parameter \(i) needs all of 'exp_avg.\(i)', 'exp_avg_sq.\(i)' and 'step.\(i)', or none")
            }
            if let ti = t[i], try ti.item() == 0 {
                throw TensorError("AdamW.loadState: 'step.\(i)' is 0, but a parameter with moments has taken at least one step")
            }
        }
        stepCount = steps
        lr = newLR
        expAvg = m
        expAvgSq = v
        parameterSteps = t.map { slot in slot.map { Int($0.storage.pointer[$0.offset]) } ?? 0 }
    }
}

/// One parameter's share of an AdamW step: its data, gradient, moments and
/// the step's per-parameter constants.
private struct AdamWSlice {
    let p: UnsafeMutablePointer<Float>, g: UnsafeMutablePointer<Float>
    let m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>
    let count: Int
    let negStepSize: Float
    let biasCorrection2Sqrt: Float
}
