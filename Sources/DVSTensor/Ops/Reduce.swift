/// Reductions over an axis or over everything: sum, mean, max, min, argmax;
/// and `sumTo`, which folds a broadcast gradient back to an input's shape.

import DVSKernels

extension Tensor {
    /// Splits the layout into (outer, reduced, inner) extents around `axis`
    /// of a contiguous tensor: element (o, r, i) is at o*reduced*inner + r*inner + i.
    private func extents(_ axis: Int) -> (outer: Int, reduced: Int, inner: Int) {
        let outer = shape[..<axis].reduce(1, *)
        let inner = shape[(axis + 1)...].reduce(1, *)
        return (outer, shape[axis], inner)
    }

    private func reducedShape(_ axis: Int, keepdim: Bool) -> [Int] {
        var s = shape
        if keepdim { s[axis] = 1 } else { s.remove(at: axis) }
        return s
    }

    /// Sum over `axis` (nil: all elements).
    public func sum(axis: Int? = nil, keepdim: Bool = false) throws(TensorError) -> Tensor {
        let a = self
        guard let axis else {
            let src = try contiguousLayout()
            var total: Double = 0
            let x = src.data
            for i in 0..<count { total += Double(x[i]) }
            let out = keepdim ? try Tensor.full([Int](repeating: 1, count: rank), Float(total)) : Tensor(scalar: Float(total))
            return out.recording("sum", [a]) { g throws(TensorError) in [try g.expandTo(a.shape)] }
        }
        let ax = try Shape.axis(axis, rank: rank, "sum")
        let src = try contiguousLayout()
        let (outer, reduced, inner) = src.extents(ax)
        let out = try Tensor.zeros(reducedShape(ax, keepdim: keepdim))
        let x = src.data, o = out.data
        for i in 0..<outer {
            let dst = o + i * inner
            for r in 0..<reduced {
                let row = x + (i * reduced + r) * inner
                for j in 0..<inner { dst[j] += row[j] }
            }
        }
        return out.recording("sum", [a], detail: "axis \(ax)") { g throws(TensorError) in
            [try (keepdim ? g : g.unsqueeze(ax)).expandTo(a.shape)]
        }
    }

    /// Mean over `axis` (nil: all elements); its own op, so graphs read "mean".
    public func mean(axis: Int? = nil, keepdim: Bool = false) throws(TensorError) -> Tensor {
        let n: Int
        var ax: Int? = nil
        if let axis {
            ax = try Shape.axis(axis, rank: rank, "mean")
            n = shape[ax!]
        } else {
            n = count
        }
        let a = self
        // NumPy's rule: the mean of zero elements is 0/0 = nan.
        let scale = Tensor(scalar: n > 0 ? 1 / Float(n) : .nan)
        let out = try GradMode.withoutGrad { () throws(TensorError) in try a.sum(axis: ax, keepdim: keepdim).mul(scale) }
        return out.recording("mean", [a], detail: ax.map { "axis \($0)" }) { g throws(TensorError) in
            var spread = g
            if let ax, !keepdim { spread = try g.unsqueeze(ax) }
            return [try spread.mul(scale).expandTo(a.shape).contiguousCopy()]
        }
    }

    /// Max (or min) over `axis` (nil: all), with gradient to the first extreme element.
    public func max(axis: Int? = nil, keepdim: Bool = false) throws(TensorError) -> Tensor {
        try extreme(axis: axis, keepdim: keepdim, largest: true)
    }

    public func min(axis: Int? = nil, keepdim: Bool = false) throws(TensorError) -> Tensor {
        try extreme(axis: axis, keepdim: keepdim, largest: false)
    }

    /// Index of the largest element along `axis` (nil: in the flattened tensor), as integer data.
    public func argmax(axis: Int? = nil, keepdim: Bool = false) throws(TensorError) -> Tensor {
        let (_, indices) = try extremeWithIndices(axis: axis, keepdim: keepdim, largest: true, op: "argmax")
        indices.dtype = .int64
        return indices
    }

