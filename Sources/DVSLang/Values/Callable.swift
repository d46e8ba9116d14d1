/// Something callable from DVS: a closure written in DVS or a native function.
/// A class with a stored kind, so calls dispatch without dynamic casts.
public class Callable {
    public enum Kind { case closure, native }
    public let kind: Kind
    public let name: String
    init(kind: Kind, name: String) {
        self.kind = kind
        self.name = name
    }
}

/// A DVS function value: compiled code plus the variables it captured.
final class Closure: Callable {
    let proto: FunctionProto
    let captures: ContiguousArray<Cell>
    init(proto: FunctionProto, captures: ContiguousArray<Cell>) {
        self.proto = proto
        self.captures = captures
        super.init(kind: .closure, name: proto.name)
    }
}

/// A variable captured by an inner function lives in a cell, so the function
/// and its definer see the same binding. Each execution of a declaration makes
/// a new cell (a closure made in a loop keeps that iteration's value).
final class Cell: DVSObject {
    var value: Value
    init(_ value: Value) { self.value = value }
    var typeName: String { "cell" }
}

/// A function implemented in Swift and registered with a signature and help
/// text. Arguments arrive matched to parameters (positional or named), with
/// defaults filled in, so implementations only check types. They throw
/// `NativeError`s (other errors are reported by their description).
public final class NativeFunction: Callable {
    public struct Parameter {
        public let name: String
        /// What the parameter takes: checked before the body runs, shown in help.
        public let type: ParameterType
        /// The default, or nil when the argument is required.
        public let defaultValue: Value?
        /// Only given by name (`print(a, b, sep: ", ")`): after a variadic
        /// function's positional parameters, so positional values pass it by.
        public let namedOnly: Bool
        /// The kinds of value (`Value.kindBit`) accepted on their kind alone,
        /// nil given to a parameter whose default is nil among them, so the
        /// common check is one mask test.
        let acceptedKinds: UInt16
        /// Whether a value of another kind is rejected without asking `type`
        /// (false for whole numbers, typed lists, choices, value types).
        let kindsDecide: Bool
        public init(_ name: String, _ type: ParameterType = .any, default defaultValue: Value? = nil, namedOnly: Bool = false) {
            self.name = name
            self.type = type
            self.defaultValue = defaultValue
            self.namedOnly = namedOnly
            let nilKind: UInt16 = if case .null? = defaultValue { Value.null.kindBit } else { 0 }
            let (kinds, decide) = type.acceptedKinds
            (acceptedKinds, kindsDecide) = (kinds | nilKind, decide)
        }

        /// Whether the interpreter checks arguments: not when every value is accepted (`.any`).
        var isChecked: Bool { acceptedKinds != .max }

        /// Whether `value` may be passed for this parameter.
        @inline(__always)
        func accepts(_ value: Value) -> Bool {
            if acceptedKinds & value.kindBit != 0 { return true }
            return !kindsDecide && type.accepts(value)
        }
    }

    public let parameters: [Parameter]
    /// `parameters.count`, read on every call without touching the array.
    let parameterCount: Int
    /// Extra positional arguments are collected here (`print(values…)`).
    public let variadic: Parameter?
    public let returns: String
    public let help: String
    public let body: (inout Arguments) throws -> Value
    /// Set when some value type also has a method of this name: a call
    /// `f(x, …)` then runs x's method when x's type has one, so `f(x)` and
    /// `x.f()` always agree (`sum(t, axis: 1)` is `t.sum(axis: 1)`).
    public internal(set) var dispatchesOnFirstArgument = false

    public init(
        _ name: String, _ parameters: [Parameter] = [], variadic: Parameter? = nil, returns: String = "any",
        help: String, body: @escaping (inout Arguments) throws -> Value
    ) {
        self.parameters = parameters
        self.parameterCount = parameters.count
        self.variadic = variadic
        self.returns = returns
        self.help = help
        self.body = body
        self.checksArguments = parameters.contains(where: \.isChecked) || variadic?.isChecked == true
        super.init(kind: .native, name: name)
    }

