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
