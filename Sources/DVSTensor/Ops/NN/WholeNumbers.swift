/// Reading integer data (labels, token ids) out of Float32 tensors, with
/// errors that name the op, the argument and the position of a bad value.

extension Tensor {
    /// The elements as whole numbers, row-major. A value that is not whole
    /// (or beyond 2^24, where Float32 stops being exact) is an error naming
    /// `op`, `what` ("labels", "ids") and its position.
    func wholeNumbers(_ op: String, _ what: String) throws(TensorError) -> [Int] {
        let src = try contiguousLayout()
        var out = [Int](repeating: 0, count: count)
        let x = src.data
        for i in 0..<count {
            let v = x[i]
            guard v == v.rounded(), Swift.abs(v) <= 16_777_216 else {
                throw TensorError("\(op): \(what) must be whole numbers, got \(formatFloat(v)) at \(positionText(i, shape))")
            }
            out[i] = Int(v)
        }
        return out
    }
}

/// The multi-index of row-major element `flat` of `shape`, as "[1,3]".
func positionText(_ flat: Int, _ shape: [Int]) -> String {
    var index = [Int](repeating: 0, count: shape.count)
    var rest = flat
    for d in stride(from: shape.count - 1, through: 0, by: -1) where shape[d] > 0 {
        index[d] = rest % shape[d]
        rest /= shape[d]
    }
    return shapeText(index)
}
