/// `let [a, b] = xs`, `let {x, y} = r`, and `[e for x in xs if c]`.

/// The parts of a destructured value while its names are declared.
final class UnpackedValues {
    var items: [Value] = []
}

/// Part `index` of the value being destructured (the value of one name's declaration).
final class UnpackedNode: Node {
    let values: UnpackedValues
    let index: Int
    init(_ values: UnpackedValues, _ index: Int, _ range: SourceRange) { self.values = values; self.index = index; super.init(range) }
    override func eval(_ f: Frame, _ I: Interpreter) throws(Diagnostic) -> Value { values.items[index] }
}

/// Evaluates the value once, checks it has the pattern's shape (a list of
/// exactly that many items, or a record with those fields), then runs each
/// name's declaration.
final class DestructureNode: Node {
    let source: Node
    let names: [String]
    let fromRecord: Bool
    let values: UnpackedValues
    let declarations: [Node]

    init(_ source: Node, names: [String], fromRecord: Bool, into values: UnpackedValues, _ declarations: [Node], _ range: SourceRange) {
        self.source = source; self.names = names; self.fromRecord = fromRecord; self.values = values; self.declarations = declarations
        super.init(range)
    }

    override func eval(_ f: Frame, _ I: Interpreter) throws(Diagnostic) -> Value {
        let value = try source.eval(f, I)
        values.items = try parts(of: value, I)
        defer { values.items = [] }
        for d in declarations { _ = try d.eval(f, I) }
        return .null
    }

    private func parts(of value: Value, _ I: Interpreter) throws(Diagnostic) -> [Value] {
        if fromRecord {
            guard case .record(let r) = value else {
                throw I.error("cannot unpack \(value.typeName) into {\(names.joined(separator: ", "))}: expected a record", at: range)
            }
            var out: [Value] = []
            for name in names {
                guard let v = r[name] else {
                    let hint = closestName(to: name, in: r.keys).map { "; did you mean '\($0)'?" } ?? ""
                    throw I.error("cannot unpack {\(names.joined(separator: ", "))}: the record has no field '\(name)'\(hint)", at: range)
                }
                out.append(v)
            }
            return out
        }
        guard case .list(let l) = value, l.items.count == names.count else {
            let got = if case .list(let l) = value { "a list of \(l.items.count)" } else { value.typeName }
            throw I.error("cannot unpack \(got) into [\(names.joined(separator: ", "))]: expected a list of \(names.count)", at: range)
        }
        return l.items
    }
}

/// One step of a comprehension: appends the element to the results slot when the condition holds.
final class AppendNode: Node {
    let results: Int
    let element: Node
    let condition: Node?
    init(_ results: Int, _ element: Node, when condition: Node?, _ range: SourceRange) {
        self.results = results; self.element = element; self.condition = condition
        super.init(range)
    }
    override func eval(_ f: Frame, _ I: Interpreter) throws(Diagnostic) -> Value {
        if let condition {
            guard case .bool(let keep) = try condition.eval(f, I) else {
                throw I.error("a comprehension's 'if' needs a bool", at: condition.range)
            }
            if !keep { return .null }
        }
        let v = try element.eval(f, I)
        guard case .list(let out) = f.locals[results] else { return .null }
        out.items.append(v)
        return .null
    }
}

/// `[e for x in xs if c]`: a fresh list in its own slot, filled by a for loop.
final class ComprehensionNode: Node {
    let results: Int
    let loop: ForNode
    init(_ results: Int, _ loop: ForNode, _ range: SourceRange) { self.results = results; self.loop = loop; super.init(range) }
    override func eval(_ f: Frame, _ I: Interpreter) throws(Diagnostic) -> Value {
        f.locals[results] = .list(ListObject())
        defer { f.locals[results] = .null }
        _ = try loop.eval(f, I)
        return f.locals[results]
    }
}
