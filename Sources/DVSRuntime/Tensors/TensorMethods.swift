import DVSLang
import DVSTensor

/// Tensor methods: each is a native whose first parameter is the tensor, so
/// `t.sum(axis: 1)` is `sum` bound to `t`. Those whose names are free are also
/// globals (`matmul(a, b)`); see `TensorLibrary`.
enum TensorMethods {
    typealias Op = (Tensor) throws(TensorError) -> Tensor

    private static func unary(_ name: String, _ help: String, _ op: @escaping Op) -> NativeFunction {
        NativeFunction(name, [.init("t", "tensor")], returns: "tensor", help: help) { a in
            let t = try a.tensor(0)
            return try TensorValue.result { () throws(TensorError) in try op(t) }
        }
    }

    private static func reduction(_ name: String, _ help: String,
                                  _ op: @escaping (Tensor, Int?, Bool) throws(TensorError) -> Tensor) -> NativeFunction {
        NativeFunction(name, [.init("t", "tensor"), .init("axis", "number", default: .null), .init("keepdim", "bool", default: .bool(false))],
                       returns: "tensor", help: help) { a in
            let t = try a.tensor(0), axis = try a.optionalInt(1), keep = try a.bool(2)
            return try TensorValue.result { () throws(TensorError) in try op(t, axis, keep) }
        }
    }

