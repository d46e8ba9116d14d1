import DVSLang
import Foundation

/// `Out` and `_` of a session, the same in the REPL and in notebooks, so a
/// saved session replays to the same values: `Out[n]` is the value of cell n
/// (nil when it had none or failed) and `_` the last value that was not nil.
public final class CellHistory {
    private let interpreter: Interpreter
    private let outputs = ListObject([.null])

    /// Defines `Out` in `interpreter`.
    public init(_ interpreter: Interpreter) {
        self.interpreter = interpreter
        interpreter.define("Out", .list(outputs))
    }

    /// Records how cell `number` ended (`result` nil: it failed). Returns the
    /// value to echo as `Out[n]`: nil for no value, a statement, or a cell
    /// whose source ends in `;`.
    @discardableResult
    public func record(_ result: Interpreter.Result?, cell number: Int, source: String) -> Value? {
        let value = result?.value ?? .null
        while outputs.items.count <= number { outputs.items.append(.null) }
        outputs.items[number] = value
        if case .null = value { return nil }
        interpreter.define("_", value)
        return result.flatMap { Self.echoed($0, source: source) }
    }

    /// The value a cell shows: nil for no value, a statement, or a cell whose
    /// source ends in `;`.
    public static func echoed(_ result: Interpreter.Result, source: String) -> Value? {
        if case .null = result.value { return nil }
        guard result.isExpression, !source.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix(";") else { return nil }
        return result.value
    }

    /// Forgets every value (the REPL's `:reset`).
    public func reset() { outputs.items = [.null] }
}
