import Foundation

/// Unary and binary operators. Numbers take a fast path; strings, lists and
/// ranges have their own meanings; objects (tensors…) are asked last.

final class BinaryNode: Node {
    let op: BinaryOperator
    let left: Node
    let right: Node
    init(_ op: BinaryOperator, _ left: Node, _ right: Node, _ range: SourceRange) {
        self.op = op; self.left = left; self.right = right
        super.init(range)
    }
    override func eval(_ f: Frame, _ I: Interpreter) throws(Diagnostic) -> Value {
        let a = try left.eval(f, I)
        let b = try right.eval(f, I)
        if case .number(let x) = a, case .number(let y) = b, let v = numberFastPath(op, x, y) { return v }
        return try applyBinary(op, a, b, I, range)
    }
}

/// The common number operators, inlined into the binary nodes; nil for the
/// rest (and for division by zero, which `applyBinary` reports).
@inline(__always)
func numberFastPath(_ op: BinaryOperator, _ x: Double, _ y: Double) -> Value? {
    switch op {
    case .add: return .number(x + y)
    case .subtract: return .number(x - y)
    case .multiply: return .number(x * y)
    case .less: return .bool(x < y)
    case .lessEqual: return .bool(x <= y)
    case .greater: return .bool(x > y)
    case .greaterEqual: return .bool(x >= y)
    case .equal: return .bool(x == y)
    case .notEqual: return .bool(x != y)
    case .divide where y != 0: return .number(x / y)
    case .remainder where y != 0: return .number(floorRemainder(x, y))
    default: return nil
    }
}

/// `a op 2`: a binary operator whose right side is a number literal, the
/// common shape of loop and recursion arithmetic (`n - 1`, `i < 10`).
final class BinaryConstantNode: Node {
    let op: BinaryOperator
    let left: Node
    let constant: Double
    init(_ op: BinaryOperator, _ left: Node, _ constant: Double, _ range: SourceRange) {
        self.op = op; self.left = left; self.constant = constant
        super.init(range)
    }
    override func eval(_ f: Frame, _ I: Interpreter) throws(Diagnostic) -> Value {
        let a = try left.eval(f, I)
        if case .number(let x) = a, let v = numberFastPath(op, x, constant) { return v }
        return try applyBinary(op, a, .number(constant), I, range)
    }
}

/// The meaning of `a op b` for all value types (also used by `+=` and friends).
func applyBinary(_ op: BinaryOperator, _ a: Value, _ b: Value, _ I: Interpreter, _ range: SourceRange) throws(Diagnostic) -> Value {
    switch (op, a, b) {
    case (_, .object(let o), _):
        if let v = try objectBinary(o, op, b, reversed: false, I, range) { return v }
    case (_, _, .object(let o)) where op != .in && op != .notIn:
        if let v = try objectBinary(o, op, a, reversed: true, I, range) { return v }
    default: break
    }
    switch (op, a, b) {
    case (.equal, _, _): return .bool(a.isEqual(to: b))
    case (.notEqual, _, _): return .bool(!a.isEqual(to: b))
    case (.add, .number(let x), .number(let y)): return .number(x + y)
    case (.subtract, .number(let x), .number(let y)): return .number(x - y)
    case (.multiply, .number(let x), .number(let y)): return .number(x * y)
    case (.divide, .number(let x), .number(let y)):
        guard y != 0 else { throw I.error("division by zero", at: range) }
        return .number(x / y)
    case (.floorDivide, .number(let x), .number(let y)):
        guard y != 0 else { throw I.error("division by zero in '//'", at: range) }
        return .number((x / y).rounded(.down))
    case (.remainder, .number(let x), .number(let y)):
        guard y != 0 else { throw I.error("division by zero in '%'", at: range) }
        return .number(floorRemainder(x, y))
    case (.power, .number(let x), .number(let y)): return .number(Foundation.pow(x, y))
    case (.add, .string(let x), .string(let y)): return .string(x + y)
    case (.add, .list(let x), .list(let y)): return .list(x.items + y.items)
    case (.multiply, .string(let s), .number(let n)), (.multiply, .number(let n), .string(let s)):
        let count = try repeatCount(n, I, range)
        let (bytes, overflow) = s.utf8.count.multipliedReportingOverflow(by: count)
        guard !overflow, bytes <= Limits.maxStringBytes else {
            throw I.error(
                "string repetition would make \(overflow ? "too many" : Limits.grouped(bytes)) bytes: too long for a string (at most \(Limits.grouped(Limits.maxStringBytes)))",
                at: range)
        }
        return .string(String(repeating: s, count: count))
    case (.multiply, .list(let l), .number(let n)), (.multiply, .number(let n), .list(let l)):
        let count = try repeatCount(n, I, range)
        let (total, overflow) = l.items.count.multipliedReportingOverflow(by: count)
        guard !overflow, total <= Limits.maxListItems else {
            throw I.error(
                "list repetition would make \(overflow ? "too many" : Limits.grouped(total)) items: too many for a list (at most \(Limits.grouped(Limits.maxListItems)))",
                at: range)
        }
        return .list(Array([[Value]](repeating: l.items, count: count).joined()))
    case (.less, _, _), (.lessEqual, _, _), (.greater, _, _), (.greaterEqual, _, _):
        guard let c = a.compare(to: b) else {
            if case .number = a, case .number = b { return .bool(false) }  // NaN compares false
            throw I.error("cannot compare \(a.typeName) and \(b.typeName) with '\(op.rawValue)'", at: range)
        }
        switch op {
        case .less: return .bool(c < 0)
        case .lessEqual: return .bool(c <= 0)
        case .greater: return .bool(c > 0)
        default: return .bool(c >= 0)
        }
    case (.in, _, _): return .bool(try contains(b, a, I, range))
    case (.notIn, _, _): return .bool(!(try contains(b, a, I, range)))
    case (.rangeExclusive, .number(let x), .number(let y)), (.rangeInclusive, .number(let x), .number(let y)):
        do {
            return .range(try RangeObject(start: x, end: y, step: 1, inclusive: op == .rangeInclusive))
        } catch {
            throw I.error(error, at: range)
        }
    default: break
    }
    var hint = ""
    if op == .add, case .string = a { hint = " (to join text with a value, write \"…{x}\" or str(x))" }
    if op == .add, case .string = b { hint = " (to join text with a value, write \"…{x}\" or str(x))" }
    if op == .matmul { hint = " ('@' multiplies matrices: tensors only)" }
    throw I.error("cannot apply '\(op.rawValue)' to \(a.typeName) and \(b.typeName)\(hint)", at: range)
}

