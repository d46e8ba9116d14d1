/// Shape ops. transpose, permute, slice, expand, squeeze and unsqueeze are
/// views (no copy); reshape is a view of contiguous data and a copy otherwise;
/// index_select, concat and stack copy.

extension Tensor {
    /// A contiguous tensor with these values: self when already contiguous.
    public func contiguous() throws(TensorError) -> Tensor {
        if isContiguous { return self }
        return try contiguousCopy().recording("contiguous", [self]) { g throws(TensorError) in [g] }
    }

    /// The same elements in `newShape` (one size may be -1, inferred).
    public func reshape(_ newShape: [Int]) throws(TensorError) -> Tensor {
        var target = newShape
        let unknown = target.indices.filter { target[$0] == -1 }
        guard unknown.count <= 1 else { throw TensorError("reshape: only one size may be -1, got \(shapeText(newShape))") }
        if let u = unknown.first {
            // The given sizes are checked first, so their product cannot overflow.
            let given = target.enumerated().filter { $0.offset != u }.map(\.element)
            try Shape.validate(given, "reshape")
            let known = Shape.count(given)
            guard known > 0, count % known == 0 else {
                throw TensorError("reshape: cannot reshape \(shapeText(shape)) (\(count) elements) into \(shapeText(newShape))")
            }
            target[u] = count / known
        }
        try Shape.validate(target, "reshape")
        guard Shape.count(target) == count else {
            throw TensorError("reshape: cannot reshape \(shapeText(shape)) (\(count) elements) into \(shapeText(newShape)) (\(Shape.count(target)) elements)")
        }
        let a = self
        let src = try contiguous()
        return src.view(shape: target, strides: Shape.contiguousStrides(target), offset: src.offset)
            .recording("reshape", [a], detail: shapeText(target)) { g throws(TensorError) in [try g.reshape(a.shape)] }
    }

    /// Swaps two dimensions (a view).
    public func transpose(_ d0: Int = -2, _ d1: Int = -1) throws(TensorError) -> Tensor {
        guard rank >= 2 || (rank == 1 && d0 == -2 && d1 == -1) else {
            throw TensorError("transpose: needs at least 2 dimensions, got shape \(shapeText(shape))")
        }
        if rank < 2 { return self }
        var order = Array(0..<rank)
        order.swapAt(try Shape.axis(d0, rank: rank, "transpose"), try Shape.axis(d1, rank: rank, "transpose"))
        return try permute(order)
    }

    /// Reorders dimensions: result dimension i is input dimension order[i] (a view).
    public func permute(_ order: [Int]) throws(TensorError) -> Tensor {
        guard order.count == rank else {
            throw TensorError("permute: \(order.count) dimensions given for a tensor of shape \(shapeText(shape))")
        }
        var axes: [Int] = []
        for o in order { axes.append(try Shape.axis(o, rank: rank, "permute")) }
        guard Set(axes).count == rank else { throw TensorError("permute: \(order) repeats a dimension") }
        var inverse = [Int](repeating: 0, count: rank)
        for (i, ax) in axes.enumerated() { inverse[ax] = i }
        let a = self
        return view(shape: axes.map { shape[$0] }, strides: axes.map { strides[$0] }, offset: offset)
            .recording("permute", [a], detail: "\(axes)") { g throws(TensorError) in [try g.permute(inverse)] }
    }

    /// Removes `axis` if it has size 1 (nil: all size-1 dimensions).
    public func squeeze(_ axis: Int? = nil) throws(TensorError) -> Tensor {
        var keep = Array(0..<rank)
        if let axis {
            let ax = try Shape.axis(axis, rank: rank, "squeeze")
            guard shape[ax] == 1 else { throw TensorError("squeeze: dimension \(ax) has size \(shape[ax]), not 1") }
            keep.remove(at: ax)
        } else {
            keep = keep.filter { shape[$0] != 1 }
        }
        let a = self
        return view(shape: keep.map { shape[$0] }, strides: keep.map { strides[$0] }, offset: offset)
            .recording("squeeze", [a]) { g throws(TensorError) in [try g.reshape(a.shape)] }
    }

    /// Inserts a dimension of size 1 at `axis`.
    public func unsqueeze(_ axis: Int) throws(TensorError) -> Tensor {
        let ax = try Shape.axis(axis, rank: rank + 1, "unsqueeze")
        var s = shape, st = strides
        s.insert(1, at: ax)
        st.insert(ax < rank ? strides[ax] * shape[ax] : 1, at: ax)
        let a = self
        return view(shape: s, strides: st, offset: offset)
            .recording("unsqueeze", [a]) { g throws(TensorError) in [try g.reshape(a.shape)] }
    }

