import DVSMemory

/// `if`, `while`, `for`, `break`, `continue`, `return`.

final class IfNode: Node {
    let condition: Node
    let then: Node
    let otherwise: Node?
    init(_ condition: Node, _ then: Node, _ otherwise: Node?, _ range: SourceRange) {
        self.condition = condition; self.then = then; self.otherwise = otherwise
        super.init(range)
    }
    override func eval(_ f: Frame, _ I: Interpreter) throws(Diagnostic) -> Value {
        if try condition.condition(f, I, "the if condition") { return try then.eval(f, I) }
        return try otherwise?.eval(f, I) ?? .null
    }
}

final class WhileNode: Node {
    let condition: Node
    let body: Node
    init(_ condition: Node, _ body: Node, _ range: SourceRange) {
        self.condition = condition; self.body = body
        super.init(range)
    }
    override func eval(_ f: Frame, _ I: Interpreter) throws(Diagnostic) -> Value {
        while try condition.condition(f, I, "the while condition") {
            try I.checkLoop(at: range)
            _ = try body.eval(f, I)
            if I.signal != .none {
                if I.signal == .breakLoop { I.signal = .none; break }
                if I.signal == .continueLoop { I.signal = .none; continue }
                return .null  // returning
            }
        }
        return .null
    }
}

/// Where a loop variable lives: a plain slot, or a cell when a closure captures it.
enum LoopVariable {
    case local(Int)
    case cell(Int)

    @inline(__always)
    func bind(_ value: Value, _ f: Frame) {
        switch self {
        case .local(let slot): f.locals[slot] = value
        case .cell(let slot): f.locals[slot] = .object(Cell(value))
        }
    }
}

final class ForNode: Node {
    let variables: [LoopVariable]
    let iterable: Node
    let body: Node
    init(_ variables: [LoopVariable], _ iterable: Node, _ body: Node, _ range: SourceRange) {
        self.variables = variables; self.iterable = iterable; self.body = body
        super.init(range)
    }

    /// Runs the body once; returns false when the loop must stop.
    @inline(__always)
    private func step(_ f: Frame, _ I: Interpreter) throws(Diagnostic) -> Bool {
        try I.checkLoop(at: range)
        _ = try body.eval(f, I)
        switch I.signal {
        case .none: return true
        case .continueLoop: I.signal = .none; return true
        case .breakLoop: I.signal = .none; return false
        case .returning: return false
        }
    }

    override func eval(_ f: Frame, _ I: Interpreter) throws(Diagnostic) -> Value {
        let seq = try iterable.eval(f, I)
        if variables.count == 1 {
            let v = variables[0]
            switch seq {
            case .range(let r):
                for i in 0..<r.count {
                    v.bind(.number(r.element(i)), f)
                    if !(try step(f, I)) { break }
                }
                return .null
            case .list(let l):
                var i = 0
                while i < l.items.count {
                    v.bind(l.items[i], f)
                    if !(try step(f, I)) { break }
                    i += 1
                }
                return .null
            case .string(let s):
                for c in s {
                    v.bind(.string(String(c)), f)
                    if !(try step(f, I)) { break }
                }
                return .null
            case .record(let r):
                for k in r.keys {
                    v.bind(.string(k), f)
                    if !(try step(f, I)) { break }
                }
                return .null
            default:
                break
            }
        } else {
            switch seq {
            case .record(let r) where variables.count == 2:
                for (k, value) in r.fields {
                    variables[0].bind(.string(k), f)
                    variables[1].bind(value, f)
                    if !(try step(f, I)) { break }
                }
                return .null
            case .list(let l):
                var i = 0
                while i < l.items.count {
                    try destructure(l.items[i], f, I)
                    if !(try step(f, I)) { break }
                    i += 1
                }
                return .null
            default:
                break
            }
        }
        if case .object(let o) = seq, let items = try I.objectItems(o, at: iterable.range) {
            for item in items {
                if variables.count == 1 { variables[0].bind(item, f) } else { try destructure(item, f, I) }
                if !(try step(f, I)) { break }
            }
            return .null
        }
        let names = variables.count == 1 ? "a range, list, string or record" : "a list of lists or a record"
        throw I.error("cannot iterate over \(seq.typeName): 'for' needs \(names)", at: iterable.range)
    }

