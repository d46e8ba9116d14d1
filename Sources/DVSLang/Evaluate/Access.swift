/// Literals for lists, records and interpolated strings; indexing, slicing
/// and fields.

final class ListNode: Node {
    let items: [Node]
    init(_ items: [Node], _ range: SourceRange) { self.items = items; super.init(range) }
    override func eval(_ f: Frame, _ I: Interpreter) throws(Diagnostic) -> Value {
        var values: [Value] = []
        values.reserveCapacity(items.count)
        for item in items { values.append(try item.eval(f, I)) }
        return .list(ListObject(values))
    }
}

final class RecordNode: Node {
    let keys: [String]
    let values: [Node]
    init(_ keys: [String], _ values: [Node], _ range: SourceRange) {
        self.keys = keys; self.values = values
        super.init(range)
    }
    override func eval(_ f: Frame, _ I: Interpreter) throws(Diagnostic) -> Value {
        var fields: [(String, Value)] = []
        fields.reserveCapacity(keys.count)
        for (k, node) in zip(keys, values) { fields.append((k, try node.eval(f, I))) }
        return .record(RecordObject(fields))
    }
}

final class InterpolationNode: Node {
    enum Part {
        case text(String)
        case value(Node, spec: String?)
    }
    let parts: [Part]
    init(_ parts: [Part], _ range: SourceRange) { self.parts = parts; super.init(range) }
    override func eval(_ f: Frame, _ I: Interpreter) throws(Diagnostic) -> Value {
        var out = ""
        for part in parts {
            switch part {
            case .text(let t): out += t
            case .value(let node, let spec):
                let v = try node.eval(f, I)
                if let spec {
                    do { out += try formatValue(v, spec: spec) } catch { throw I.error(error, at: node.range) }
                } else {
                    out += v.printed
                }
            }
        }
        return .string(out)
    }
}

/// `[i]` or `[a:b:c]` before evaluation.
enum IndexNodeComponent {
    case single(Node)
    case slice(Node?, Node?, Node?)
}

func evalIndexArguments(_ components: [IndexNodeComponent], _ f: Frame, _ I: Interpreter) throws(Diagnostic) -> [IndexArgument] {
    var out: [IndexArgument] = []
    out.reserveCapacity(components.count)
    for c in components {
        switch c {
        case .single(let n): out.append(.single(try n.eval(f, I)))
        case .slice(let a, let b, let s):
            out.append(.slice(start: try a?.eval(f, I) ?? .null, end: try b?.eval(f, I) ?? .null, step: try s?.eval(f, I) ?? .null))
        }
    }
    return out
}

final class IndexNode: Node {
    let target: Node
    let components: [IndexNodeComponent]
    init(_ target: Node, _ components: [IndexNodeComponent], _ range: SourceRange) {
        self.target = target; self.components = components
        super.init(range)
    }
    override func eval(_ f: Frame, _ I: Interpreter) throws(Diagnostic) -> Value {
        let container = try target.eval(f, I)
        if components.count == 1, case .single(let n) = components[0], case .list(let l) = container,
            case .number(let x) = try n.eval(f, I), let i = exactInt(x), i >= 0, i < l.items.count
        {
            return l.items[i]  // fast path
        }
        let args = try evalIndexArguments(components, f, I)
        do {
            return try getIndex(container, args)
        } catch {
            throw I.error(error, at: range)
        }
    }
}

final class SetIndexNode: Node {
    let target: Node
    let components: [IndexNodeComponent]
    let value: Node
    /// For `xs[i] += v`: the operator applied to the old element.
    let op: BinaryOperator?
    init(_ target: Node, _ components: [IndexNodeComponent], _ value: Node, op: BinaryOperator?, _ range: SourceRange) {
        self.target = target; self.components = components; self.value = value; self.op = op
        super.init(range)
    }
    override func eval(_ f: Frame, _ I: Interpreter) throws(Diagnostic) -> Value {
        let container = try target.eval(f, I)
        let args = try evalIndexArguments(components, f, I)
        var v = try value.eval(f, I)
        if let op {
            let old: Value
            do { old = try getIndex(container, args) } catch { throw I.error(error, at: range) }
            v = try applyBinary(op, old, v, I, range)
        }
        do { try setIndex(container, args, v) } catch { throw I.error(error, at: range) }
        return .null
    }
}