private func objectBinary(
    _ o: DVSObject, _ op: BinaryOperator, _ other: Value, reversed: Bool,
    _ I: Interpreter, _ range: SourceRange
) throws(Diagnostic) -> Value? {
    do {
        return try o.binary(op, other, reversed: reversed)
    } catch {
        throw I.error(error, at: range)
    }
}

private func repeatCount(_ n: Double, _ I: Interpreter, _ range: SourceRange) throws(Diagnostic) -> Int {
    guard let count = exactInt(n), count >= 0, count <= Limits.maxListItems else {
        throw I.error("repetition count must be a whole number from 0 to \(Limits.grouped(Limits.maxListItems)), got \(formatNumber(n))", at: range)
    }
    return count
}

/// `item in container`.
func contains(_ container: Value, _ item: Value, _ I: Interpreter, _ range: SourceRange) throws(Diagnostic) -> Bool {
    switch container {
    case .list(let l): return l.items.contains { $0.isEqual(to: item) }
    case .string(let s):
        guard case .string(let sub) = item else {
            throw I.error("'in' on a string needs a string on the left, got \(item.typeName)", at: range)
        }
        return sub.isEmpty || s.contains(sub)
    case .record(let r):
        guard case .string(let key) = item else {
            throw I.error("'in' on a record needs a field name (string) on the left, got \(item.typeName)", at: range)
        }
        return r[key] != nil
    case .range(let r):
        guard case .number(let x) = item else { return false }
        let k = (x - r.start) / r.step
        return k >= 0 && k < Double(r.count) && k == k.rounded()
    case .object(let o):
        if let v = try objectBinary(o, .in, item, reversed: true, I, range), case .bool(let b) = v { return b }
    default: break
    }
    throw I.error("cannot use 'in' with \(container.typeName) on the right (expected list, string, record or range)", at: range)
}

final class NegateNode: Node {
    let operand: Node
    init(_ operand: Node, _ range: SourceRange) { self.operand = operand; super.init(range) }
    override func eval(_ f: Frame, _ I: Interpreter) throws(Diagnostic) -> Value {
        let v = try operand.eval(f, I)
        switch v {
        case .number(let x): return .number(-x)
        case .object(let o):
            do {
                if let r = try o.negate() { return r }
            } catch {
                throw I.error(error, at: range)
            }
        default: break
        }
        throw I.error("cannot negate \(v.typeName)", at: range)
    }
}

final class NotNode: Node {
    let operand: Node
    init(_ operand: Node, _ range: SourceRange) { self.operand = operand; super.init(range) }
    override func eval(_ f: Frame, _ I: Interpreter) throws(Diagnostic) -> Value {
        .bool(!(try operand.condition(f, I, "the operand of 'not'")))
    }
}

final class LogicalNode: Node {
    let isAnd: Bool
    let left: Node
    let right: Node
    init(isAnd: Bool, _ left: Node, _ right: Node, _ range: SourceRange) {
        self.isAnd = isAnd; self.left = left; self.right = right
        super.init(range)
    }
    override func eval(_ f: Frame, _ I: Interpreter) throws(Diagnostic) -> Value {
        let word = isAnd ? "and" : "or"
        let l = try left.condition(f, I, "the left side of '\(word)'")
        if isAnd != l { return .bool(l) }  // short-circuit
        return .bool(try right.condition(f, I, "the right side of '\(word)'"))
    }
}

/// `x % y` with the sign of the divisor, as in Python: -7 % 3 == 2.
@inline(__always)
func floorRemainder(_ x: Double, _ y: Double) -> Double {
    // Whole numbers (the common case) take an integer path: fmod is slow.
    if Swift.abs(x) < 9.0e15, Swift.abs(y) < 9.0e15, let xi = Int64(exactly: x), let yi = Int64(exactly: y) {
        let r = xi % yi
        return Double(r != 0 && (r < 0) != (yi < 0) ? r + yi : r)
    }
    let r = x.truncatingRemainder(dividingBy: y)
    return r != 0 && (r < 0) != (y < 0) ? r + y : r
}
