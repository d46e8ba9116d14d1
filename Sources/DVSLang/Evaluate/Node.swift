/// A compiled node: the resolver turns the syntax tree into a tree of these,
/// with every name already bound to a local slot, a cell or a global slot.
/// `eval` runs it. Control flow (`break`, `continue`, `return`) is signalled
/// through `Interpreter.signal`, which blocks and loops check after each step.
class Node {
    let range: SourceRange
    init(_ range: SourceRange) { self.range = range }

    func eval(_ f: Frame, _ I: Interpreter) throws(Diagnostic) -> Value {
        preconditionFailure("Node.eval is abstract")
    }

    /// How this expression is written when it is a name or a field of one
    /// (`r`, `model.encoder`), for errors that name a place inside a value.
    var writtenName: String? { nil }

    /// The identifier written where this node starts (for variable reads, whose
    /// nodes keep slots, not names).
    final var identifierAtStart: String? {
        let line = range.source.lineText(Int(range.start.line))
        let name = line.dropFirst(Int(range.start.column) - 1).prefix { $0 == "_" || $0.isLetter || $0.isNumber }
        return name.isEmpty || name.first!.isNumber ? nil : String(name)
    }

    /// Conditions must be bools: `if 1 {}` is an error, not a silent truth test.
    @inline(__always)
    final func condition(_ f: Frame, _ I: Interpreter, _ what: String) throws(Diagnostic) -> Bool {
        let v = try eval(f, I)
        if case .bool(let b) = v { return b }
        throw I.error("\(what) must be a bool (true or false), got \(v.typeName)", at: range)
    }
}

/// A compiled function body: its parameters' slots, frame size, and what it
/// captures from the enclosing function when a closure is made.
final class FunctionProto {
    struct Parameter {
        let name: String
        let defaultValue: Node?
        /// The parameter is captured by an inner function: it lives in a cell.
        let isCaptured: Bool
    }
    enum CaptureSource {
        case local(Int)  // a cell in the enclosing frame's slot
        case upvalue(Int)  // a cell the enclosing closure itself captured
    }

    let name: String
    let parameters: [Parameter]
    /// Some parameter is captured by an inner function (and must move into a cell).
    let hasCapturedParameters: Bool
    let parameterCount: Int
    /// Local slots a call needs (parameters first).
    let frameSize: Int
    let body: Node
    let captures: [CaptureSource]
    /// For a top-level chunk: the globals it declares (a module's exports).
    let declaredGlobals: [String]
    let range: SourceRange
    let doc: String?

    init(
        name: String, parameters: [Parameter], body: Node, frameSize: Int, captures: [CaptureSource],
        declaredGlobals: [String] = [], range: SourceRange, doc: String?
    ) {
        self.name = name
        self.parameters = parameters
        self.hasCapturedParameters = parameters.contains { $0.isCaptured }
        self.parameterCount = parameters.count
        self.body = body
        self.frameSize = frameSize
        self.captures = captures
        self.declaredGlobals = declaredGlobals
        self.range = range
        self.doc = doc
    }

    /// `area(w, h = 1)`
    var signature: String {
        "\(name)(" + parameters.map { $0.defaultValue == nil ? $0.name : "\($0.name) = …" }.joined(separator: ", ") + ")"
    }
}

final class ConstantNode: Node {
    let value: Value
    init(_ value: Value, _ range: SourceRange) {
        self.value = value
        super.init(range)
    }
    override func eval(_ f: Frame, _ I: Interpreter) throws(Diagnostic) -> Value { value }
}

final class BlockNode: Node {
    let statements: [Node]
    init(_ statements: [Node], _ range: SourceRange) {
        self.statements = statements
        super.init(range)
    }
    override func eval(_ f: Frame, _ I: Interpreter) throws(Diagnostic) -> Value {
        var result = Value.null
        for statement in statements {
            result = try statement.eval(f, I)
            if I.signal != .none { return result }
        }
        return result
    }
}

/// Runs a statement whose value is discarded (declarations, assignments): nil.
final class StatementNode: Node {
    let inner: Node
    init(_ inner: Node) {
        self.inner = inner
        super.init(inner.range)
    }
    override func eval(_ f: Frame, _ I: Interpreter) throws(Diagnostic) -> Value {
        _ = try inner.eval(f, I)
        return .null
    }
}