    private func extreme(axis: Int?, keepdim: Bool, largest: Bool) throws(TensorError) -> Tensor {
        let a = self
        let op = largest ? "max" : "min"
        let (values, indices) = try extremeWithIndices(axis: axis, keepdim: keepdim, largest: largest, op: op)
        return values.recording(op, [a]) { g throws(TensorError) in
            // Scatter the gradient to the position that won.
            let grad = try Tensor.zeros(a.shape)
            let gg = try g.contiguousLayout()
            let idx = indices.data, gd = gg.data, o = grad.data
            if let axis {
                let ax = try Shape.axis(axis, rank: a.rank, op)
                let (outer, reduced, inner) = a.extents(ax)
                for i in 0..<outer {
                    for j in 0..<inner {
                        let k = i * inner + j
                        o[(i * reduced + Int(idx[k])) * inner + j] += gd[k]
                    }
                }
            } else {
                o[Int(idx[0])] += gd[0]
            }
            return [grad]
        }
    }

    private func extremeWithIndices(axis: Int?, keepdim: Bool, largest: Bool, op: String) throws(TensorError) -> (Tensor, Tensor) {
        let src = try contiguousLayout()
        let x = src.data
        @inline(__always) func better(_ v: Float, _ best: Float) -> Bool {
            if v.isNaN { return !best.isNaN }  // nan wins, as in NumPy
            return largest ? v > best : v < best
        }
        guard let axis else {
            guard count > 0 else {
                throw TensorError("\(op): the tensor is empty (shape \(shapeText(shape))), and the \(op) of no elements is undefined")
            }
            var best = x[0], at = 0
            for i in 1..<count where better(x[i], best) { best = x[i]; at = i }
            let shape = keepdim ? [Int](repeating: 1, count: rank) : []
            return (try Tensor.full(shape, best), try Tensor.full(shape, Float(at)))
        }
        let ax = try Shape.axis(axis, rank: rank, op)
        let (outer, reduced, inner) = src.extents(ax)
        guard reduced > 0 else {
            throw TensorError("\(op): axis \(ax) of shape \(shapeText(shape)) has size 0, and the \(op) of no elements is undefined")
        }
        let outShape = reducedShape(ax, keepdim: keepdim)
        let values = try Tensor(uninitializedShape: outShape), indices = try Tensor(uninitializedShape: outShape)
        let v = values.data, ix = indices.data
        for i in 0..<outer {
            for j in 0..<inner {
                var best = x[i * reduced * inner + j], at = 0
                for r in 1..<reduced {
                    let e = x[(i * reduced + r) * inner + j]
                    if better(e, best) { best = e; at = r }
                }
                v[i * inner + j] = best
                ix[i * inner + j] = Float(at)
            }
        }
        return (values, indices)
    }

    /// Sums a (broadcast) gradient back to `target`, the shape of an input.
    func sumTo(_ target: [Int]) throws(TensorError) -> Tensor {
        if shape == target { return self }
        guard rank >= target.count else {
            throw TensorError("internal error: gradient of shape \(shapeText(shape)) cannot be summed to \(shapeText(target))")
        }
        let trailing = Array(target.drop(while: { $0 == 1 }))
        if trailing.count < rank, Array(shape.suffix(trailing.count)) == trailing {
            return try sumOfRows(width: Shape.count(trailing)).reshapedView(target)
        }
        var t = self
        // Leading dimensions the input did not have.
        while t.rank > target.count { t = try t.sum(axis: 0) }
        for (i, d) in target.enumerated() where d == 1 && t.shape[i] != 1 {
            t = try t.sum(axis: i, keepdim: true)
        }
        return t
    }

    /// Σ over rows of the tensor seen as [count / width, width] (a bias's
    /// gradient): columns are split over the worker pool, and each column
    /// block adds the rows in order, so the result does not depend on the
    /// number of threads.
    private func sumOfRows(width: Int) throws(TensorError) -> Tensor {
        let src = try contiguousLayout()
        let out = try Tensor.zeros([width])
        let rows = width == 0 ? 0 : count / width
        let x = src.data, o = out.data
        WorkerPool.shared.parallelFor(width, grain: Swift.max(16, elementGrain / Swift.max(rows, 1))) { cols in
            dvs_add_rows(x + cols.lowerBound, o + cols.lowerBound, rows, cols.count, width)
        }
        return out
    }

    /// The same contiguous values under another shape with as many elements.
    private func reshapedView(_ target: [Int]) -> Tensor {
        view(shape: target, strides: Shape.contiguousStrides(target), offset: offset)
    }
}
