import DVSLang
import DVSTensor

/// An optimizer as a DVS value: `opt.step()`, `opt.zero_grad()`, `opt.lr`
/// (settable), `opt.steps`, and `opt.state()` / `opt.load_state(r)` for checkpoints.
final class OptimizerValue: DVSObject {
    let optimizer: Optimizer
    let kind: String
    init(_ optimizer: Optimizer, kind: String) {
        self.optimizer = optimizer
        self.kind = kind
    }

    var typeName: String { "optimizer" }
    var summary: String { "<\(kind) lr=\(formatNumber(Double(optimizer.lr))) params=\(optimizer.parameters.count) steps=\(optimizer.stepCount)>" }
    /// Properties; the methods (`opt.step()`) are the "optimizer" method table.
    var memberNames: [String] { ["lr", "steps", "params"] }

    func member(_ name: String) throws(NativeError) -> Value? {
        switch name {
        case "lr": return number(optimizer.lr)
        case "steps": return .number(Double(optimizer.stepCount))
        case "params": return .list(optimizer.parameters.map(TensorValue.wrap))
        default: return nil
        }
    }

    func setMember(_ name: String, _ value: Value) throws(NativeError) -> Bool {
        guard name == "lr" else { return false }
        guard case .number(let lr) = value, lr.isFinite, lr >= 0 else {
            throw NativeError("\(kind).lr must be a non-negative number, got \(value.repr)")
        }
        optimizer.lr = Float(lr)
        return true
    }
}

/// Optimizer methods: natives whose first parameter is the optimizer (`opt.step()`).
enum OptimizerMethods {
    private static let receiver = NativeFunction.Parameter("opt", "optimizer")

    private static func optimizer(_ a: Arguments) throws(NativeError) -> Optimizer {
        try a.object(0, as: OptimizerValue.self, "optimizer").optimizer
    }

    static let all: [NativeFunction] = [
        NativeFunction("step", [receiver], returns: "nil", help: "Updates every parameter that has a gradient.") { a in
            let opt = try optimizer(a)
            try tensorOp { () throws(TensorError) in try opt.step() }
            return .null
        },
        NativeFunction("zero_grad", [receiver], returns: "nil", help: "Clears the gradients of all parameters.") { a in
            try optimizer(a).zeroGrad()
            return .null
        },
        NativeFunction("state", [receiver], returns: "record", help: "The optimizer's state as a record of tensors (for save).") { a in
            let opt = try optimizer(a)
            return .record(RecordObject(try tensorOp { () throws(TensorError) in try opt.stateTensors() }.map { ($0.0, TensorValue.wrap($0.1)) }))
        },
        NativeFunction("load_state", [receiver, .init("state", "record")], returns: "nil",
                       help: "Restores state saved by state(), so training resumes exactly.") { a in
            let opt = try optimizer(a)
            var entries: [(String, Tensor)] = []
            for (k, v) in try a.record(1).fields {
                guard case .object(let o as TensorValue) = v else { throw NativeError("load_state: '\(k)' is \(v.typeName), not a tensor") }
                entries.append((k, o.tensor))
            }
            try tensorOp { () throws(TensorError) in try opt.loadState(entries) }
            return .null
        },
    ]
}
