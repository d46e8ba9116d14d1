import DVSLang
import DVSTensor

/// Tensors in DVS: constructors, parameters, autograd control, and the tensor
/// methods whose names are free as globals (`matmul(a, b)`, `relu(x)`).
enum TensorLibrary {
    static let constructors: [NativeFunction] = [
        NativeFunction(
            "tensor", [.init("data", .tensor), .init("dtype", .choice(["f32", "i64"]), default: .string("f32"))], returns: "tensor",
            help:
                "A tensor from a number or nested lists: tensor([[1, 2], [3, 4]]). dtype \"i64\" marks integer data (labels, ids), which must be whole numbers; tensor([1, -100, 3]) works as labels either way."
        ) { a in
            let t = try TensorConversion.tensor(from: a[0])
            let copy = try libraryCall { () throws(TensorError) in try t.contiguousCopy() }
            if try a.string(1) == "i64" {
                guard try tensorValues(copy).allSatisfy({ $0.isFinite && $0 == $0.rounded() }) else {
                    throw NativeError("tensor: dtype \"i64\" needs finite whole numbers")
                }
                copy.dtype = .int64
            } else {
                copy.dtype = .float32
            }
            return TensorValue.wrap(copy)
        },
        NativeFunction("zeros", [.init("shape", .list)], returns: "tensor", help: "A tensor of zeros: zeros([2, 3]).") { a in
            let shape = try a.shape(0)
            return try TensorValue.result { () throws(TensorError) in try Tensor.zeros(shape) }
        },
        NativeFunction("ones", [.init("shape", .list)], returns: "tensor", help: "A tensor of ones.") { a in
            let shape = try a.shape(0)
            return try TensorValue.result { () throws(TensorError) in try Tensor.ones(shape) }
        },
        NativeFunction("full", [.init("shape", .list), .init("value", .number)], returns: "tensor", help: "A tensor filled with `value`.") { a in
            let shape = try a.shape(0), v = Float(try a.number(1))
            return try TensorValue.result { () throws(TensorError) in try Tensor.full(shape, v) }
        },
        NativeFunction(
            "rand", [.init("shape", .list), .init("low", .number, default: .number(0)), .init("high", .number, default: .number(1))],
            returns: "tensor", help: "Uniform random values in [low, high), from the seeded generator (see seed)."
        ) { a in
            let shape = try a.shape(0), lo = Float(try a.number(1)), hi = Float(try a.number(2))
            return try TensorValue.result { () throws(TensorError) in try Tensor.uniform(shape, low: lo, high: hi) }
        },
        NativeFunction(
            "randn", [.init("shape", .list), .init("mean", .number, default: .number(0)), .init("std", .number, default: .number(1))],
            returns: "tensor", help: "Normal random values, from the seeded generator (see seed)."
        ) { a in
            let shape = try a.shape(0), m = Float(try a.number(1)), s = Float(try a.number(2))
            return try TensorValue.result { () throws(TensorError) in try Tensor.normal(shape, mean: m, std: s) }
        },
        NativeFunction(
            "arange", [.init("start", .number), .init("stop", .number, default: .null), .init("step", .number, default: .number(1))],
            returns: "tensor", help: "Evenly spaced values in [start, stop) by step; arange(n) is 0..<n."
        ) { a in
            var start = try a.number(0), stop: Double
            if a.isNil(1) { stop = start; start = 0 } else { stop = try a.number(1) }
            let r: RangeObject = try RangeObject(start: start, end: stop, step: try a.number(2), inclusive: false)
            guard r.count <= Shape.maxElements else {
                throw NativeError("arange: \(r.count) values are too many for a tensor (at most \(Shape.maxElements))")
            }
            return try TensorValue.result { () throws(TensorError) in try Tensor.generated(count: r.count) { Float(r.element($0)) } }
        },
        NativeFunction(
            "linspace", [.init("start", .number), .init("stop", .number), .init("count", .whole(in: 0...Shape.maxElements))], returns: "tensor",
            help: "`count` evenly spaced values from start to stop, both included."
        ) { a in
            let s = try a.number(0), e = try a.number(1), n = try a.int(2)
            return try TensorValue.result { () throws(TensorError) in
                try Tensor.generated(count: n) { i in Float(n == 1 ? s : s + (e - s) * Double(i) / Double(n - 1)) }
            }
        },
        NativeFunction("eye", [.init("n", .whole)], returns: "tensor", help: "The n×n identity matrix.") { a in
            let n = try a.int(0)
            return try TensorValue.result { () throws(TensorError) in
                let t = try Tensor.zeros([n, n])
                for i in 0..<n { t.data[i * n + i] = 1 }
                return t
            }
        },
        NativeFunction(
            "param", [.init("t", .tensor), .init("name", .string, default: .null)], returns: "tensor",
            help: "A trainable leaf: a copy of `t` that collects gradients in .grad. The name labels it in graphs and checkpoints."
        ) { a in
            let p = try a.tensor(0).contiguousCopy()
            p.requiresGrad = true
            if !a.isNil(1) { p.name = try a.string(1) }
            return TensorValue.wrap(p)
        },
        NativeFunction(
            "no_grad", [.init("body", .function)], returns: "any",
            help: "Runs body without recording autograd history: no_grad { evaluate(model) }."
        ) { a in
            let f = try a.callable(0)
            return try GradMode.withoutGrad { () throws -> Value in try a.call(f, []) }
        },
        NativeFunction(
            "scope", [.init("name", .string), .init("body", .function)], returns: "any",
            help: "Runs body with its ops grouped under `name`; graphs draw each scope as a cluster: scope(\"vision\") { … }."
        ) { a in
            let name = try a.string(0), f = try a.callable(1)
            return try GradMode.withScope(name) { () throws -> Value in try a.call(f, []) }
        },
        NativeFunction(
            "concat", [.init("tensors", .list), .init("axis", .whole, default: .number(0))], returns: "tensor",
            help: "Joins tensors along an existing axis."
        ) { a in
            let ts = try a.tensors(0), axis = try a.int(1)
            return try TensorValue.result { () throws(TensorError) in try Tensor.concat(ts, axis: axis) }
        },
        NativeFunction(
            "stack", [.init("tensors", .list), .init("axis", .whole, default: .number(0))], returns: "tensor",
            help: "Stacks same-shaped tensors along a new axis."
        ) { a in
            let ts = try a.tensors(0), axis = try a.int(1)
            return try TensorValue.result { () throws(TensorError) in try Tensor.stack(ts, axis: axis) }
        },
        NativeFunction(
            "threads", [.init("n", .whole(in: 1...BLAS.maxThreads), default: .null)], returns: "number",
            help: "Threads OpenBLAS uses for matrix products; threads(n) sets them (default: $DVS_THREADS or all cores)."
        ) { a in
            if !a.isNil(0) {
                BLAS.setThreads(try a.int(0))
            }
            return .number(Double(BLAS.threads))
        },
    ]

    /// The constructors, and the tensor methods as functions (`relu(t)`),
    /// except those whose names a general library already has (`sum`, `exp`,
    /// `len`…): those dispatch to the tensor method when given a tensor
    /// (`Interpreter.defineMethods`), so `sum(t, axis: 1)` is `t.sum(axis: 1)`.
    static let functions: [NativeFunction] = {
        let general = Set((CoreLibrary.functions + MathLibrary.functions + ListLibrary.functions + StringLibrary.functions).map(\.name))
        return constructors + TensorMethods.all.filter { !general.contains($0.name) }
    }()
}
