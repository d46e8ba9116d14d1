/// Reverse-mode differentiation over the recorded graph.
public enum Autograd {
    /// Computes gradients of `root` (a scalar, or with an explicit `grad` of its
    /// shape) and accumulates them into `.grad` of every leaf with
    /// `requiresGrad`. The topological sort is iterative, so graphs of any depth
    /// are fine; each op's saved tensors are released as soon as it has run.
    public static func backward(_ root: Tensor, grad: Tensor? = nil) throws(TensorError) {
        guard root.needsGrad else {
            throw TensorError("backward: the tensor does not depend on any parameter (nothing requires grad)")
        }
        let seed: Tensor
        if let grad {
            guard grad.shape == root.shape else {
                throw TensorError("backward: gradient shape \(shapeText(grad.shape)) does not match tensor shape \(shapeText(root.shape))")
            }
            seed = grad
        } else {
            guard root.count == 1 else {
                throw TensorError("backward: needs a scalar (one element) loss, got shape \(shapeText(root.shape)); pass grad: for others")
            }
            seed = try Tensor.ones(root.shape)
        }
        let order = topologicalOrder(root)
        try GradMode.withoutGrad { () throws(TensorError) in
            var grads: [ObjectIdentifier: Tensor] = [ObjectIdentifier(root): seed]
            // Leaf gradients are stored only once every one is computed, so a
            // failed or interrupted backward leaves every `.grad` as it was.
            var leafGrads: [(Tensor, Tensor)] = []
            for t in order.reversed() {
                guard let g = grads.removeValue(forKey: ObjectIdentifier(t)) else { continue }
                if t.requiresGrad {
                    let total = if let old = t.grad { try old.adding(g) } else { try g.contiguousCopy() }
                    leafGrads.append((t, total))
                }
                guard let fn = t.gradFn else { continue }
                guard let backward = fn.backward else {
                    throw TensorError("backward: the graph through '\(fn.op)' was already used by an earlier backward; recompute the loss")
                }
                try fn.checkUnchanged(output: t)
                let inputGrads = try backward(g)
                fn.backward = nil  // release saved tensors
                for (input, ig) in zip(fn.inputs, inputGrads) {
                    guard let ig, input.needsGrad else { continue }
                    let key = ObjectIdentifier(input)
                    if let existing = grads[key] {
                        grads[key] = try existing.adding(ig)
                    } else {
                        grads[key] = ig
                    }
                }
            }
            for (leaf, grad) in leafGrads { leaf.grad = grad }
        }
    }

    /// Tensors reachable from `root` through recorded ops, inputs before users.
    static func topologicalOrder(_ root: Tensor) -> [Tensor] {
        var order: [Tensor] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(Tensor, Int)] = [(root, 0)]
        visited.insert(ObjectIdentifier(root))
        while let (t, next) = stack.popLast() {
            let inputs = t.gradFn?.inputs ?? []
            if next < inputs.count {
                stack.append((t, next + 1))
                let input = inputs[next]
                if input.needsGrad, visited.insert(ObjectIdentifier(input)).inserted {
                    stack.append((input, 0))
                }
            } else {
                order.append(t)
            }
        }
        return order
    }
}
