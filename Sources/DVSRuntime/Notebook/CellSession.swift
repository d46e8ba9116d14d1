import DVSLang

/// The cells of one interactive session — the REPL's and the Jupyter
/// kernel's — in one interpreter: `_` and `Out[n]` as in notebooks
/// (`CellHistory`), and the rule that a cell that fails (or is interrupted)
/// leaves every binding as it was before the cell.
public final class CellSession {
    public let interpreter: Interpreter
    public let history: CellHistory

    /// How a cell ended.
    public enum Outcome {
        /// It ran; the value to echo, if any (see `CellHistory.echoed`).
        case ran(Value?)
        /// `exit(code)` ended it: the session should end with that status.
        case exited(Int32)
        /// It failed or was interrupted; the bindings were restored.
        case failed(Diagnostic)
    }

    /// Whether a cell's text can run as it is.
    public enum Completeness {
        case complete
        /// It ended too early: an open bracket or string; more lines may follow.
        case incomplete
        /// It has a syntax error that more lines would not fix.
        case invalid
    }

    public static func completeness(of text: String) -> Completeness {
        do {
            _ = try Parser.parse(Source(name: "<cell>", text: text))
            return .complete
        } catch {
            return error.isIncompleteInput ? .incomplete : .invalid
        }
    }

    public init(_ interpreter: Interpreter) {
        self.interpreter = interpreter
        history = CellHistory(interpreter)
    }

    /// Runs `code` as cell `number` (`name` names it in diagnostics). A cell
    /// without a number (a Jupyter cell run with `store_history` off) leaves
    /// `_` and `Out` alone.
    public func run(_ code: String, name: String, number: Int?) -> Outcome {
        let before = interpreter.snapshot()
        Interrupt.clear()
        do {
            let result = try interpreter.run(Source(name: name, text: code))
            guard let number else { return .ran(CellHistory.echoed(result, source: code)) }
            return .ran(history.record(result, cell: number, source: code))
        } catch  where error.phase == .exit {
            return .exited(error.exitCode)
        } catch {
            interpreter.restore(before)
            if let number { history.record(nil, cell: number, source: code) }
            return .failed(error)
        }
    }
}
