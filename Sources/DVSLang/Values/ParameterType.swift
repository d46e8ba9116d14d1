/// What a native function's parameter accepts. The interpreter checks every
/// argument against its parameter's type before the native's body runs, so
/// all natives fail alike — `cross_entropy: argument 'labels' must be a
/// tensor, got string` — and the body only converts. Help signatures print
/// the same declaration (`exit(code: int 0…255 = 0)`).
///
/// A parameter whose default is nil also accepts nil ("not given").
public indirect enum ParameterType: Sendable {
    case any
    case number
    /// A whole number in the range (a double that is exactly an integer).
    case wholeNumber(ClosedRange<Int>)
    case string
    case bool
    case function
    case record
    case range
    /// A list whose items all have the element type (`.any`: any list).
    case listOf(ParameterType)
    /// One of these strings (`reduction: "mean"|"sum"|"none"`).
    case choice([String])
    /// A value type defined above the language core (tensor, image, box…).
    case value(ValueType)
    /// Any of these types (`list|string`).
    case oneOf([ParameterType])

    /// Whole numbers exactly representable as doubles: [-2^53, 2^53].
    public static let wholeRange = -9_007_199_254_740_992...9_007_199_254_740_992
    /// Any whole number.
    public static let whole = ParameterType.wholeNumber(wholeRange)
    /// A whole number within `range`.
    public static func whole(in range: ClosedRange<Int>) -> ParameterType { .wholeNumber(range) }
    /// A whole number ≥ `minimum`.
    public static func whole(atLeast minimum: Int) -> ParameterType { .wholeNumber(minimum...wholeRange.upperBound) }
    /// Any list.
    public static let list = ParameterType.listOf(.any)
    /// A list of items of one type.
    public static func list(of element: ParameterType) -> ParameterType { .listOf(element) }

    /// Whether `value` is accepted.
    public func accepts(_ value: Value) -> Bool {
        switch (self, value) {
        case (.any, _), (.number, .number), (.string, .string), (.bool, .bool), (.function, .function),
            (.record, .record), (.range, .range):
            return true
        case (.wholeNumber(let r), .number(let n)):
            return exactInt(n).map(r.contains) ?? false
        case (.listOf(let element), .list(let l)):
            if case .any = element { return true }
            return l.items.allSatisfy(element.accepts)
        case (.choice(let options), .string(let s)):
            return options.contains(s)
        case (.value(let t), _):
            return t.accepts(value)
        case (.oneOf(let types), _):
            return types.contains { $0.accepts(value) }
        default:
            return false
        }
    }

    /// The kinds of value (`Value.kindBit`) this type accepts on their kind
    /// alone, and whether that settles it: false when some value of another
    /// kind may still be accepted after a closer look (a whole number, a list
    /// of T, a choice, a value type).
    var acceptedKinds: (kinds: UInt16, decide: Bool) {
        switch self {
        case .any: return (.max, true)
        case .number: return (Value.KindBits.number, true)
        case .string: return (Value.KindBits.string, true)
        case .bool: return (Value.KindBits.bool, true)
        case .function: return (Value.KindBits.function, true)
        case .record: return (Value.KindBits.record, true)
        case .range: return (Value.KindBits.range, true)
        case .listOf(.any): return (Value.KindBits.list, true)
        case .oneOf(let types):
            let parts = types.map(\.acceptedKinds)
            return (parts.reduce(0) { $0 | $1.kinds }, parts.allSatisfy(\.decide))
        case .wholeNumber, .listOf, .choice, .value: return (0, false)
        }
    }

    /// The short form help signatures show: `number`, `int 0…255`, `list of string`, `"mean"|"sum"`.
    public var name: String {
        switch self {
        case .any: return "any"
        case .number: return "number"
        case .wholeNumber(let r): return "int" + rangeText(r, lowest: " ≥ ", between: { " \($0)…\($1)" })
        case .string: return "string"
        case .bool: return "bool"
        case .function: return "function"
        case .record: return "record"
        case .range: return "range"
        case .listOf(.any): return "list"
        case .listOf(let element): return "list of \(element.name)"
        case .choice(let options): return options.map { "\"\($0)\"" }.joined(separator: "|")
        case .value(let t): return t.name
        case .oneOf(let types): return types.map(\.name).joined(separator: "|")
        }
    }

    /// What an argument must be, in words: `a whole number from 0 to 255`, `a list of strings`.
    public var phrase: String {
        switch self {
        case .any: return "a value"
        case .number: return "a number"
        case .wholeNumber(let r):
            return "a whole number" + rangeText(r, lowest: " ≥ ", between: { " from \($0) to \($1)" })
        case .string: return "a string"
        case .bool: return "a bool"
        case .function: return "a function"
        case .record: return "a record"
        case .range: return "a range"
        case .listOf(.any): return "a list"
        case .listOf(let element): return "a list of \(element.plural)"
        case .choice(let options): return "one of " + options.map { "\"\($0)\"" }.joined(separator: ", ")
        case .value(let t): return t.phrase
        case .oneOf(let types): return orList(types.map(\.phrase))
        }
    }

    /// The plural used after "a list of": `numbers`, `whole numbers ≥ 0`, `tensors`.
    private var plural: String {
        switch self {
        case .number: return "numbers"
        case .wholeNumber(let r): return "whole numbers" + rangeText(r, lowest: " ≥ ", between: { " from \($0) to \($1)" })
        case .string: return "strings"
        case .bool: return "bools"
        case .function: return "functions"
        case .record: return "records"
        case .range: return "ranges"
        case .listOf: return "lists"
        case .value(let t): return t.name + "s"
        default: return "values that are \(phrase)"
        }
    }

    /// "" for the full range; else the lower bound alone or both bounds.
    private func rangeText(_ r: ClosedRange<Int>, lowest: String, between: (Int, Int) -> String) -> String {
        if r == Self.wholeRange { return "" }
        if r.upperBound == Self.wholeRange.upperBound { return lowest + String(r.lowerBound) }
        return between(r.lowerBound, r.upperBound)
    }

    /// The error for an argument this type rejects: `sqrt: argument 'x' must be a number, got string`.
    /// A value of the right kind that breaks a constraint (range, choice, list item) is shown itself.
    public func rejection(function: String, parameter: String, _ value: Value) -> NativeError {
        var expected = phrase
        if case .wholeNumber(let r) = self, r == Self.wholeRange, case .number(let n) = value, n.isInfinite || n == n.rounded() {
            expected = "a whole number in [-2^53, 2^53]"  // whole, but beyond what a double counts exactly
        }
        return NativeError("\(function): argument '\(parameter)' must be \(expected), got \(describeRejected(value))")
    }

    private func describeRejected(_ value: Value) -> String {
        switch (self, value) {
        case (.wholeNumber, .number), (.choice, .string): return value.repr
        case (.listOf(let element), .list(let l)):
            if let (i, item) = l.items.enumerated().first(where: { !element.accepts($0.element) }) {
                return "a list whose item \(i) is \(element.describeRejected(item))"
            }
            return value.typeName
        default: return value.typeName
        }
    }
}

/// A type of value that lives above the language core (tensor, image, grid…),
/// as a parameter type: its name in help, its phrase in errors, and the test
/// of which values it takes — a tensor parameter also takes numbers and
/// nested lists, which the native converts.
public struct ValueType: Sendable {
    public let name: String
    public let phrase: String
    private let test: @Sendable (Value) -> Bool

    public init(_ name: String, phrase: String? = nil, accepts test: @escaping @Sendable (Value) -> Bool) {
        self.name = name
        self.phrase = phrase ?? withArticle(name)
        self.test = test
    }

    /// Objects of class `T`, called `name`.
    public static func objects<T: DVSObject>(of _: T.Type, _ name: String) -> ValueType {
        ValueType(name) { value in
            if case .object(let o) = value { return o is T }
            return false
        }
    }

    public func accepts(_ value: Value) -> Bool { test(value) }
}

/// "an image", "a tensor".
public func withArticle(_ noun: String) -> String {
    ("aeiou".contains(noun.prefix(1)) ? "an " : "a ") + noun
}

/// "a, b or c".
func orList(_ items: [String]) -> String {
    items.count <= 1 ? items.joined() : items.dropLast().joined(separator: ", ") + " or " + items.last!
}
