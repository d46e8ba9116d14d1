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
    var memberNames: [String] { ["step", "zero_grad", "lr", "steps", "params", "state", "load_state"] }

    func member(_ name: String) throws(NativeError) -> Value? {
        let opt = optimizer
        switch name {
        case "lr": return number(opt.lr)
        case "steps": return .number(Double(opt.stepCount))
        case "params": return .list(opt.parameters.map(TensorValue.wrap))
        case "step":
            return .function(NativeFunction("step", returns: "nil", help: "Updates every parameter that has a gradient.") { _ in
                try tensorOp { () throws(TensorError) in try opt.step() }
                return .null
            })
        case "zero_grad":
            return .function(NativeFunction("zero_grad", returns: "nil", help: "Clears the gradients of all parameters.") { _ in
                opt.zeroGrad()
                return .null
            })
        case "state":
            return .function(NativeFunction("state", returns: "record", help: "The optimizer's state as a record of tensors (for save).") { _ in
                .record(RecordObject(try tensorOp { () throws(TensorError) in try opt.stateTensors() }.map { ($0.0, TensorValue.wrap($0.1)) }))
            })
        case "load_state":
            return .function(NativeFunction("load_state", [.init("state", "record")], returns: "nil",
                                            help: "Restores state saved by state(), so training resumes exactly.") { a in
                var entries: [(String, Tensor)] = []
                for (k, v) in try a.record(0).fields {
                    guard case .object(let o as TensorValue) = v else { throw NativeError("load_state: '\(k)' is \(v.typeName), not a tensor") }
                    entries.append((k, o.tensor))
                }
                try tensorOp { () throws(TensorError) in try opt.loadState(entries) }
                return .null
            })
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
