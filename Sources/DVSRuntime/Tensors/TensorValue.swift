import DVSLang
import DVSTensor

/// A tensor as a DVS value: operators, indexing, properties and methods.
final class TensorValue: DVSObject {
    let tensor: Tensor
    init(_ tensor: Tensor) { self.tensor = tensor }

    static func wrap(_ t: Tensor) -> Value { .object(TensorValue(t)) }

    var typeName: String { "tensor" }

    /// The REPL echo: `Tensor[2, 3] f32`, followed by the values when small.
    var summary: String {
        let header = TensorPrinting.header(tensor)
        return tensor.count <= 100 ? header + "\n" + TensorPrinting.text(tensor) : header
    }

    var printed: String {
        tensor.count <= TensorPrinting.summarizeAbove
            ? TensorPrinting.text(tensor)
            : TensorPrinting.header(tensor) + "\n" + TensorPrinting.text(tensor)
    }

    /// Properties; the methods (`t.sum(axis: 1)`) are the "tensor" method table.
    var memberNames: [String] { ["shape", "ndim", "numel", "grad", "requires_grad", "dtype", "name", "T"] }

    func member(_ name: String) throws(NativeError) -> Value? {
        switch name {
        case "shape": return .list(tensor.shape.map { .number(Double($0)) })
        case "ndim": return .number(Double(tensor.rank))
        case "numel": return .number(Double(tensor.count))
        case "grad": return tensor.grad.map(TensorValue.wrap) ?? .null
        case "requires_grad": return .bool(tensor.requiresGrad)
        case "dtype": return .string(tensor.dtype.rawValue)
        case "name": return tensor.name.map { .string($0) } ?? .null
        case "T": return TensorValue.wrap(try libraryCall { () throws(TensorError) in try tensor.transpose() })
        case "items":
            guard tensor.rank > 0 else { throw NativeError("cannot iterate over a 0-dimensional tensor") }
            var rows: [Value] = []
            for i in 0..<tensor.shape[0] {
                rows.append(TensorValue.wrap(try libraryCall { () throws(TensorError) in try tensor.select(axis: 0, index: i) }))
            }
            return .list(rows)
        default:
            return nil
        }
    }

    /// `t.requires_grad = true` (leaves only) and `t.name = "w"`.
    func setMember(_ name: String, _ value: Value) throws(NativeError) -> Bool {
        switch (name, value) {
        case ("requires_grad", .bool(let on)):
            guard tensor.gradFn == nil else {
                throw NativeError("requires_grad can only be set on leaves; this tensor was computed by '\(tensor.gradFn!.op)' (use detach() first)")
            }
            tensor.requiresGrad = on
            return true
        case ("name", .string(let n)):
            tensor.name = n
            return true
        case ("name", .null):
            tensor.name = nil
            return true
        case ("requires_grad", _), ("name", _):
            throw NativeError("tensor.\(name) must be a \(name == "name" ? "string" : "bool"), got \(value.typeName)")
        default:
            return false
        }
    }

    func binary(_ op: BinaryOperator, _ other: Value, reversed: Bool) throws(NativeError) -> Value? {
        guard let o = TensorValue.operand(other) else { return nil }
        let (a, b) = reversed ? (o, tensor) : (tensor, o)
        let result: Tensor = try libraryCall { () throws(TensorError) -> Tensor in
            switch op {
            case .add: return try a.add(b)
            case .subtract: return try a.sub(b)
            case .multiply: return try a.mul(b)
            case .divide: return try a.div(b)
            case .power: return try a.pow(b)
            case .matmul: return try a.matmul(b)
            case .less: return try a.compare(b, .less)
            case .lessEqual: return try a.compare(b, .lessEqual)
            case .greater: return try a.compare(b, .greater)
            case .greaterEqual: return try a.compare(b, .greaterEqual)
            case .equal: return try a.compare(b, .equal)
            case .notEqual: return try a.compare(b, .notEqual)
            default: throw TensorError("'\(op.rawValue)' is not defined for tensors")
            }
        }
        return TensorValue.wrap(result)
    }

    /// Numbers and tensors can meet a tensor in an operator.
    static func operand(_ v: Value) -> Tensor? {
        switch v {
        case .number(let n): return Tensor(scalar: Float(n))
        case .bool(let b): return Tensor(scalar: b ? 1 : 0)
        case .object(let o as TensorValue): return o.tensor
        default: return nil
        }
    }

    /// The tensor inside `v`, if it holds one.
    static func operandIfTensor(_ v: Value) -> Tensor? {
        if case .object(let o as TensorValue) = v { return o.tensor }
        return nil
    }

    func negate() throws(NativeError) -> Value? {
        TensorValue.wrap(try libraryCall { () throws(TensorError) in try tensor.neg() })
    }

    /// `t[0]`, `t[1, :]`, `t[:, 2:5]`, `t[-1]`, `t[::2]`.
    func index(_ components: [IndexArgument]) throws(NativeError) -> Value? {
        TensorValue.wrap(try view(components, "index"))
    }

    func setIndex(_ components: [IndexArgument], _ value: Value) throws(NativeError) -> Bool {
        if GradMode.isEnabled, tensor.needsGrad {
            throw NativeError("cannot assign into a tensor that takes part in autograd; use no_grad { … } or detach()")
        }
        let target = try view(components, "index assignment")
        guard let source = TensorValue.operand(value) ?? (try? TensorConversion.tensor(from: value)) else {
            throw NativeError("index assignment: expected a number or tensor, got \(value.typeName)")
        }
        try libraryCall { () throws(TensorError) in try target.assign(source) }
        return true
    }

    private func view(_ components: [IndexArgument], _ what: String) throws(NativeError) -> Tensor {
        guard components.count <= tensor.rank else {
            throw NativeError("\(what): \(components.count) indices for a tensor of shape \(shapeText(tensor.shape))")
        }
        var t = tensor
        var axis = 0
        for c in components {
            switch c {
            case .single(.number(let n)):
                let i = try wholeNumber(n, "\(what): a tensor index")
                t = try libraryCall { () throws(TensorError) in try t.select(axis: axis, index: i) }
            case .single(let v):
                throw NativeError("\(what): tensor indices are numbers or slices, got \(v.typeName)")
            case .slice(let start, let end, let step):
                func bound(_ v: Value) throws(NativeError) -> Int? {
                    if case .null = v { return nil }
                    guard case .number(let n) = v else { throw NativeError("\(what): slice bounds must be numbers, got \(v.repr)") }
                    return try wholeNumber(n, "\(what): a slice bound")
                }
                let (s, b, e) = (try bound(step) ?? 1, try bound(start), try bound(end))
                t = try libraryCall { () throws(TensorError) in try t.slice(axis: axis, start: b, end: e, step: s) }
                axis += 1
            }
        }
        return t
    }
}
