/// A DVS value. Numbers are Doubles; lists and records are shared, mutable
/// references (like Python's); strings are immutable. Types that higher layers
/// add (tensors, images, charts) are `.object`s: the language core knows them
/// only through the `DVSObject` protocol.
public enum Value {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case list(ListObject)
    case record(RecordObject)
    case range(RangeObject)
    case function(Callable)
    case object(DVSObject)

    /// The name `type(x)` returns and error messages use.
    public var typeName: String {
        switch self {
        case .null: return "nil"
        case .bool: return "bool"
        case .number: return "number"
        case .string: return "string"
        case .list: return "list"
        case .record: return "record"
        case .range: return "range"
        case .function: return "function"
        case .object(let o): return o.typeName
        }
    }

    public static func list(_ items: [Value]) -> Value { .list(ListObject(items)) }
    public static func record(_ fields: [(String, Value)]) -> Value { .record(RecordObject(fields)) }

    /// One bit per case, so a native's argument check tests a set of kinds
    /// with one mask (`NativeFunction.Parameter.acceptedKinds`).
    @inline(__always)
    var kindBit: UInt16 {
        switch self {
        case .null: return KindBits.null
        case .bool: return KindBits.bool
        case .number: return KindBits.number
        case .string: return KindBits.string
        case .list: return KindBits.list
        case .record: return KindBits.record
        case .range: return KindBits.range
        case .function: return KindBits.function
        case .object: return KindBits.object
        }
    }

    enum KindBits {
        static let null: UInt16 = 1 << 0, bool: UInt16 = 1 << 1, number: UInt16 = 1 << 2, string: UInt16 = 1 << 3
        static let list: UInt16 = 1 << 4, record: UInt16 = 1 << 5, range: UInt16 = 1 << 6, function: UInt16 = 1 << 7
        static let object: UInt16 = 1 << 8
    }
}

/// A mutable list shared by reference.
public final class ListObject {
    public var items: [Value]
    public init(_ items: [Value] = []) { self.items = items }
    deinit { Teardown.release(&items) }
}

/// A record: string keys in insertion order, shared by reference.
public final class RecordObject {
    public private(set) var keys: [String] = []
    public private(set) var values: [Value] = []
    private var slots: [String: Int] = [:]

    deinit { Teardown.release(&values) }

    public init(_ fields: [(String, Value)] = []) {
        keys.reserveCapacity(fields.count)
        values.reserveCapacity(fields.count)
        for (k, v) in fields { self[k] = v }
    }

    public var count: Int { keys.count }

    public subscript(key: String) -> Value? {
        get { slots[key].map { values[$0] } }
        set {
            if let i = slots[key] {
                if let newValue { values[i] = newValue } else { remove(key) }
            } else if let newValue {
                slots[key] = keys.count
                keys.append(key)
                values.append(newValue)
            }
        }
    }

    private func remove(_ key: String) {
        guard let i = slots.removeValue(forKey: key) else { return }
        keys.remove(at: i)
        values.remove(at: i)
        for j in i..<keys.count { slots[keys[j]] = j }
    }

    public var fields: [(String, Value)] { Array(zip(keys, values)) }
}

/// `a..<b`, `a...b` or `range(a, b, step)`: an arithmetic sequence of numbers.
public final class RangeObject {
    public let start: Double
    public let step: Double
    /// Number of elements (never negative).
    public let count: Int
    /// How the range was written, for printing.
    public let display: String

    /// The longest range: 2^53 numbers (beyond that, doubles cannot count).
    public static let maxCount = 9_007_199_254_740_992.0

    /// A range from `start` towards `end` by `step` (finite, step ≠ 0); an error
    /// when it would hold more than 2^53 numbers.
    public init(start: Double, end: Double, step: Double, inclusive: Bool) throws(NativeError) {
        guard start.isFinite, end.isFinite else { throw NativeError("range bounds must be finite numbers") }
        guard step.isFinite, step != 0 else { throw NativeError("range step must be a finite non-zero number, got \(formatNumber(step))") }
        self.start = start
        self.step = step
        let span = (end - start) / step
        var n = span.rounded(.up)
        if inclusive, span == span.rounded(.down), span >= 0 { n = span + 1 }
        guard n <= RangeObject.maxCount else {
            throw NativeError("range from \(formatNumber(start)) to \(formatNumber(end)) by \(formatNumber(step)) has more than 2^53 numbers")
        }
        self.count = n > 0 ? Int(n) : 0
        if step == 1 {
            display = "\(formatNumber(start))\(inclusive ? "..." : "..<")\(formatNumber(end))"
        } else {
            display = "range(\(formatNumber(start)), \(formatNumber(end)), \(formatNumber(step)))"
        }
    }

