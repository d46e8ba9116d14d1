/// Embedding lookup: rows of a `[V, D]` table picked by integer ids; backward
/// scatter-adds each output row's gradient into the row of the table it came from.

extension Tensor {
    /// The rows of `weight` (`[V, D]`) named by `ids` (any shape, whole
    /// numbers in `0..<V`): a tensor of shape `ids.shape + [D]`. Gradients
    /// flow to `weight` (repeated ids accumulate), never to `ids`.
    public static func embedding(weight: Tensor, ids: Tensor) throws(TensorError) -> Tensor {
        let op = "embedding"
        guard weight.rank == 2 else {
            throw TensorError("\(op): weight must have shape [V, D], got \(shapeText(weight.shape))")
        }
        let v = weight.shape[0], d = weight.shape[1]
        let outShape = ids.shape + [d]
        try Shape.validate(outShape, op)
        let rows = try ids.wholeNumbers(op, "ids")
        for (i, id) in rows.enumerated() where id < 0 || id >= v {
            throw TensorError("\(op): id \(id) at \(positionText(i, ids.shape)) is out of range for a vocabulary of \(v) (expected 0..<\(v))")
        }
        let table = try weight.contiguousLayout()
        let out = try Tensor(uninitializedShape: outShape)
        let w = table.data, o = out.data
        for (i, id) in rows.enumerated() {
            (o + i * d).update(from: w + id * d, count: d)
        }
        return out.recording(op, [weight, ids], detail: "\(v)×\(d)") { g throws(TensorError) in
            let gg = try g.contiguousLayout()
            let gw = try Tensor.zeros([v, d])
            let gp = gg.data, dw = gw.data
            for (i, id) in rows.enumerated() {
                let dst = dw + id * d, src = gp + i * d
                for j in 0..<d { dst[j] += src[j] }
            }
            return [gw, nil]
        }
    }
}