    private func destructure(_ item: Value, _ f: Frame, _ I: Interpreter) throws(Diagnostic) {
        guard case .list(let parts) = item, parts.items.count == variables.count else {
            throw I.error(
                "cannot unpack \(item.repr.prefix(40)) into \(variables.count) loop variables: expected a list of \(variables.count) items", at: iterable.range)
        }
        for (v, part) in zip(variables, parts.items) { v.bind(part, f) }
    }
}

final class BreakNode: Node {
    override func eval(_ f: Frame, _ I: Interpreter) throws(Diagnostic) -> Value {
        I.signal = .breakLoop
        return .null
    }
}

final class ContinueNode: Node {
    override func eval(_ f: Frame, _ I: Interpreter) throws(Diagnostic) -> Value {
        I.signal = .continueLoop
        return .null
    }
}

final class ReturnNode: Node {
    let value: Node?
    init(_ value: Node?, _ range: SourceRange) { self.value = value; super.init(range) }
    override func eval(_ f: Frame, _ I: Interpreter) throws(Diagnostic) -> Value {
        I.returnValue = try value?.eval(f, I) ?? .null
        I.signal = .returning
        return .null
    }
}

/// `break`, `continue` or `return` inside an expression (`f(if c { return 0 } else { x })`):
/// sets the signal, then unwinds the expression by throwing to the enclosing
/// statement's `ControlBoundaryNode`, so no operator or call sees a half value.
final class EscapingControlNode: Node {
    let transfer: Node
    init(_ transfer: Node) {
        self.transfer = transfer
        super.init(transfer.range)
    }
    override func eval(_ f: Frame, _ I: Interpreter) throws(Diagnostic) -> Value {
        _ = try transfer.eval(f, I)
        throw Diagnostic(.control, "control transfer", at: range)
    }
}

/// A statement containing an `EscapingControlNode`: catches its unwinding; the
/// signal it set is then handled by the block or loop as usual.
final class ControlBoundaryNode: Node {
    let statement: Node
    init(_ statement: Node) {
        self.statement = statement
        super.init(statement.range)
    }
    override func eval(_ f: Frame, _ I: Interpreter) throws(Diagnostic) -> Value {
        do {
            return try statement.eval(f, I)
        } catch  where error.phase == .control {
            return .null
        }
    }
}

extension Interpreter {
    /// Asked at every loop iteration: Ctrl-C, and every 65,536th time the
    /// process's memory limit (a loop is how a program grows data without bound).
    @inline(__always)
    func checkLoop(at range: SourceRange) throws(Diagnostic) {
        if Interrupt.isRequested { throw interrupted(at: range) }
        loopTicks &-= 1
        if loopTicks > 0 { return }
        loopTicks = 65_536
        do throws(OutOfMemory) {
            try AddressSpace.check()
        } catch {
            throw self.error(error.message, at: range)
        }
    }

    func interrupted(at range: SourceRange) -> Diagnostic {
        Interrupt.clear()
        return Diagnostic(.interrupt, "interrupted", at: range, stack: stackTrace(at: range))
    }

    /// Items of an iterable object (a tensor's rows…), asked through its `items` member.
    func objectItems(_ o: DVSObject, at range: SourceRange) throws(Diagnostic) -> [Value]? {
        let member: Value?
        do {
            member = try o.member("items")
        } catch {
            throw self.error(error, at: range)
        }
        switch member {
        case .list(let l): return l.items
        case .function(let fn):
            if case .list(let l) = try call(fn, []) { return l.items }
            return nil
        default: return nil
        }
    }
}