final class MemberNode: Node {
    let target: Node
    let name: String
    let function: GlobalSlot
    private var methods = MethodCache()
    init(_ target: Node, _ name: String, function: GlobalSlot, _ range: SourceRange) {
        self.target = target; self.name = name; self.function = function
        super.init(range)
    }
    override var writtenName: String? { target.writtenName.map { pathText($0, [.field(name)]) } }
    override func eval(_ f: Frame, _ I: Interpreter) throws(Diagnostic) -> Value {
        let receiver = try target.eval(f, I)
        switch receiver {
        case .record(let r):
            if let v = r[name] { return v }
        case .object(let o):
            do {
                if let v = try o.member(name) { return v }
            } catch {
                throw I.error(error, at: range)
            }
        default: break
        }
        // `t.relu` means `t.relu()`, and `xs.len` means `len(xs)`, when there is
        // no field or property of that name.
        if let method = methods.method(name, for: receiver, I) {
            return try I.callNative(method, receiver: receiver, [], labels: [], f, site: range, receiverNode: target)
        }
        if function.isDefined, case .function(let fn) = function.value {
            return try I.invoke(fn, positional: [receiver], named: [], site: range)
        }
        throw I.noMember(receiver, name, at: range)
    }
}

final class SetMemberNode: Node {
    let target: Node
    let name: String
    let value: Node
    let op: BinaryOperator?
    init(_ target: Node, _ name: String, _ value: Node, op: BinaryOperator?, _ range: SourceRange) {
        self.target = target; self.name = name; self.value = value; self.op = op
        super.init(range)
    }
    override func eval(_ f: Frame, _ I: Interpreter) throws(Diagnostic) -> Value {
        let receiver = try target.eval(f, I)
        if case .object(let o) = receiver {
            var v = try value.eval(f, I)
            if let op {
                let old: Value?
                do { old = try o.member(name) } catch { throw I.error(error, at: range) }
                guard let old else { throw I.noMember(receiver, name, at: range) }
                v = try applyBinary(op, old, v, I, range)
            }
            let done: Bool
            do { done = try o.setMember(name, v) } catch { throw I.error(error, at: range) }
            if done { return .null }
            throw I.error("cannot set '\(name)' on \(o.typeName)", at: range)
        }
        guard case .record(let r) = receiver else {
            throw I.error("cannot set field '\(name)' on \(receiver.typeName): only records and some objects have settable fields", at: range)
        }
        var v = try value.eval(f, I)
        if let op {
            guard let old = r[name] else { throw I.noMember(receiver, name, at: range) }
            v = try applyBinary(op, old, v, I, range)
        }
        r[name] = v
        return .null
    }
}

extension Interpreter {
    /// Names Python or JavaScript users reach for, and the DVS built-in that does it.
    static let otherLanguageNames = [
        "append": "push", "length": "len", "size": "len", "lower_case": "lower",
        "upper_case": "upper", "toUpperCase": "upper", "toLowerCase": "lower",
        "startswith": "starts_with", "endswith": "ends_with", "items": "pairs", "indexOf": "index",
    ]

    func noMember(_ receiver: Value, _ name: String, at range: SourceRange) -> Diagnostic {
        var candidates: [String] = []
        if case .record(let r) = receiver { candidates = r.keys }
        if case .object(let o) = receiver { candidates = o.memberNames + methodNames(for: receiver) }
        let what: String
        if case .record = receiver { what = "record has no field '\(name)'" } else { what = "\(receiver.typeName) has no member '\(name)'" }
        if let known = Interpreter.otherLanguageNames[name], global(known) != nil {
            return error("\(what); did you mean '\(known)'?", at: range)
        }
        let owners = methods(named: name).map(\.type)
        if !owners.isEmpty { return error("\(what) ('\(name)' is a method of \(owners.joined(separator: ", ")))", at: range) }
        if let hint = closestName(to: name, in: candidates + globalNames + methodNames(for: receiver)) {
            return error("\(what); did you mean '\(hint)'?", at: range)
        }
        return error(what, at: range)
    }
}

// MARK: - Index semantics

/// Resolves a possibly negative index against `count`.
func resolveIndex(_ v: Value, count: Int, what: String) throws(NativeError) -> Int {
    guard case .number(let x) = v else { throw NativeError("\(what) index must be a number, got \(v.typeName)") }
    if x.isFinite, x == x.rounded(), exactInt(x) == nil {
        throw NativeError("index \(formatNumber(x)) out of range for \(what) of length \(count)")
    }
    let i = try wholeNumber(x, "\(what) index")
    let j = i < 0 ? i + count : i
    guard j >= 0, j < count else { throw NativeError("index \(i) out of range for \(what) of length \(count)") }
    return j
}

/// The most items a slice may hold (100 million).

