import DVSLang
import DVSTensor

/// Tensor methods: each is a native whose first parameter is the tensor, so
/// `t.sum(axis: 1)` is `sum` bound to `t`. Those whose names are free are also
/// globals (`matmul(a, b)`); see `TensorLibrary`.
enum TensorMethods {
    typealias Op = (Tensor) throws(TensorError) -> Tensor

    private static func unary(_ name: String, _ help: String, _ op: @escaping Op) -> NativeFunction {
        NativeFunction(name, [.init("t", .tensor)], returns: "tensor", help: help) { a in
            let t = try a.tensor(0)
            return try TensorValue.result { () throws(TensorError) in try op(t) }
        }
    }

    private static func reduction(
        _ name: String, _ help: String,
        _ op: @escaping (Tensor, Int?, Bool) throws(TensorError) -> Tensor
    ) -> NativeFunction {
        NativeFunction(
            name, [.init("t", .tensor), .init("axis", .whole, default: .null), .init("keepdims", .bool, default: .bool(false))],
            returns: "tensor", help: help
        ) { a in
            let t = try a.tensor(0), axis = try a.optionalInt(1), keep = try a.bool(2)
            return try TensorValue.result { () throws(TensorError) in try op(t, axis, keep) }
        }
    }

    /// A target shape for reshape/view: whole numbers, one of them possibly -1.
    private static let targetShape = ParameterType.list(of: .whole(atLeast: -1))

