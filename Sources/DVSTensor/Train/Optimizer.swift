/// What every optimizer offers: a list of parameters it updates in place, a
/// learning rate the caller (or a schedule) may change between steps, and its
/// state as named tensors so a run saved to a checkpoint resumes bit for bit.
///
/// A training step:
///
///     optimizer.zeroGrad()
///     try Autograd.backward(loss)
///     _ = try clipGradNorm(optimizer.parameters, maxNorm: 1)
///     optimizer.lr = schedule.lr(at: optimizer.stepCount)
///     try optimizer.step()
///
/// State naming: `"step"` (completed `step()` calls) and `"lr"` are 0-dimensional
/// tensors; per-parameter buffers are `"<buffer>.<index>"`, where the index is the
/// parameter's position in `parameters` (`"exp_avg.0"`, `"momentum.3"`). A
/// parameter that has not yet received a gradient has no buffers.
public protocol Optimizer: AnyObject {
    /// The tensors `step()` updates in place, in a fixed order (state names use the index).
    var parameters: [Tensor] { get }
    /// The learning rate of the next `step()`; must be finite and ≥ 0 when it runs.
    var lr: Float { get set }
    /// How many times `step()` has run (what a schedule's step index counts).
    var stepCount: Int { get }

    /// Updates every parameter that has a gradient; parameters whose `grad` is
    /// nil are left alone (and their state does not advance). Checks every
    /// gradient's shape before changing anything.
    func step() throws(TensorError)
    /// Clears the gradients of all parameters (sets `grad` to nil, as PyTorch's
    /// default `zero_grad(set_to_none=True)`).
    func zeroGrad()
    /// Copies of the optimizer's state, named as described above. The copies do
    /// not change when the optimizer steps again.
    func stateTensors() throws(TensorError) -> [(String, Tensor)]
    /// Replaces the whole state with `state` (as made by `stateTensors()`,
    /// possibly by another optimizer of the same kind over parameters of the
    /// same shapes). Validates every entry before changing anything; unknown
    /// names, shapes that differ from the parameter's, and missing entries are errors.
    func loadState(_ state: [(String, Tensor)]) throws(TensorError)
}

extension Optimizer {
    public func zeroGrad() {
        for p in parameters { p.grad = nil }
    }
}

/// Checks and bookkeeping shared by the optimizers.
enum OptimizerSupport {
    /// A parameter's description for messages: `parameter 2 ('lm.head.weight')`.
    static func label(_ parameters: [Tensor], _ index: Int) -> String {
        if let name = parameters[index].name { return "parameter \(index) ('\(name)')" }
        return "parameter \(index)"
    }

    /// Parameters must be a non-empty list of distinct contiguous leaves (updates
    /// write through the raw data pointer).
    static func checkParameters(_ parameters: [Tensor], _ optimizer: String) throws(TensorError) {
        guard !parameters.isEmpty else { throw TensorError("\(optimizer): got an empty parameter list") }
        var firstIndex: [ObjectIdentifier: Int] = [:]
        for (i, p) in parameters.enumerated() {
            if let first = firstIndex.updateValue(i, forKey: ObjectIdentifier(p)) {
                throw TensorError("\(optimizer): \(label(parameters, i)) repeats parameter \(first); list each parameter once")
            }
            guard p.gradFn == nil else {
                throw TensorError("\(optimizer): \(label(parameters, i)) is computed from other tensors; only leaves can be optimized")
            }
            guard p.isContiguous else {
                throw TensorError("\(optimizer): \(label(parameters, i)) is a non-contiguous view (shape \(shapeText(p.shape))); optimize contiguous tensors")
            }
        }
    }

    static func checkLR(_ lr: Float, _ optimizer: String) throws(TensorError) {
        guard lr.isFinite, lr >= 0 else { throw TensorError("\(optimizer): learning rate must be a finite number ≥ 0, got \(lr)") }
    }

    static func checkNonNegative(_ value: Float, _ what: String, _ optimizer: String) throws(TensorError) {
        guard value.isFinite, value >= 0 else { throw TensorError("\(optimizer): \(what) must be a finite number ≥ 0, got \(value)") }
    }

