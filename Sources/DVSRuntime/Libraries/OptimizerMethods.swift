import DVSLang
import DVSTensor

/// Optimizer methods: natives whose first parameter is the optimizer (`opt.step()`).
enum OptimizerMethods {
    private static let receiver = NativeFunction.Parameter("opt", .optimizer)

    private static func optimizer(_ a: Arguments) throws(NativeError) -> Optimizer {
        try a.object(0, as: OptimizerValue.self, "optimizer").optimizer
    }

    static let all: [NativeFunction] = [
        NativeFunction("step", [receiver], returns: "nil", help: "Updates every parameter that has a gradient.") { a in
            let opt = try optimizer(a)
            try libraryCall { () throws(TensorError) in try opt.step() }
            return .null
        },
        NativeFunction("zero_grad", [receiver], returns: "nil", help: "Clears the gradients of all parameters.") { a in
            try optimizer(a).zeroGrad()
            return .null
        },
        NativeFunction("state", [receiver], returns: "record", help: "The optimizer's state as a record of tensors (for save).") { a in
            let opt = try optimizer(a)
            return .record(RecordObject(try libraryCall { () throws(TensorError) in try opt.stateTensors() }.map { ($0.0, TensorValue.wrap($0.1)) }))
        },
        NativeFunction(
            "load_state", [receiver, .init("state", .record)], returns: "nil",
            help: "Restores state saved by state(), so training resumes exactly."
        ) { a in
            let opt = try optimizer(a)
            var entries: [(String, Tensor)] = []
            for (k, v) in try a.record(1).fields {
                guard case .object(let o as TensorValue) = v else { throw NativeError("load_state: '\(k)' is \(v.typeName), not a tensor") }
                entries.append((k, o.tensor))
            }
            try libraryCall { () throws(TensorError) in try opt.loadState(entries) }
            return .null
        },
    ]
}