    static let all: [NativeFunction] = [
        NativeFunction("item", [.init("t", .tensor)], returns: "number", help: "The value of a one-element tensor as a number.") { a in
            let t = try a.tensor(0)
            return number(try libraryCall { () throws(TensorError) in try t.item() })
        },
        NativeFunction("tolist", [.init("t", .tensor)], returns: "list", help: "The values as nested lists of numbers.") { a in
            try TensorConversion.list(try a.tensor(0))
        },
        NativeFunction("len", [.init("t", .tensor)], returns: "number", help: "The size of the first dimension (1 for a 0-dimensional tensor).") { a in
            .number(Double(try a.tensor(0).shape.first ?? 1))
        },
        reduction("sum", "Sum over `axis` (all elements when nil); keepdims keeps the axis with size 1 (NumPy's names: axis, keepdims).") {
            t, ax, k throws(TensorError) in try t.sum(axis: ax, keepdim: k)
        },
        reduction("mean", "Mean over `axis` (all elements when nil).") { t, ax, k throws(TensorError) in try t.mean(axis: ax, keepdim: k) },
        reduction("max", "Maximum over `axis` (all elements when nil); gradient flows to the first maximum.") { t, ax, k throws(TensorError) in
            try t.max(axis: ax, keepdim: k)
        },
        reduction("min", "Minimum over `axis` (all elements when nil).") { t, ax, k throws(TensorError) in try t.min(axis: ax, keepdim: k) },
        reduction("argmax", "Index of the maximum along `axis` (in the flattened tensor when nil), as integer data.") { t, ax, k throws(TensorError) in
            try t.argmax(axis: ax, keepdim: k)
        },
        NativeFunction(
            "reshape", [.init("t", .tensor), .init("shape", targetShape)], returns: "tensor",
            help: "The same elements in another shape; one size may be -1. A view when the data is contiguous."
        ) { a in
            let t = try a.tensor(0), shape = try a.ints(1)
            return try TensorValue.result { () throws(TensorError) in try t.reshape(shape) }
        },
        NativeFunction(
            "view", [.init("t", .tensor), .init("shape", targetShape)], returns: "tensor",
            help: "Like reshape, but only for contiguous tensors, so the result always shares storage."
        ) { a in
            let t = try a.tensor(0), shape = try a.ints(1)
            guard t.isContiguous else { throw NativeError("view: the tensor is not contiguous (a transpose or slice); use reshape, which copies") }
            return try TensorValue.result { () throws(TensorError) in try t.reshape(shape) }
        },
        NativeFunction(
            "transpose", [.init("t", .tensor), .init("dim0", .whole, default: .number(-2)), .init("dim1", .whole, default: .number(-1))],
            returns: "tensor", help: "Swaps two dimensions (the last two by default); a view."
        ) { a in
            let t = try a.tensor(0), d0 = try a.int(1), d1 = try a.int(2)
            return try TensorValue.result { () throws(TensorError) in try t.transpose(d0, d1) }
        },
        NativeFunction(
            "permute", [.init("t", .tensor), .init("order", .list(of: .whole))], returns: "tensor",
            help: "Reorders dimensions: dimension i of the result is dimension order[i]; a view."
        ) { a in
            let t = try a.tensor(0)
            let order = try a.ints(1)
            return try TensorValue.result { () throws(TensorError) in try t.permute(order) }
        },
        NativeFunction(
            "squeeze", [.init("t", .tensor), .init("axis", .whole, default: .null)], returns: "tensor",
            help: "Removes a size-1 dimension (all of them when axis is nil)."
        ) { a in
            let t = try a.tensor(0), axis = try a.optionalInt(1)
            return try TensorValue.result { () throws(TensorError) in try t.squeeze(axis) }
        },
        NativeFunction(
            "unsqueeze", [.init("t", .tensor), .init("axis", .whole)], returns: "tensor",
            help: "Inserts a dimension of size 1 at `axis`."
        ) { a in
            let t = try a.tensor(0), axis = try a.int(1)
            return try TensorValue.result { () throws(TensorError) in try t.unsqueeze(axis) }
        },
        NativeFunction(
            "slice",
            [
                .init("t", .tensor), .init("axis", .whole), .init("start", .whole, default: .null),
                .init("end", .whole, default: .null), .init("step", .whole, default: .number(1)),
            ],
            returns: "tensor", help: "Elements start..<end by step along `axis` (a view); t[:, 2:5] does the same."
        ) { a in
            let t = try a.tensor(0), axis = try a.int(1), s = try a.optionalInt(2), e = try a.optionalInt(3), step = try a.int(4)
            return try TensorValue.result { () throws(TensorError) in try t.slice(axis: axis, start: s, end: e, step: step) }
        },
        NativeFunction(
            "index_select", [.init("t", .tensor), .init("axis", .whole), .init("indices", .tensor)], returns: "tensor",
            help: "The rows `indices` (whole numbers) along `axis`, copied."
        ) { a in
            let t = try a.tensor(0), axis = try a.int(1), ids = try a.tensor(2)
            return try TensorValue.result { () throws(TensorError) in try t.indexSelect(axis: axis, indices: ids) }
        },
        NativeFunction(
            "expand", [.init("t", .tensor), .init("shape", .list)], returns: "tensor",
            help: "The tensor broadcast to `shape` without copying."
        ) { a in
            let t = try a.tensor(0), shape = try a.shape(1)
            return try TensorValue.result { () throws(TensorError) in try t.expandTo(shape) }
        },
        unary("contiguous", "A contiguous tensor with the same values (itself when already contiguous).") { t throws(TensorError) in try t.contiguous() },
        unary("detach", "The same values, cut off from autograd history.") { t throws(TensorError) in t.detached() },
        unary("neg", "Elementwise negation.") { t throws(TensorError) in try t.neg() },
        unary("exp", "Elementwise e^x.") { t throws(TensorError) in try t.exp() },
        unary("log", "Elementwise natural logarithm.") { t throws(TensorError) in try t.log() },
        unary("sqrt", "Elementwise square root.") { t throws(TensorError) in try t.sqrt() },
        unary("abs", "Elementwise absolute value.") { t throws(TensorError) in try t.abs() },
        unary("tanh", "Elementwise hyperbolic tangent.") { t throws(TensorError) in try t.tanh() },
        unary("sigmoid", "Elementwise logistic function 1 / (1 + e^-x).") { t throws(TensorError) in try t.sigmoid() },
        unary("relu", "Elementwise max(x, 0).") { t throws(TensorError) in try t.relu() },
        NativeFunction(
            "pow", [.init("t", .tensor), .init("exponent", .oneOf([.tensor, .number]))], returns: "tensor",
            help: "Elementwise power (same as t ** exponent)."
        ) { a in
            let t = try a.tensor(0), e = try a.tensor(1)
            return try TensorValue.result { () throws(TensorError) in try t.pow(e) }
        },
        NativeFunction(
            "matmul", [.init("a", .tensor), .init("b", .tensor)], returns: "tensor",
            help: "Matrix product (a @ b): 2-D, batched with broadcast batch dimensions, or with vectors; through OpenBLAS sgemm."
        ) { a in
            let x = try a.tensor(0), y = try a.tensor(1)
            return try TensorValue.result { () throws(TensorError) in try x.matmul(y) }
        },
        NativeFunction(
            "softmax", [.init("t", .tensor), .init("axis", .whole, default: .number(-1))], returns: "tensor",
            help: "Softmax along `axis` (fused forward and backward)."
        ) { a in
            let t = try a.tensor(0), axis = try a.int(1)
            return try TensorValue.result { () throws(TensorError) in try t.softmax(axis: axis) }
        },
        NativeFunction(
            "log_softmax", [.init("t", .tensor), .init("axis", .whole, default: .number(-1))], returns: "tensor",
            help: "Log-softmax along `axis` (fused, numerically stable)."
        ) { a in
            let t = try a.tensor(0), axis = try a.int(1)
            return try TensorValue.result { () throws(TensorError) in try t.logSoftmax(axis: axis) }
        },
        NativeFunction(
            "cross_entropy",
            [
                .init("logits", .tensor), .init("labels", .tensor), .init("mask", .tensor, default: .null),
                .init("weight", .tensor, default: .null),
                .init("ignore_index", .whole, default: .number(-100)),
                .init("reduction", .choice(Tensor.Reduction.allCases.map(\.rawValue)), default: .string("mean")),
            ],
            returns: "tensor",
            help:
                "Cross-entropy of logits [..., C] against whole-number labels [...]; labels equal to ignore_index (-100) do not count; mask (the labels' shape) weighs each position's loss; weight ([C], as PyTorch's weight) weighs each class; reduction \"mean\" (divided by the counted positions' total weight), \"sum\" or \"none\". Fused log-softmax, gather and reduction."
        ) { a in
            let logits = try a.tensor(0), labels = try a.tensor(1)
            let mask = a.isNil(2) ? nil : try a.tensor(2)
            let classWeights = a.isNil(3) ? nil : try a.tensor(3)
            let ignore = try a.int(4)
            let reduction = try a.choice(5, as: Tensor.Reduction.self)
            return try TensorValue.result { () throws(TensorError) in
                try logits.crossEntropy(labels: labels, mask: mask, classWeights: classWeights, ignoreIndex: ignore, reduction: reduction)
            }
        },
        NativeFunction(
            "layer_norm",
            [
                .init("x", .tensor), .init("weight", .tensor, default: .null), .init("bias", .tensor, default: .null),
                .init("eps", .number, default: .number(1e-5)),
            ],
            returns: "tensor", help: "Layer normalization over the last dimension, with optional weight and bias [C] (fused)."
        ) { a in
            let x = try a.tensor(0)
            let w = a.isNil(1) ? nil : try a.tensor(1), b = a.isNil(2) ? nil : try a.tensor(2)
            let eps = Float(try a.number(3))
            return try TensorValue.result { () throws(TensorError) in try x.layerNorm(weight: w, bias: b, eps: eps) }
        },
        NativeFunction(
            "affine", [.init("x", .tensor), .init("w", .tensor), .init("b", .tensor)], returns: "tensor",
            help:
                "x @ w + b for x [..., K], w [K, N], b [N] as one op: the bias is written first and the product added onto it, and backward is one product per gradient (a linear layer)."
        ) { a in
            let x = try a.tensor(0), w = try a.tensor(1), b = try a.tensor(2)
            return try TensorValue.result { () throws(TensorError) in try x.affine(w, b) }
        },
        NativeFunction("gelu", [.init("t", .tensor)], returns: "tensor", help: "GELU with the tanh approximation (fused).") { a in
            let t = try a.tensor(0)
            return try TensorValue.result { () throws(TensorError) in try t.gelu() }
        },
        NativeFunction(
            "embedding", [.init("weight", .tensor), .init("ids", .tensor)], returns: "tensor",
            help: "Rows of weight [V, D] picked by whole-number ids of any shape → ids.shape + [D]."
        ) { a in
            let w = try a.tensor(0), ids = try a.tensor(1)
            return try TensorValue.result { () throws(TensorError) in try Tensor.embedding(weight: w, ids: ids) }
        },
        NativeFunction(
            "dropout", [.init("t", .tensor), .init("p", .number), .init("training", .bool, default: .bool(true))],
            returns: "tensor", help: "Zeroes each element with probability p and scales the rest by 1/(1-p), seeded (see seed); identity when not training."
        ) { a in
            let t = try a.tensor(0), p = Float(try a.number(1)), training = try a.bool(2)
            return try TensorValue.result { () throws(TensorError) in try t.dropout(p: p, training: training) }
        },
        NativeFunction(
            "masked_fill", [.init("t", .tensor), .init("mask", .tensor), .init("value", .number)], returns: "tensor",
            help: "`t` with `value` wherever the (broadcast) mask is nonzero."
        ) { a in
            let t = try a.tensor(0), mask = try a.tensor(1), v = Float(try a.number(2))
            return try TensorValue.result { () throws(TensorError) in try t.maskedFill(mask: mask, value: v) }
        },
        NativeFunction(
            "where", [.init("condition", .tensor), .init("x", .tensor), .init("y", .tensor)], returns: "tensor",
            help: "x where condition is nonzero, else y (broadcast)."
        ) { a in
            let c = try a.tensor(0), x = try a.tensor(1), y = try a.tensor(2)
            return try TensorValue.result { () throws(TensorError) in try Tensor.where(condition: c, x: x, y: y) }
        },
        NativeFunction(
            "attention",
            [
                .init("q", .tensor), .init("k", .tensor), .init("v", .tensor), .init("causal", .bool, default: .bool(false)),
                .init("padding_mask", .tensor, default: .null),
            ],
            returns: "tensor",
            help:
                "Scaled dot-product attention on [B, H, T, D] (or [B, T, D]) with an optional causal mask and a padding mask [B, T] (1 = keep); fused softmax and backward, batched GEMMs."
        ) { a in
            let q = try a.tensor(0), k = try a.tensor(1), v = try a.tensor(2), causal = try a.bool(3)
            let pad = a.isNil(4) ? nil : try a.tensor(4)
            return try TensorValue.result { () throws(TensorError) in
                try Tensor.scaledDotProductAttention(q, k, v, causal: causal, paddingMask: pad)
            }
        },
        NativeFunction(
            "self_attention", [.init("qkv", .tensor), .init("heads", .whole), .init("causal", .bool, default: .bool(false))],
            returns: "tensor",
            help:
                "Multi-head self-attention of a packed projection qkv [B, T, 3·D] (queries, keys, values side by side) → [B, T, D] with the heads merged; the same as splitting into heads, attention(q, k, v) and merging, without the copies."
        ) { a in
            let qkv = try a.tensor(0), heads = try a.int(1), causal = try a.bool(2)
            return try TensorValue.result { () throws(TensorError) in try Tensor.selfAttention(qkv, heads: heads, causal: causal) }
        },
        NativeFunction(
            "backward", [.init("loss", .tensor), .init("grad", .tensor, default: .null)], returns: "nil",
            help: "Computes gradients of a scalar loss and adds them to .grad of every parameter it depends on."
        ) { a in
            let t = try a.tensor(0)
            let g = a.isNil(1) ? nil : try a.tensor(1)
            try libraryCall { () throws(TensorError) in try Autograd.backward(t, grad: g) }
            return .null
        },
        NativeFunction(
            "zero_grad", [.init("t", .tensor)], returns: "nil",
            help: "Clears the accumulated gradient of a parameter."
        ) { a in
            try a.tensor(0).grad = nil
            return .null
        },
    ]

}
