import DVSLang
import DVSTensor

/// Conversions between DVS values and tensors.
enum TensorConversion {
    /// A tensor from a number or nested lists of numbers (`[[1, 2], [3, 4]]`);
    /// ragged or non-numeric lists are errors that say where.
    static func tensor(from value: Value, _ what: String = "tensor") throws(NativeError) -> Tensor {
        switch value {
        case .object(let o as TensorValue): return o.tensor
        case .number(let n): return Tensor(scalar: Float(n))
        case .bool(let b): return Tensor(scalar: b ? 1 : 0)
        case .list, .range:
            var shape: [Int] = []
            var values: [Float] = []
            try flatten(value, depth: 0, shape: &shape, into: &values, what)
            do {
                let t = try Tensor(shape: shape, values: values)
                return t
            } catch {
                throw NativeError(error.message)
            }
        default:
            throw NativeError("\(what): expected a number, a (nested) list of numbers or a tensor, got \(value.typeName)")
        }
    }

    private static func flatten(_ value: Value, depth: Int, shape: inout [Int], into values: inout [Float], _ what: String) throws(NativeError) {
        let items: [Value]
        switch value {
        case .number(let n):
            guard depth == shape.count else { throw NativeError("\(what): ragged nested list: a number where a list of length \(shape[depth]) was expected") }
            values.append(Float(n))
            return
        case .bool(let b):
            guard depth == shape.count else { throw NativeError("\(what): ragged nested list") }
            values.append(b ? 1 : 0)
            return
        case .list(let l): items = l.items
        case .range(let r):
            try Limits.checkListSize(r.count, "range \(r.display) as tensor data")
            items = (0..<r.count).map { .number(r.element($0)) }
        default:
            throw NativeError("\(what): expected numbers in the nested list, got \(value.typeName)")
        }
        if depth == shape.count {
            guard depth < Shape.maxRank else { throw NativeError("\(what): lists nested deeper than \(Shape.maxRank) levels") }
            shape.append(items.count)
        } else if depth > shape.count || shape[depth] != items.count {
            let expected = depth < shape.count ? "length \(shape[depth])" : "a number"
            throw NativeError("\(what): ragged nested list: a list of length \(items.count) where \(expected) was expected")
        }
        for item in items { try flatten(item, depth: depth + 1, shape: &shape, into: &values, what) }
    }

    /// How many values `list` builds for `shape`: the numbers and every nested
    /// list ([100000000, 0] is a hundred million empty lists); Int.max on overflow.
    static func listItemCount(_ shape: [Int]) -> Int {
        var total = 1, rows = 1  // the outer list (a scalar: its number)
        for d in shape {
            let (r, overRows) = rows.multipliedReportingOverflow(by: d)
            let (t, overTotal) = total.addingReportingOverflow(r)
            guard !overRows, !overTotal else { return Int.max }
            (rows, total) = (r, t)
        }
        return total
    }

    /// Nested lists of numbers with the tensor's shape.
    static func list(_ t: Tensor) throws(NativeError) -> Value {
        let items = listItemCount(t.shape)
        try Limits.checkListSize(items, "tolist of a tensor of shape \(shapeText(t.shape))")
        // Each nested list is also an object with its own item buffer (measured
        // about 260 bytes for a short row), on top of the values Limits probed.
        let lists = items - Swift.max(t.count, 1)
        try libraryCall { () throws(TensorError) in
            try ensureAllocatable(
                bytes: lists * 320 + t.count * 32,
                for: "tolist of a tensor of shape \(shapeText(t.shape)) (\(Limits.grouped(lists)) lists)")
        }
        let values = try tensorValues(t)
        if t.rank == 0 { return number(values[0]) }
        func build(_ dim: Int, _ base: Int) -> Value {
            let n = t.shape[dim]
            if dim == t.rank - 1 { return .list((0..<n).map { number(values[base + $0]) }) }
            let stride = t.shape[(dim + 1)...].reduce(1, *)
            return .list((0..<n).map { build(dim + 1, base + $0 * stride) })
        }
        return build(0, 0)
    }

    /// A shape from a list of whole numbers (or a single number).
    static func shape(_ value: Value, _ what: String) throws(NativeError) -> [Int] {
        var items: [Value]
        switch value {
        case .list(let l): items = l.items
        case .number: items = [value]
        default: throw NativeError("\(what): a shape is a list of whole numbers, got \(value.typeName)")
        }
        var shape: [Int] = []
        for item in items {
            guard case .number(let n) = item, let i = exactInt(n), i >= 0 else {
                throw NativeError("\(what): a shape is a list of non-negative whole numbers, got \(item.repr)")
            }
            shape.append(i)
        }
        do { try Shape.validate(shape, what) } catch { throw NativeError(error.message) }
        return shape
    }
}

/// A Float32 as the DVS number that prints the same: the shortest decimal
/// that reads back as this float (0.1f becomes 0.1, not 0.10000000149011612).
func number(_ x: Float) -> Value {
    .number(x.isFinite ? Double(x.description) ?? Double(x) : Double(x))
}

/// The elements of `t` in row-major order, or an error when a copy is
/// needed and the memory is not there.
func tensorValues(_ t: Tensor) throws(NativeError) -> [Float] {
    try libraryCall { () throws(TensorError) in try t.toArray() }
}