    public func element(_ i: Int) -> Double { start + Double(i) * step }
}

/// Values added by higher layers (tensors, images, plots…). Each hook has a
/// default that reports a clear "not supported" error.
extension Value {
    /// Whether this is a record with a field `name` (a field comes before a method of that name).
    func isRecordWithField(_ name: String) -> Bool {
        if case .record(let r) = self { return r[name] != nil }
        return false
    }
}

public protocol DVSObject: AnyObject {
    /// The type name shown by `type(x)` and in errors.
    var typeName: String { get }
    /// One-line summary, used in lists and the REPL echo.
    var summary: String { get }
    /// Full printed form, used by `print` and `str`.
    var printed: String { get }
    /// A property (`t.shape`, `opt.lr`, a module's global), or nil if there is
    /// none. Methods (`t.sum`) live in the type's method table instead
    /// (`Interpreter.defineMethods`), so no access builds a bound function.
    func member(_ name: String) throws(NativeError) -> Value?
    /// Property names offered by tab completion after `x.` (the completer
    /// adds the method table's names).
    var memberNames: [String] { get }
    /// `self op other` (or `other op self` when `reversed`); nil when unsupported.
    func binary(_ op: BinaryOperator, _ other: Value, reversed: Bool) throws(NativeError) -> Value?
    /// `-x`; nil when unsupported.
    func negate() throws(NativeError) -> Value?
    /// `x[...]`; nil when unsupported.
    func index(_ components: [IndexArgument]) throws(NativeError) -> Value?
    /// `x[...] = v`; false when unsupported.
    func setIndex(_ components: [IndexArgument], _ value: Value) throws(NativeError) -> Bool
    /// `x.name = v` (`opt.lr = 1e-4`); false when unsupported.
    func setMember(_ name: String, _ value: Value) throws(NativeError) -> Bool
}

extension DVSObject {
    public var summary: String { "<\(typeName)>" }
    public var printed: String { summary }
    public func member(_ name: String) throws(NativeError) -> Value? { nil }
    public var memberNames: [String] { [] }
    public func binary(_ op: BinaryOperator, _ other: Value, reversed: Bool) throws(NativeError) -> Value? { nil }
    public func negate() throws(NativeError) -> Value? { nil }
    public func index(_ components: [IndexArgument]) throws(NativeError) -> Value? { nil }
    public func setIndex(_ components: [IndexArgument], _ value: Value) throws(NativeError) -> Bool { false }
    public func setMember(_ name: String, _ value: Value) throws(NativeError) -> Bool { false }
}

/// One component of `x[i, a:b]` as given to objects.
public enum IndexArgument {
    case single(Value)
    case slice(start: Value, end: Value, step: Value)
}

/// The error a native function throws: a message only. The interpreter adds
/// the call site and DVS stack.
public struct NativeError: Error, CustomStringConvertible {
    public let message: String
    /// Set when a DVS callback (e.g. the function given to `map`) failed: the
    /// original diagnostic, with its own location and stack, is reported.
    public let underlying: Diagnostic?
    /// Set when the message names a place inside an argument (`r.s`): the
    /// interpreter words it again with the argument as written at the call
    /// site when that is a name; `message` calls it by its parameter name.
    let place: Place?
    /// Set by `NativeError.interrupted`: reported as the interpreter's own
    /// interrupt (kind `.interrupt`, "interrupted"), like Ctrl-C between calls.
    public let isInterruption: Bool

    struct Place: Sendable {
        let argument: Int
        let message: @Sendable (_ root: String) -> String
    }

    public init(_ message: String) {
        self.message = message
        self.underlying = nil
        self.place = nil
        self.isInterruption = false
    }
    public init(wrapping diagnostic: Diagnostic) {
        self.message = diagnostic.message
        self.underlying = diagnostic
        self.place = nil
        self.isInterruption = false
    }
    /// An error about a place inside argument `argument` (named `parameter`):
    /// `message` words it given what to call that argument.
    public init(naming argument: Int, parameter: String, _ message: @escaping @Sendable (_ root: String) -> String) {
        self.message = message(parameter)
        self.underlying = nil
        self.place = Place(argument: argument, message: message)
        self.isInterruption = false
    }
    private init(interruption message: String) {
        self.message = message
        self.underlying = nil
        self.place = nil
        self.isInterruption = true
    }
    /// A native stopped long work because `Interrupt` was requested (Ctrl-C).
    public static let interrupted = NativeError(interruption: "interrupted")
    public var description: String { message }

    /// The message, calling the argument it is about by `name(argument)` when that is not nil.
    func message(argumentNames name: (Int) -> String?) -> String {
        guard let place, let root = name(place.argument) else { return message }
        return place.message(root)
    }
}