    /// Elements `start..<end` by `step` along `axis` (a view). Bounds follow
    /// Python: negative from the end, clamped.
    public func slice(axis: Int, start: Int?, end: Int?, step: Int = 1) throws(TensorError) -> Tensor {
        let ax = try Shape.axis(axis, rank: rank, "slice")
        guard step > 0 else { throw TensorError("slice: step must be positive, got \(step)") }
        let n = shape[ax]
        func clamp(_ i: Int?, _ dflt: Int) -> Int {
            guard var i else { return dflt }
            if i < 0 { i += n }
            return Swift.min(Swift.max(i, 0), n)
        }
        let s = clamp(start, 0), e = Swift.max(clamp(end, n), clamp(start, 0))
        var newShape = shape, newStrides = strides
        newShape[ax] = (e - s + step - 1) / step
        newStrides[ax] = strides[ax] * step
        let a = self
        return view(shape: newShape, strides: newStrides, offset: offset + s * strides[ax])
            .recording("slice", [a], detail: "axis \(ax) \(s):\(e)\(step == 1 ? "" : ":\(step)")") { g throws(TensorError) in
                // Backward runs without recording, so these slices are plain views into
                // `grad`. A step-1 slice zeroes only what it left out, not all of `grad` first.
                let grad = step == 1 ? try Tensor(uninitializedShape: a.shape) : try Tensor.zeros(a.shape)
                try grad.slice(axis: ax, start: s, end: e, step: step).assign(g)
                if step == 1 {
                    for (lower, upper) in [(0, s), (e, n)] where lower < upper {
                        try grad.slice(axis: ax, start: lower, end: upper).assign(Tensor(scalar: 0))
                    }
                }
                return [grad]
            }
    }

    /// Picks index `i` along `axis`, dropping that dimension (a view): `t[i]`.
    public func select(axis: Int, index: Int) throws(TensorError) -> Tensor {
        let ax = try Shape.axis(axis, rank: rank, "select")
        let i = index < 0 ? index + shape[ax] : index
        guard i >= 0, i < shape[ax] else {
            throw TensorError("index \(index) is out of range for dimension \(ax) of size \(shape[ax])")
        }
        return try slice(axis: ax, start: i, end: i + 1).squeeze(ax)
    }

    /// This tensor broadcast to `target` (a view with stride 0 along new dimensions).
    public func expandTo(_ target: [Int]) throws(TensorError) -> Tensor {
        if target == shape { return self }
        let out = try Shape.broadcast(shape, target, "expand")
        guard out == target else {
            throw TensorError("expand: cannot expand \(shapeText(shape)) to \(shapeText(target))")
        }
        let a = self
        return view(shape: target, strides: broadcastStrides(self, to: target), offset: offset)
            .recording("expand", [a]) { g throws(TensorError) in [try g.sumTo(a.shape)] }
    }

    /// Rows `indices` along `axis` (indices are whole numbers; negative from the end).
    public func indexSelect(axis: Int, indices: Tensor) throws(TensorError) -> Tensor {
        let ax = try Shape.axis(axis, rank: rank, "index_select")
        let ids = try indices.wholeIndices(limit: shape[ax], op: "index_select")
        let src = try contiguous()
        let outer = shape[..<ax].reduce(1, *), inner = shape[(ax + 1)...].reduce(1, *), n = shape[ax]
        var outShape = shape
        outShape[ax] = ids.count
        let out = try Tensor(uninitializedShape: outShape)
        let x = src.data, o = out.data
        for i in 0..<outer {
            for (k, id) in ids.enumerated() {
                (o + (i * ids.count + k) * inner).update(from: x + (i * n + id) * inner, count: inner)
            }
        }
        let a = self
        return out.recording("index_select", [a], detail: "axis \(ax)") { g throws(TensorError) in
            let grad = try Tensor.zeros(a.shape)
            let gg = try g.contiguous()
            let gd = gg.data, gr = grad.data
            for i in 0..<outer {
                for (k, id) in ids.enumerated() {
                    let d = gr + (i * n + id) * inner, s = gd + (i * ids.count + k) * inner
                    for j in 0..<inner { d[j] += s[j] }
                }
            }
            return [grad]
        }
    }