    /// False when every parameter is `.any`: calls then skip the check loop.
    let checksArguments: Bool

    /// The error for the first argument its parameter's type rejects, or nil.
    /// `values` holds one value per parameter; `rest` the extra variadic ones.
    func rejection(_ values: UnsafeBufferPointer<Value>, rest: [Value]) -> NativeError? {
        let bad = parameters.withUnsafeBufferPointer { p in (0..<p.count).first { !p[$0].accepts(values[$0]) } }
        if let i = bad {
            return parameters[i].type.rejection(function: name, parameter: parameters[i].name, values[i])
        }
        if let v = variadic, let bad = rest.first(where: { !v.accepts($0) }) {
            return v.type.rejection(function: name, parameter: v.name, bad)
        }
        return nil
    }

    /// How many parameters positional arguments can fill (those before the first named-only one).
    public var positionalCount: Int { parameters.firstIndex(where: \.namedOnly) ?? parameters.count }

    /// `sqrt(x: number) -> number`; `print(values…: any, sep: string = " ", end: string = "\n") -> nil`
    public var signature: String {
        let text = { (p: Parameter) in p.defaultValue.map { "\(p.name): \(p.type.name) = \($0.repr)" } ?? "\(p.name): \(p.type.name)" }
        var parts = parameters.prefix(positionalCount).map(text)
        if let v = variadic { parts.append("\(v.name)…: \(v.type.name)") }
        parts += parameters.dropFirst(positionalCount).map(text)
        return "\(name)(\(parts.joined(separator: ", "))) -> \(returns)"
    }
}

/// The arguments of one native call (valid only while it runs), with checking helpers that produce
/// uniform messages: `sqrt: argument 'x' must be a number, got string`.
public struct Arguments {
    /// The function called and the interpreter (below) outlive the call, so
    /// they are held without reference counting.
    public unowned(unsafe) let function: NativeFunction
    /// One value per parameter, in parameter order: slots of the interpreter's
    /// value stack, valid only during the call.
    let values: UnsafeBufferPointer<Value>
    /// Extra positional arguments for a variadic function.
    public var rest: [Value]
    /// The interpreter, for natives that call back into DVS (`map`, `sort`…).
    public unowned(unsafe) let interpreter: Interpreter

    public subscript(_ i: Int) -> Value { values[i] }

    /// The uniform error for argument `i` not being `expected`:
    /// `sqrt: argument 'x' must be a number, got string`.
    public func bad(_ i: Int, _ expected: ParameterType) -> NativeError {
        expected.rejection(function: function.name, parameter: function.parameters[i].name, values[i])
    }

    /// The error of argument `i` against its declared type: for the default
    /// branch of a switch over the alternatives that type allows.
    public func unexpected(_ i: Int) -> NativeError {
        bad(i, function.parameters[i].type)
    }

    public func number(_ i: Int) throws(NativeError) -> Double {
        if case .number(let n) = values[i] { return n }
        throw bad(i, .number)
    }

    /// A whole number in [-2^53, 2^53] (rejects 1.5, NaN, ±inf and huge values).
    public func int(_ i: Int) throws(NativeError) -> Int {
        if case .number(let n) = values[i], let whole = exactInt(n) { return whole }
        throw bad(i, .whole)
    }

    public func string(_ i: Int) throws(NativeError) -> String {
        if case .string(let s) = values[i] { return s }
        throw bad(i, .string)
    }

    public func bool(_ i: Int) throws(NativeError) -> Bool {
        if case .bool(let b) = values[i] { return b }
        throw bad(i, .bool)
    }

    public func list(_ i: Int) throws(NativeError) -> ListObject {
        if case .list(let l) = values[i] { return l }
        throw bad(i, .list)
    }

    public func record(_ i: Int) throws(NativeError) -> RecordObject {
        if case .record(let r) = values[i] { return r }
        throw bad(i, .record)
    }