/// Python slice semantics: clamped bounds, negative from the end, step ≠ 0.
public func sliceIndices(_ start: Value, _ end: Value, _ step: Value, count: Int) throws(NativeError) -> [Int] {
    func bound(_ v: Value, _ name: String) throws(NativeError) -> Int? {
        switch v {
        case .null: return nil
        case .number(let x): return try wholeNumber(x, "slice \(name)")
        default: throw NativeError("slice \(name) must be a number, got \(v.typeName)")
        }
    }
    let s = try bound(step, "step") ?? 1
    guard s != 0 else { throw NativeError("slice step cannot be zero") }
    func clamp(_ i: Int?, _ dflt: Int) -> Int {
        guard var i else { return dflt }
        if i < 0 { i += count }
        return s > 0 ? min(max(i, 0), count) : min(max(i, -1), count - 1)
    }
    let a = clamp(try bound(start, "start"), s > 0 ? 0 : count - 1)
    let b = clamp(try bound(end, "end"), s > 0 ? count : -1)
    let n = s > 0 ? (b > a ? (b - a + s - 1) / s : 0) : (a > b ? (a - b - s - 1) / -s : 0)
    try Limits.checkListSize(n, "the slice")
    return Array(stride(from: a, to: b, by: s))
}

/// `container[args]` for every indexable value: what `xs[i]` and `xs[a:b]` do.
public func getIndex(_ container: Value, _ args: [IndexArgument]) throws(NativeError) -> Value {
    if case .object(let o) = container {
        if let v = try o.index(args) { return v }
        throw NativeError("\(o.typeName) cannot be indexed")
    }
    guard args.count == 1 else {
        throw NativeError("\(container.typeName) takes one index, got \(args.count) (several indices are for tensors)")
    }
    switch (container, args[0]) {
    case (.list(let l), .single(let i)):
        return l.items[try resolveIndex(i, count: l.items.count, what: "list")]
    case (.list(let l), .slice(let a, let b, let s)):
        return .list(try sliceIndices(a, b, s, count: l.items.count).map { l.items[$0] })
    case (.string(let str), .single(let i)):
        let chars = Array(str)
        return .string(String(chars[try resolveIndex(i, count: chars.count, what: "string")]))
    case (.string(let str), .slice(let a, let b, let s)):
        let chars = Array(str)
        return .string(String(try sliceIndices(a, b, s, count: chars.count).map { chars[$0] }))
    case (.range(let r), .single(let i)):
        return .number(r.element(try resolveIndex(i, count: r.count, what: "range")))
    case (.range(let r), .slice(let a, let b, let s)):
        return .list(try sliceIndices(a, b, s, count: r.count).map { .number(r.element($0)) })
    case (.record(let r), .single(let k)):
        guard case .string(let key) = k else { throw NativeError("record index must be a field name (string), got \(k.typeName)") }
        guard let v = r[key] else {
            let hint = closestName(to: key, in: r.keys).map { "; did you mean '\($0)'?" } ?? ""
            throw NativeError("record has no field '\(key)'\(hint)")
        }
        return v
    default:
        throw NativeError("\(container.typeName) cannot be indexed\(args[0].isSlice ? " with a slice" : "")")
    }
}

func setIndex(_ container: Value, _ args: [IndexArgument], _ value: Value) throws(NativeError) {
    if case .object(let o) = container {
        if try o.setIndex(args, value) { return }
        throw NativeError("\(o.typeName) does not support item assignment")
    }
    guard args.count == 1 else { throw NativeError("\(container.typeName) takes one index, got \(args.count)") }
    switch (container, args[0]) {
    case (.list(let l), .single(let i)):
        l.items[try resolveIndex(i, count: l.items.count, what: "list")] = value
    case (.list(let l), .slice(let a, let b, let s)):
        guard case .list(let src) = value else { throw NativeError("slice assignment needs a list on the right, got \(value.typeName)") }
        let idx = try sliceIndices(a, b, s, count: l.items.count)
        guard idx.count == src.items.count else {
            throw NativeError("slice assignment: \(countText(idx.count, "position")) but \(countText(src.items.count, "value"))")
        }
        let items = src.items
        for (j, i) in idx.enumerated() { l.items[i] = items[j] }
    case (.record(let r), .single(let k)):
        guard case .string(let key) = k else { throw NativeError("record index must be a field name (string), got \(k.typeName)") }
        r[key] = value
    case (.string, _):
        throw NativeError("strings cannot be changed in place; build a new one (e.g. with slices and +)")
    default:
        throw NativeError("\(container.typeName) does not support item assignment")
    }
}

extension IndexArgument {
    var isSlice: Bool { if case .slice = self { return true } else { return false } }
}