    /// Joins tensors along an existing axis.
    public static func concat(_ tensors: [Tensor], axis: Int) throws(TensorError) -> Tensor {
        guard let first = tensors.first else { throw TensorError("concat: needs at least one tensor") }
        let ax = try Shape.axis(axis, rank: first.rank, "concat")
        for t in tensors.dropFirst() {
            var a = first.shape, b = t.shape
            guard a.count == b.count else {
                throw TensorError("concat: shapes \(shapeText(first.shape)) and \(shapeText(t.shape)) have different ranks")
            }
            a[ax] = 0; b[ax] = 0
            guard a == b else {
                throw TensorError("concat: shapes \(shapeText(first.shape)) and \(shapeText(t.shape)) differ outside axis \(ax)")
            }
        }
        var outShape = first.shape
        outShape[ax] = tensors.map { $0.shape[ax] }.reduce(0, +)
        try Shape.validate(outShape, "concat")
        let out = try Tensor(uninitializedShape: outShape)
        let outer = first.shape[..<ax].reduce(1, *), inner = first.shape[(ax + 1)...].reduce(1, *)
        let total = outShape[ax]
        var startAt = 0
        for t in tensors {
            let src = try t.contiguous(), n = t.shape[ax]
            for i in 0..<outer {
                (out.data + (i * total + startAt) * inner).update(from: src.data + i * n * inner, count: n * inner)
            }
            startAt += n
        }
        let sizes = tensors.map { $0.shape[ax] }
        return out.recording("concat", tensors, detail: "axis \(ax)") { g throws(TensorError) in
            var grads: [Tensor?] = []
            var at = 0
            for n in sizes {
                grads.append(try g.slice(axis: ax, start: at, end: at + n).contiguousCopy())
                at += n
            }
            return grads
        }
    }

    /// Stacks same-shaped tensors along a new axis.
    public static func stack(_ tensors: [Tensor], axis: Int = 0) throws(TensorError) -> Tensor {
        guard let first = tensors.first else { throw TensorError("stack: needs at least one tensor") }
        for t in tensors where t.shape != first.shape {
            throw TensorError("stack: shapes \(shapeText(first.shape)) and \(shapeText(t.shape)) differ")
        }
        let ax = try Shape.axis(axis, rank: first.rank + 1, "stack")
        var outShape = first.shape
        outShape.insert(tensors.count, at: ax)
        try Shape.validate(outShape, "stack")
        var parts: [Tensor] = []
        for t in tensors { parts.append(try t.unsqueeze(ax)) }
        return try concat(parts, axis: ax)
    }

    /// Copies `src` (broadcast to this view's shape) into this view's elements,
    /// in place and without autograd history (`t[0] = 1` under `no_grad`).
    public func assign(_ src: Tensor) throws(TensorError) {
        // A source sharing this storage is read in full first (as NumPy does),
        // so overlapping views copy the values they had before the assignment.
        let s = try src.storage === storage ? src.contiguousCopy().expandTo(shape) : src.expandTo(shape)
        storage.markModified()
        let dstBase = storage.pointer, srcBase = s.storage.pointer
        let shape = shape, strides = strides, offset = offset, inner = shape.last ?? 1
        // In place: runs to the end (an interrupted copy would leave half-written
        // values), so the walk is not cancellable and cannot throw.
        WorkerPool.shared.parallelFor(count / Swift.max(inner, 1), grain: rowGrain(inner)) { rows in
            try? forEachRow2(
                shape: shape, stridesA: strides, offsetA: offset, stridesB: s.strides, offsetB: s.offset,
                rows: rows, cancellable: false
            ) { da, sa, db, sb, len, _ in
                if sa == 1 && sb == 1 {
                    (dstBase + da).update(from: srcBase + db, count: len)
                } else if sa == 1 && sb == 0 {
                    (dstBase + da).update(repeating: srcBase[db], count: len)
                } else {
                    for j in 0..<len { dstBase[da + j * sa] = srcBase[db + j * sb] }
                }
            }
        }
    }

    /// The values as whole-number indices in 0..<limit (negative ones count from the end).
    func wholeIndices(limit: Int, op: String) throws(TensorError) -> [Int] {
        var out: [Int] = []
        out.reserveCapacity(count)
        for v in try toArray() {
            guard v == v.rounded(), Swift.abs(v) <= 16_777_216 else {
                throw TensorError("\(op): indices must be whole numbers, got \(formatFloat(v))")
            }
            var i = Int(v)
            if i < 0 { i += limit }
            guard i >= 0, i < limit else { throw TensorError("\(op): index \(Int(v)) is out of range for size \(limit)") }
            out.append(i)
        }
        return out
    }
}
