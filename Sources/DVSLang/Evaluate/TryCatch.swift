/// `try { … } catch e { … } finally { … }`: errors as values.
///
/// A runtime error (or a syntax error met at run time, in an imported module)
/// raised in the body — by `error(msg)`, a failed `assert`, a native — runs the
/// handler with `e` bound to a record {message, kind, file, line, column,
/// stack}; the expression's value is the body's, or the handler's after an
/// error. `finally` runs last in every case (an error, `return`, `break`), and
/// an error or control transfer inside it wins. Ctrl-C and `exit` are never caught.
final class TryNode: Node {
    let body: Node
    let catchVariable: LoopVariable?
    let handler: Node?
    let cleanup: Node?

    init(_ body: Node, catchVariable: LoopVariable?, handler: Node?, finally cleanup: Node?, _ range: SourceRange) {
        self.body = body
        self.catchVariable = catchVariable
        self.handler = handler
        self.cleanup = cleanup
        super.init(range)
    }

    override func eval(_ f: Frame, _ I: Interpreter) throws(Diagnostic) -> Value {
        var result: Value = .null
        var pending: Diagnostic? = nil
        do {
            result = try body.eval(f, I)
        } catch {
            if let handler, error.isCatchable {
                catchVariable?.bind(I.errorValue(error), f)
                do { result = try handler.eval(f, I) } catch { pending = error }
            } else {
                pending = error
            }
        }
        if let cleanup {
            let signal = I.signal, returned = I.returnValue
            I.signal = .none
            _ = try cleanup.eval(f, I)
            if case .none = I.signal {
                I.signal = signal
                I.returnValue = returned
            }
        }
        if let pending { throw pending }
        return result
    }
}

extension Diagnostic {
    /// Whether `try … catch` may handle it: runtime errors and syntax errors met
    /// while running (imports); never interrupts or internal control transfers.
    var isCatchable: Bool {
        switch phase {
        case .runtime, .syntax: return true
        case .interrupt, .control, .exit: return false
        }
    }
}

extension Interpreter {
    /// An error as the record a `catch` binds: message, kind ("runtime" or
    /// "syntax"), file, line and column (nil when unknown), and the DVS stack,
    /// innermost first, as "function (file:line:col)" lines.
    func errorValue(_ d: Diagnostic) -> Value {
        let location: [(String, Value)] =
            d.range.map { r in
                [("file", .string(r.source.name)), ("line", .number(Double(r.start.line))), ("column", .number(Double(r.start.column)))]
            } ?? [("file", .null), ("line", .null), ("column", .null)]
        let stack = d.stack.map { entry in Value.string(entry.location.isEmpty ? entry.function : "\(entry.function) (\(entry.location))") }
        let kind = d.phase == .syntax ? "syntax" : "runtime"
        return .record(RecordObject([("message", .string(d.message)), ("kind", .string(kind))] + location + [("stack", .list(ListObject(stack)))]))
    }
}