    static let all: [NativeFunction] = [
        NativeFunction("item", [.init("t", "tensor")], returns: "number", help: "The value of a one-element tensor as a number.") { a in
            let t = try a.tensor(0)
            return .number(Double(try tensorOp { () throws(TensorError) in try t.item() }))
        },
        NativeFunction("tolist", [.init("t", "tensor")], returns: "list", help: "The values as nested lists of numbers.") { a in
            TensorConversion.list(try a.tensor(0))
        },
        reduction("sum", "Sum over `axis` (all elements when nil); keepdim keeps the axis with size 1.") { t, ax, k throws(TensorError) in try t.sum(axis: ax, keepdim: k) },
        reduction("mean", "Mean over `axis` (all elements when nil).") { t, ax, k throws(TensorError) in try t.mean(axis: ax, keepdim: k) },
        reduction("max", "Maximum over `axis` (all elements when nil); gradient flows to the first maximum.") { t, ax, k throws(TensorError) in try t.max(axis: ax, keepdim: k) },
        reduction("min", "Minimum over `axis` (all elements when nil).") { t, ax, k throws(TensorError) in try t.min(axis: ax, keepdim: k) },
        reduction("argmax", "Index of the maximum along `axis` (in the flattened tensor when nil), as integer data.") { t, ax, k throws(TensorError) in try t.argmax(axis: ax, keepdim: k) },
        NativeFunction("reshape", [.init("t", "tensor"), .init("shape", "list")], returns: "tensor",
                       help: "The same elements in another shape; one size may be -1. A view when the data is contiguous.") { a in
            let t = try a.tensor(0)
            guard case .list(let l) = a[1] else { throw a.bad(1, "list of sizes") }
            var shape: [Int] = []
            for item in l.items {
                guard case .number(let n) = item, let i = exactInt(n), i >= -1 else { throw NativeError("reshape: sizes must be whole numbers (or -1), got \(item.repr)") }
                shape.append(i)
            }
            return try TensorValue.result { () throws(TensorError) in try t.reshape(shape) }
        },
        NativeFunction("transpose", [.init("t", "tensor"), .init("dim0", "number", default: .number(-2)), .init("dim1", "number", default: .number(-1))],
                       returns: "tensor", help: "Swaps two dimensions (the last two by default); a view.") { a in
            let t = try a.tensor(0), d0 = try a.int(1), d1 = try a.int(2)
            return try TensorValue.result { () throws(TensorError) in try t.transpose(d0, d1) }
        },
        NativeFunction("permute", [.init("t", "tensor"), .init("order", "list")], returns: "tensor",
                       help: "Reorders dimensions: dimension i of the result is dimension order[i]; a view.") { a in
            let t = try a.tensor(0)
            var order: [Int] = []
            for item in try a.list(1).items {
                guard case .number(let n) = item, let i = exactInt(n) else { throw NativeError("permute: order must hold whole numbers, got \(item.repr)") }
                order.append(i)
            }
            return try TensorValue.result { () throws(TensorError) in try t.permute(order) }
        },
        NativeFunction("squeeze", [.init("t", "tensor"), .init("axis", "number", default: .null)], returns: "tensor",
                       help: "Removes a size-1 dimension (all of them when axis is nil).") { a in
            let t = try a.tensor(0), axis = try a.optionalInt(1)
            return try TensorValue.result { () throws(TensorError) in try t.squeeze(axis) }
        },
        NativeFunction("unsqueeze", [.init("t", "tensor"), .init("axis", "number")], returns: "tensor",
                       help: "Inserts a dimension of size 1 at `axis`.") { a in
            let t = try a.tensor(0), axis = try a.int(1)
            return try TensorValue.result { () throws(TensorError) in try t.unsqueeze(axis) }
        },
        NativeFunction("slice", [.init("t", "tensor"), .init("axis", "number"), .init("start", "number", default: .null),
                                 .init("end", "number", default: .null), .init("step", "number", default: .number(1))],
                       returns: "tensor", help: "Elements start..<end by step along `axis` (a view); t[:, 2:5] does the same.") { a in
            let t = try a.tensor(0), axis = try a.int(1), s = try a.optionalInt(2), e = try a.optionalInt(3), step = try a.int(4)
            return try TensorValue.result { () throws(TensorError) in try t.slice(axis: axis, start: s, end: e, step: step) }
        },
        NativeFunction("index_select", [.init("t", "tensor"), .init("axis", "number"), .init("indices", "tensor")], returns: "tensor",
                       help: "The rows `indices` (whole numbers) along `axis`, copied.") { a in
            let t = try a.tensor(0), axis = try a.int(1), ids = try a.tensor(2)
            return try TensorValue.result { () throws(TensorError) in try t.indexSelect(axis: axis, indices: ids) }
        },
        NativeFunction("expand", [.init("t", "tensor"), .init("shape", "list")], returns: "tensor",
                       help: "The tensor broadcast to `shape` without copying.") { a in
            let t = try a.tensor(0), shape = try a.shape(1)
            return try TensorValue.result { () throws(TensorError) in try t.expandTo(shape) }
        },
        unary("contiguous", "A contiguous tensor with the same values (itself when already contiguous).") { t throws(TensorError) in t.contiguous() },
        unary("detach", "The same values, cut off from autograd history.") { t throws(TensorError) in t.detached() },
        unary("neg", "Elementwise negation.") { t throws(TensorError) in try t.neg() },
        unary("exp", "Elementwise e^x.") { t throws(TensorError) in try t.exp() },
        unary("log", "Elementwise natural logarithm.") { t throws(TensorError) in try t.log() },
        unary("sqrt", "Elementwise square root.") { t throws(TensorError) in try t.sqrt() },
        unary("abs", "Elementwise absolute value.") { t throws(TensorError) in try t.abs() },
        unary("tanh", "Elementwise hyperbolic tangent.") { t throws(TensorError) in try t.tanh() },
        unary("sigmoid", "Elementwise logistic function 1 / (1 + e^-x).") { t throws(TensorError) in try t.sigmoid() },
        unary("relu", "Elementwise max(x, 0).") { t throws(TensorError) in try t.relu() },
        NativeFunction("pow", [.init("t", "tensor"), .init("exponent", "tensor|number")], returns: "tensor",
                       help: "Elementwise power (same as t ** exponent).") { a in
            let t = try a.tensor(0), e = try a.tensor(1)
            return try TensorValue.result { () throws(TensorError) in try t.pow(e) }
        },
        NativeFunction("matmul", [.init("a", "tensor"), .init("b", "tensor")], returns: "tensor",
                       help: "Matrix product (a @ b): 2-D, batched with broadcast batch dimensions, or with vectors; through OpenBLAS sgemm.") { a in
            let x = try a.tensor(0), y = try a.tensor(1)
            return try TensorValue.result { () throws(TensorError) in try x.matmul(y) }
        },
        NativeFunction("backward", [.init("loss", "tensor"), .init("grad", "tensor", default: .null)], returns: "nil",
                       help: "Computes gradients of a scalar loss and adds them to .grad of every parameter it depends on.") { a in
            let t = try a.tensor(0)
            let g = a.isNil(1) ? nil : try a.tensor(1)
            try tensorOp { () throws(TensorError) in try Autograd.backward(t, grad: g) }
            return .null
        },
        NativeFunction("zero_grad", [.init("t", "tensor")], returns: "nil",
                       help: "Clears the accumulated gradient of a parameter.") { a in
            try a.tensor(0).grad = nil
            return .null
        },
    ]

    static let table: [String: NativeFunction] = Dictionary(all.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
}
