/// The record autograd keeps for a computed tensor: which op made it, from
/// which inputs, and how to turn the output's gradient into the inputs'
/// gradients. The backward closure (and the tensors it saved) is dropped once
/// `backward` has used it.
public final class GradFn {
    /// The op's name as graphs show it: "matmul", "add", "cross_entropy"…
    public let op: String
    public private(set) var inputs: [Tensor]
    /// A short note graphs show under the op (e.g. "× 0.5", "axis 1").
    public let detail: String?
    /// The named scope (`scope("vision") { … }`) active when the op ran.
    public let scope: [String]
    var backward: ((Tensor) throws(TensorError) -> [Tensor?])?
    /// The storage versions of the inputs and of the output when the op ran.
    private let inputVersions: [Int]
    private let outputVersion: Int

    init(
        op: String, inputs: [Tensor], output: Tensor, detail: String?,
        backward: @escaping (Tensor) throws(TensorError) -> [Tensor?]
    ) {
        self.op = op
        self.inputs = inputs
        self.inputVersions = inputs.map(\.storage.version)
        self.outputVersion = output.storage.version
        self.detail = detail
        self.scope = GradMode.scopes
        self.backward = backward
    }

    /// Throws when an input or the output of the op was changed in place after
    /// the forward pass: the backward rule would read the new values and give
    /// silently wrong gradients (PyTorch raises here too).
    func checkUnchanged(output: Tensor) throws(TensorError) {
        let advice =
            "changed in place after the forward pass (by an optimizer step, an initializer or an assignment); "
            + "compute the loss again after changing it"
        for (i, input) in inputs.enumerated() where input.storage.version != inputVersions[i] {
            let which = input.name.map { "its input '\($0)'" } ?? "its input \(i + 1)"
            throw TensorError("backward: '\(op)' needs \(which) as it was, but it was \(advice)")
        }
        guard output.storage.version == outputVersion else {
            throw TensorError("backward: '\(op)' needs its output as it was, but it was \(advice)")
        }
    }

    /// Whether the backward closure has already run (and been released).
    public var isReleased: Bool { backward == nil }

    /// Releases long chains of history iteratively: left to Swift, freeing a
    /// graph would recurse once per node and could overflow the stack.
    deinit {
        var pending = inputs
        inputs = []
        while var t = pending.popLast() {
            guard isKnownUniquelyReferenced(&t), var fn = t.gradFn else { continue }
            t.gradFn = nil
            if isKnownUniquelyReferenced(&fn) {
                pending.append(contentsOf: fn.inputs)
                fn.inputs = []
            }
        }
    }
}

/// Whether ops record autograd history, and the current named scope.
public enum GradMode {
    nonisolated(unsafe) public private(set) static var isEnabled = true
    nonisolated(unsafe) public private(set) static var scopes: [String] = []

    /// Runs `body` without recording history (`no_grad { … }`).
    public static func withoutGrad<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        let saved = isEnabled
        isEnabled = false
        defer { isEnabled = saved }
        return try body()
    }

    /// Runs `body` with ops tagged with scope `name` (graphs draw scopes as clusters).
    public static func withScope<T, E: Error>(_ name: String, _ body: () throws(E) -> T) throws(E) -> T {
        scopes.append(name)
        defer { scopes.removeLast() }
        return try body()
    }
}

extension Tensor {
    /// Attaches autograd history to a freshly computed tensor when any input
    /// needs gradients and grad mode is on; returns the tensor.
    @discardableResult
    func recording(
        _ op: String, _ inputs: [Tensor], detail: String? = nil,
        _ backward: @escaping (Tensor) throws(TensorError) -> [Tensor?]
    ) -> Tensor {
        if GradMode.isEnabled, inputs.contains(where: \.needsGrad) {
            gradFn = GradFn(op: op, inputs: inputs, output: self, detail: detail, backward: backward)
        }
        return self
    }

    /// The same values without autograd history.
    public func detached() -> Tensor {
        let t = view(shape: shape, strides: strides, offset: offset)
        return t
    }
}
