/// Stochastic gradient descent with optional momentum, dampening, Nesterov
/// momentum and (L2, coupled) weight decay — PyTorch's `torch.optim.SGD` rule.
/// For each parameter p with gradient g, with lr γ, momentum μ, dampening τ,
/// weight decay λ:
///
///     g ← g + λ·p                              (when λ ≠ 0)
///     if μ ≠ 0:
///         b ← g                                (first step of this parameter)
///         b ← μ·b + (1 − τ)·g                  (later steps)
///         g ← g + μ·b   (Nesterov)   or   g ← b
///     p ← p − γ·g
///
/// Each parameter is updated by one fused loop over its raw Float32 data, with
/// the operations in the order PyTorch's kernels apply them and the constants
/// (1 − τ, −γ) rounded to Float32 as PyTorch does.
///
/// State: `"step"`, `"lr"`, and `"momentum.<i>"` (the buffer b, once parameter
/// i has had a gradient, when μ ≠ 0).
public final class SGD: Optimizer {
    public let parameters: [Tensor]
    public var lr: Float
    public let momentum: Float
    public let dampening: Float
    public let nesterov: Bool
    public let weightDecay: Float
    public private(set) var stepCount = 0
    /// Momentum buffers, one slot per parameter; nil until the parameter's first gradient.
    private var momentumBuffers: [Tensor?]

    /// Errors for an empty or repeated parameter list, non-leaf or
    /// non-contiguous parameters, lr < 0, momentum < 0, weight decay < 0,
    /// non-finite values, and Nesterov without momentum or with dampening.
    public init(
        _ parameters: [Tensor], lr: Float, momentum: Float = 0, dampening: Float = 0,
        nesterov: Bool = false, weightDecay: Float = 0
    ) throws(TensorError) {
        try OptimizerSupport.checkParameters(parameters, "SGD")
        try OptimizerSupport.checkLR(lr, "SGD")
        try OptimizerSupport.checkNonNegative(momentum, "momentum", "SGD")
        try OptimizerSupport.checkNonNegative(weightDecay, "weight decay", "SGD")
        guard dampening.isFinite else { throw TensorError("SGD: dampening must be a finite number, got \(dampening)") }
        if nesterov, momentum <= 0 || dampening != 0 {
            throw TensorError("SGD: Nesterov momentum needs momentum > 0 and dampening 0, got momentum \(momentum), dampening \(dampening)")
        }
        self.parameters = parameters
        self.lr = lr
        self.momentum = momentum
        self.dampening = dampening
        self.nesterov = nesterov
        self.weightDecay = weightDecay
        self.momentumBuffers = Array(repeating: nil, count: parameters.count)
    }

    public func step() throws(TensorError) {
        try OptimizerSupport.checkLR(lr, "SGD")
        let grads = try OptimizerSupport.gradients(parameters, "SGD")
        stepCount += 1
        let negLR = -lr
        let wd = weightDecay
        let mu = momentum
        let nesterov = self.nesterov
        let gradScale = Float(1 - Double(dampening))  // add_(grad, alpha=1 - dampening)
        for (i, param) in parameters.enumerated() {
            guard let grad = grads[i] else { continue }
            let n = param.count
            param.storage.markModified()
            let p = param.data, g = grad.data
            if mu == 0 {
                for j in 0..<n {
                    var d = g[j]
                    if wd != 0 { d = d + wd * p[j] }
                    p[j] = p[j] + negLR * d
                }
                continue
            }
            if let buffer = momentumBuffers[i] {
                let b = buffer.data
                for j in 0..<n {
                    var d = g[j]
                    if wd != 0 { d = d + wd * p[j] }
                    let bj = b[j] * mu + gradScale * d
                    b[j] = bj
                    d = nesterov ? d + mu * bj : bj
                    p[j] = p[j] + negLR * d
                }
            } else {
                // The buffer starts as a copy of the (decayed) gradient.
                let buffer = try Tensor(uninitializedShape: param.shape)
                let b = buffer.data
                for j in 0..<n {
                    var d = g[j]
                    if wd != 0 { d = d + wd * p[j] }
                    b[j] = d
                    if nesterov { d = d + mu * d }
                    p[j] = p[j] + negLR * d
                }
                momentumBuffers[i] = buffer
            }
        }
    }

    public func stateTensors() throws(TensorError) -> [(String, Tensor)] {
        var out: [(String, Tensor)] = [("step", OptimizerSupport.countTensor(stepCount)), ("lr", Tensor(scalar: lr))]
        for (i, b) in momentumBuffers.enumerated() {
            if let b { out.append(("momentum.\(i)", try OptimizerSupport.copy(b))) }
        }
        return out
    }

    public func loadState(_ state: [(String, Tensor)]) throws(TensorError) {
        let parsed = try ParsedOptimizerState(
            state, optimizer: "SGD", parameters: parameters,
            scalars: ["step", "lr"], buffers: ["momentum"], counts: [])
        let steps = try ParsedOptimizerState.wholeCount(parsed.scalars["step"]!, "step", "SGD")
        let newLR = parsed.scalars["lr"]!
        try OptimizerSupport.checkLR(newLR, "SGD")
        let buffers = parsed.slots("momentum", parameters.count)
        if momentum == 0, let i = buffers.firstIndex(where: { $0 != nil }) {
            throw TensorError("SGD.loadState: 'momentum.\(i)' given, but this optimizer has no momentum")
        }
        stepCount = steps
        lr = newLR
        momentumBuffers = buffers
    }
}