    /// The gradient of each parameter (nil when it has none), contiguous and
    /// checked against the parameter's shape. Nothing is changed if any check fails.
    static func gradients(_ parameters: [Tensor], _ optimizer: String) throws(TensorError) -> [Tensor?] {
        var grads: [Tensor?] = []
        grads.reserveCapacity(parameters.count)
        for (i, p) in parameters.enumerated() {
            guard let g = p.grad else {
                grads.append(nil)
                continue
            }
            guard g.shape == p.shape else {
                throw TensorError("\(optimizer): \(label(parameters, i)) has shape \(shapeText(p.shape)) but its gradient has shape \(shapeText(g.shape))")
            }
            grads.append(try g.contiguousLayout())
        }
        return grads
    }

    /// A fresh contiguous Float32 copy of a state tensor.
    static func copy(_ t: Tensor) throws(TensorError) -> Tensor {
        let c = try t.contiguousCopy()
        c.dtype = .float32
        return c
    }

    /// A count (a step number) as a 0-dimensional tensor tagged as integer.
    static func countTensor(_ n: Int) -> Tensor {
        let t = Tensor(scalar: Float(n))
        t.dtype = .int64
        return t
    }
}

/// A parsed, validated optimizer state: global scalars, per-parameter counts
/// and per-parameter buffers, all copied out of the caller's tensors.
struct ParsedOptimizerState {
    var scalars: [String: Float] = [:]
    /// kind → parameter index → tensor (buffers have the parameter's shape,
    /// per-parameter scalars have one element).
    var perParameter: [String: [Int: Tensor]] = [:]

    /// - scalars: names of required global one-element entries ("step", "lr").
    /// - buffers: per-parameter kinds whose tensors have the parameter's shape.
    /// - counts: per-parameter kinds holding one whole number ≥ 0.
    init(
        _ entries: [(String, Tensor)], optimizer: String, parameters: [Tensor],
        scalars scalarNames: [String], buffers: [String], counts: [String]
    ) throws(TensorError) {
        var seen = Set<String>()
        for (name, t) in entries {
            guard seen.insert(name).inserted else {
                throw TensorError("\(optimizer).loadState: '\(name)' appears more than once")
            }
            if scalarNames.contains(name) {
                guard t.count == 1 else {
                    throw TensorError("\(optimizer).loadState: '\(name)' must hold one value, got shape \(shapeText(t.shape))")
                }
                scalars[name] = try t.item()
                continue
            }
            guard let dot = name.lastIndex(of: "."),
                let index = Int(name[name.index(after: dot)...]),
                String(index) == name[name.index(after: dot)...]
            else {
                throw TensorError("\(optimizer).loadState: unknown state entry '\(name)'")
            }
            let kind = String(name[..<dot])
            guard buffers.contains(kind) || counts.contains(kind) else {
                throw TensorError("\(optimizer).loadState: unknown state entry '\(name)'")
            }
            guard index >= 0, index < parameters.count else {
                throw TensorError("\(optimizer).loadState: '\(name)' refers to parameter \(index), but there are \(parameters.count) parameters")
            }
            if buffers.contains(kind) {
                let p = parameters[index]
                guard t.shape == p.shape else {
                    throw TensorError(
                        "\(optimizer).loadState: '\(name)' has shape \(shapeText(t.shape)) but \(OptimizerSupport.label(parameters, index)) has shape \(shapeText(p.shape))"
                    )
                }
                perParameter[kind, default: [:]][index] = try OptimizerSupport.copy(t)
            } else {
                guard t.count == 1 else {
                    throw TensorError("\(optimizer).loadState: '\(name)' must hold one value, got shape \(shapeText(t.shape))")
                }
                let v = try t.item()
                _ = try Self.wholeCount(v, name, optimizer)
                perParameter[kind, default: [:]][index] = OptimizerSupport.countTensor(Int(v))
            }
        }
        for name in scalarNames where scalars[name] == nil {
            throw TensorError("\(optimizer).loadState: missing '\(name)'")
        }
    }

    /// A step count stored as Float32: a whole number in 0...2^24 (exact in Float32).
    static func wholeCount(_ v: Float, _ name: String, _ optimizer: String) throws(TensorError) -> Int {
        guard v.isFinite, v >= 0, v == v.rounded(), v <= 16_777_216 else {
            throw TensorError("\(optimizer).loadState: '\(name)' must be a whole number of steps ≥ 0, got \(v)")
        }
        return Int(v)
    }

    /// The per-parameter tensors of `kind`, one slot per parameter.
    func slots(_ kind: String, _ parameterCount: Int) -> [Tensor?] {
        let found = perParameter[kind] ?? [:]
        return (0..<parameterCount).map { found[$0] }
    }
}