    /// An object argument of one class, named `typeName` in the error:
    /// `step: argument 'opt' must be an optimizer, got list`.
    public func object<T: DVSObject>(_ i: Int, as _: T.Type, _ typeName: String) throws(NativeError) -> T {
        if case .object(let o as T) = values[i] { return o }
        throw bad(i, .value(.objects(of: T.self, typeName)))
    }

    /// A string argument declared as a `.choice` of `T`'s raw values, as a `T`.
    public func choice<T: RawRepresentable & CaseIterable>(_ i: Int, as _: T.Type) throws(NativeError) -> T where T.RawValue == String {
        if case .string(let s) = values[i], let v = T(rawValue: s) { return v }
        throw bad(i, .choice(T.allCases.map(\.rawValue)))
    }

    /// The items of a list argument of numbers.
    public func numbers(_ i: Int) throws(NativeError) -> [Double] {
        try items(i, .number) { if case .number(let n) = $0 { n } else { nil } }
    }

    /// The items of a list argument of whole numbers.
    public func ints(_ i: Int) throws(NativeError) -> [Int] {
        try items(i, .whole) { if case .number(let n) = $0 { exactInt(n) } else { nil } }
    }

    /// The items of a list argument of strings.
    public func strings(_ i: Int) throws(NativeError) -> [String] {
        try items(i, .string) { if case .string(let s) = $0 { s } else { nil } }
    }

    private func items<T>(_ i: Int, _ element: ParameterType, _ convert: (Value) -> T?) throws(NativeError) -> [T] {
        var out: [T] = []
        for item in try list(i).items {
            guard let v = convert(item) else { throw bad(i, .list(of: element)) }
            out.append(v)
        }
        return out
    }

    public func callable(_ i: Int) throws(NativeError) -> Callable {
        if case .function(let f) = values[i] { return f }
        throw bad(i, .function)
    }

    public func isNil(_ i: Int) -> Bool {
        if case .null = values[i] { return true }
        return false
    }

    /// Calls a DVS function value with positional arguments.
    public func call(_ f: Callable, _ args: [Value]) throws(NativeError) -> Value {
        try interpreter.callFromNative(f, args)
    }
}

/// `x` as an Int when it is a whole number in [-2^53, 2^53] (where doubles
/// still count every whole number); otherwise the error `<subject> must be a
/// whole number, got 1.5`, or, for a whole number beyond that range (or ±inf),
/// `<subject> must be a whole number in [-2^53, 2^53], got 1e+300`.
public func wholeNumber(_ x: Double, _ subject: String) throws(NativeError) -> Int {
    if let i = exactInt(x) { return i }
    let range = x.isInfinite || x == x.rounded() ? " in [-2^53, 2^53]" : ""
    throw NativeError("\(subject) must be a whole number\(range), got \(formatNumber(x))")
}

/// `n` as an Int if it is a whole number within ±2^53; nil otherwise.
public func exactInt(_ n: Double) -> Int? {
    guard n.isFinite, n == n.rounded(), abs(n) <= 9_007_199_254_740_992 else { return nil }
    return Int(n)
}

extension Callable {
    /// `name(a, b = …)` for closures, the full typed signature for natives.
    public var signatureText: String {
        switch kind {
        case .native: return unsafeDowncast(self, to: NativeFunction.self).signature
        case .closure: return unsafeDowncast(self, to: Closure.self).proto.signature
        }
    }

    /// Help text: a native's registered help, or a DVS function's doc comment.
    public var helpText: String? {
        switch kind {
        case .native: return unsafeDowncast(self, to: NativeFunction.self).help
        case .closure: return unsafeDowncast(self, to: Closure.self).proto.doc
        }
    }

    /// Where a DVS function was defined (nil for natives).
    public var definedAt: String? {
        kind == .closure ? unsafeDowncast(self, to: Closure.self).proto.range.description : nil
    }
}
