/// Reading and writing variables: local slots, cells (captured locals),
/// upvalues (cells a closure captured) and globals.

final class LocalGet: Node {
    let slot: Int
    init(_ slot: Int, _ range: SourceRange) { self.slot = slot; super.init(range) }
    override var writtenName: String? { identifierAtStart }
    override func eval(_ f: Frame, _ I: Interpreter) throws(Diagnostic) -> Value { f.locals[slot] }
}

final class LocalSet: Node {
    let slot: Int
    let value: Node
    init(_ slot: Int, _ value: Node, _ range: SourceRange) { self.slot = slot; self.value = value; super.init(range) }
    override func eval(_ f: Frame, _ I: Interpreter) throws(Diagnostic) -> Value {
        f.locals[slot] = try value.eval(f, I)
        return .null
    }
}

@inline(__always)
func cellIn(_ value: Value) -> Cell {
    guard case .object(let o) = value else { preconditionFailure("slot does not hold a cell") }
    return unsafeDowncast(o, to: Cell.self)
}

final class CellGet: Node {
    let slot: Int
    init(_ slot: Int, _ range: SourceRange) { self.slot = slot; super.init(range) }
    override var writtenName: String? { identifierAtStart }
    override func eval(_ f: Frame, _ I: Interpreter) throws(Diagnostic) -> Value { cellIn(f.locals[slot]).value }
}

final class CellSet: Node {
    let slot: Int
    let value: Node
    init(_ slot: Int, _ value: Node, _ range: SourceRange) { self.slot = slot; self.value = value; super.init(range) }
    override func eval(_ f: Frame, _ I: Interpreter) throws(Diagnostic) -> Value {
        cellIn(f.locals[slot]).value = try value.eval(f, I)
        return .null
    }
}

/// `let x = v` where x is captured: a fresh cell per execution.
final class CellDeclare: Node {
    let slot: Int
    let value: Node?
    init(_ slot: Int, _ value: Node?, _ range: SourceRange) { self.slot = slot; self.value = value; super.init(range) }
    override func eval(_ f: Frame, _ I: Interpreter) throws(Diagnostic) -> Value {
        // The cell exists before the value is computed, so a function can refer to itself.
        let cell = Cell(.null)
        f.locals[slot] = .object(cell)
        if let value { cell.value = try value.eval(f, I) }
        return .null
    }
}

final class UpvalueGet: Node {
    let index: Int
    init(_ index: Int, _ range: SourceRange) { self.index = index; super.init(range) }
    override var writtenName: String? { identifierAtStart }
    override func eval(_ f: Frame, _ I: Interpreter) throws(Diagnostic) -> Value {
        f.closure.unsafelyUnwrapped.captures[index].value
    }
}

final class UpvalueSet: Node {
    let index: Int
    let value: Node
    init(_ index: Int, _ value: Node, _ range: SourceRange) { self.index = index; self.value = value; super.init(range) }
    override func eval(_ f: Frame, _ I: Interpreter) throws(Diagnostic) -> Value {
        f.closure.unsafelyUnwrapped.captures[index].value = try value.eval(f, I)
        return .null
    }
}

final class GlobalGet: Node {
    let slot: GlobalSlot
    /// Local names in scope where this global was read, for "did you mean" hints.
    let visibleLocals: [String]
    init(_ slot: GlobalSlot, visibleLocals: [String], _ range: SourceRange) {
        self.slot = slot
        self.visibleLocals = visibleLocals
        super.init(range)
    }
    override var writtenName: String? { slot.name }
    override func eval(_ f: Frame, _ I: Interpreter) throws(Diagnostic) -> Value {
        if slot.isDefined { return slot.value }
        throw I.unknownName(slot.name, at: range, visibleLocals: visibleLocals)
    }
}

final class GlobalSet: Node {
    let slot: GlobalSlot
    let value: Node
    init(_ slot: GlobalSlot, _ value: Node, _ range: SourceRange) { self.slot = slot; self.value = value; super.init(range) }
    override func eval(_ f: Frame, _ I: Interpreter) throws(Diagnostic) -> Value {
        guard slot.isDefined else { throw I.unknownName(slot.name, at: range) }
        guard slot.isMutable else {
            if slot.isBuiltin {
                throw I.error("cannot assign to '\(slot.name)': it is a built-in (declare your own with 'let \(slot.name) = …' or 'var')", at: range)
            }
            throw I.error("cannot assign to '\(slot.name)': it was declared with 'let' (use 'var' for a variable)", at: range)
        }
        slot.value = try value.eval(f, I)
        return .null
    }
}

final class GlobalDeclare: Node {
    let slot: GlobalSlot
    let value: Node?
    let mutable: Bool
    init(_ slot: GlobalSlot, _ value: Node?, mutable: Bool, _ range: SourceRange) {
        self.slot = slot; self.value = value; self.mutable = mutable; super.init(range)
    }
    override func eval(_ f: Frame, _ I: Interpreter) throws(Diagnostic) -> Value {
        let v = try value?.eval(f, I) ?? .null
        slot.value = v
        slot.isDefined = true
        slot.isMutable = mutable
        slot.isBuiltin = false
        return .null
    }
}

extension Interpreter {
    func unknownName(_ name: String, at range: SourceRange, visibleLocals: [String] = []) -> Diagnostic {
        let types = methods(named: name).map(\.type)
        if !types.isEmpty {
            return error("unknown name '\(name)'; it is a method of \(types.joined(separator: ", ")): call it as x.\(name)(…)", at: range)
        }
        if let hint = suggestion(for: name, among: visibleLocals) {
            return error("unknown name '\(name)'; did you mean '\(hint)'?", at: range)
        }
        return error("unknown name '\(name)'", at: range)
    }
}
