/// Function calls, method sugar and closure creation.

final class CallNode: Node {
    let callee: Node
    let arguments: [Node]
    /// Labels of the trailing named arguments (`f(1, h: 2)` → ["h"]).
    let labels: [String]
    init(_ callee: Node, _ arguments: [Node], labels: [String], _ range: SourceRange) {
        self.callee = callee; self.arguments = arguments; self.labels = labels
        super.init(range)
    }

    private var methods = MethodCache()

    override func eval(_ f: Frame, _ I: Interpreter) throws(Diagnostic) -> Value {
        let calleeValue = try callee.eval(f, I)
        guard case .function(let fn) = calleeValue else {
            throw I.error("cannot call \(calleeValue.typeName): it is not a function", at: range)
        }
        if fn.kind == .native, arguments.count > labels.count {
            let native = unsafeDowncast(fn, to: NativeFunction.self)
            if native.dispatchesOnFirstArgument {
                let receiver = try arguments[0].eval(f, I)
                let target = methods.method(dispatching: native, for: receiver, I) ?? native
                return try I.callNative(
                    target, receiver: receiver, arguments.dropFirst(), labels: labels, f, site: range,
                    receiverNode: arguments[0])
            }
        }
        if labels.isEmpty {
            if fn.kind == .closure {
                let closure = unsafeDowncast(fn, to: Closure.self)
                if arguments.count <= closure.proto.parameterCount {
                    return try I.callClosureFast(closure, arguments[...], f, site: range)
                }
            } else {
                let native = unsafeDowncast(fn, to: NativeFunction.self)
                if native.variadic == nil, arguments.count <= native.parameterCount {
                    return try I.callNativeFast(native, receiver: nil, arguments[...], f, site: range)
                }
            }
        }
        let (positional, named) = try evalArguments(arguments, labels, f, I)
        return try I.invoke(
            fn, positional: positional, named: named, site: range,
            sources: ArgumentSources(positional: arguments.prefix(arguments.count - labels.count)))
    }
}

/// A call site's memory of the last object type it saw and that type's method
/// (so a method call in a loop, or a built-in that dispatches on its first
/// argument, looks the method up once).
struct MethodCache {
    private var objectType: ObjectIdentifier? = nil
    private var found: NativeFunction? = nil
    private var function: NativeFunction? = nil

    mutating func method(_ name: String, for value: Value, _ I: Interpreter) -> NativeFunction? {
        guard case .object(let o) = value else { return I.method(name, for: value) }
        let type = ObjectIdentifier(Swift.type(of: o))
        if type != objectType {
            found = I.method(name, for: value)
            objectType = type
        }
        return found
    }

    /// The method a dispatching built-in runs for `value` (nil: the built-in
    /// itself), for call sites whose callee may change (`f(x)` with `f` a variable).
    mutating func method(dispatching global: NativeFunction, for value: Value, _ I: Interpreter) -> NativeFunction? {
        if global !== function {
            function = global
            objectType = nil
        }
        return method(global.name, for: value, I)
    }
}

/// The expressions a call's positional arguments were written as (the
/// receiver of `x.f(…)` first), so an error about a place inside an argument
/// can name it as written: `r.s` rather than `value.s`.
struct ArgumentSources {
    var receiver: Node? = nil
    var positional: ArraySlice<Node> = []

    /// Argument `i` as written, when it is a name (`r`, `model.encoder`).
    func name(_ i: Int) -> String? {
        var i = i
        if let receiver {
            if i == 0 { return receiver.writtenName }
            i -= 1
        }
        return i < positional.count ? positional[positional.startIndex + i].writtenName : nil
    }
}

func evalArguments(
    _ arguments: [Node], _ labels: [String], _ f: Frame, _ I: Interpreter,
    receiver: Value? = nil
) throws(Diagnostic) -> ([Value], [(String, Value)]) {
    var positional: [Value] = []
    positional.reserveCapacity(arguments.count + 1)
    if let receiver { positional.append(receiver) }
    let firstNamed = arguments.count - labels.count
    for i in 0..<firstNamed { positional.append(try arguments[i].eval(f, I)) }
    var named: [(String, Value)] = []
    for (j, label) in labels.enumerated() { named.append((label, try arguments[firstNamed + j].eval(f, I))) }
    return (positional, named)
}

/// `x.name(args)`: a record's function field, else the method `name` of x's
/// type (x is argument 0), else an object's member function, else the global
/// function `name` called with `x` first (`xs.map(f)` is `map(xs, f)`).
final class MethodCallNode: Node {
    let receiver: Node
    let name: String
    let function: GlobalSlot
    let arguments: [Node]
    let labels: [String]
    init(_ receiver: Node, _ name: String, function: GlobalSlot, _ arguments: [Node], labels: [String], _ range: SourceRange) {
        self.receiver = receiver; self.name = name; self.function = function
        self.arguments = arguments; self.labels = labels
        super.init(range)
    }

    private var methods = MethodCache()

    override func eval(_ f: Frame, _ I: Interpreter) throws(Diagnostic) -> Value {
        let r = try receiver.eval(f, I)
        if let method = methods.method(name, for: r, I), !r.isRecordWithField(name) {
            return try I.callNative(method, receiver: r, arguments[...], labels: labels, f, site: range, receiverNode: receiver)
        }
        var target: Value? = nil
        switch r {
        case .record(let rec): target = rec[name]
        case .object(let o):
            do { target = try o.member(name) } catch { throw I.error(error, at: range) }
        default: break
        }
        if let target {
            guard case .function(let fn) = target else {
                throw I.error("cannot call field '\(name)': it is \(target.typeName), not a function", at: range)
            }
            let (positional, named) = try evalArguments(arguments, labels, f, I)
            return try I.invoke(
                fn, positional: positional, named: named, site: range,
                sources: ArgumentSources(positional: arguments.prefix(arguments.count - labels.count)))
        }
        guard function.isDefined, case .function(let fn) = function.value else { throw I.noMember(r, name, at: range) }
        if fn.kind == .native {
            return try I.callNative(
                unsafeDowncast(fn, to: NativeFunction.self), receiver: r, arguments[...], labels: labels, f,
                site: range, receiverNode: receiver)
        }
        let closure = unsafeDowncast(fn, to: Closure.self)
        if labels.isEmpty, arguments.count < closure.proto.parameterCount {
            return try I.callClosureFast(closure, receiver: r, arguments[...], f, site: range)
        }
        let (positional, named) = try evalArguments(arguments, labels, f, I, receiver: r)
        return try I.invoke(
            fn, positional: positional, named: named, site: range,
            sources: ArgumentSources(receiver: receiver, positional: arguments.prefix(arguments.count - labels.count)))
    }
}

/// `fn(x) { … }`: makes a closure, collecting the cells it captures.
final class FunctionNode: Node {
    let proto: FunctionProto
    init(_ proto: FunctionProto, _ range: SourceRange) { self.proto = proto; super.init(range) }
    override func eval(_ f: Frame, _ I: Interpreter) throws(Diagnostic) -> Value {
        var captures = ContiguousArray<Cell>()
        captures.reserveCapacity(proto.captures.count)
        for source in proto.captures {
            switch source {
            case .local(let slot): captures.append(cellIn(f.locals[slot]))
            case .upvalue(let i): captures.append(f.closure.unsafelyUnwrapped.captures[i])
            }
        }
        return .function(Closure(proto: proto, captures: captures))
    }
}

extension Interpreter {
    /// Reserves a frame for `proto` on the value stack; nil when the stack is full.
    @inline(__always)
    private func pushFrame(_ proto: FunctionProto, site: SourceRange) throws(Diagnostic) -> Int {
        let base = stackTop
        guard callDepth < Interpreter.maxCallDepth, stackHasRoom(upTo: base + proto.frameSize) else {
            throw error("call stack too deep (more than \(Interpreter.maxCallDepth) nested calls): is there a recursion without a base case?", at: site)
        }
        stackTop = base + proto.frameSize
        return base
    }

    @inline(__always)
    private func popFrame(_ base: Int, _ proto: FunctionProto) {
        (stack + base).update(repeating: .null, count: proto.frameSize)
        stackTop = base
    }

    /// Positional call with arguments evaluated straight into the new frame.
    func callClosureFast(_ c: Closure, receiver: Value? = nil, _ args: ArraySlice<Node>, _ f: Frame, site: SourceRange) throws(Diagnostic) -> Value {
        let proto = c.proto
        let base = try pushFrame(proto, site: site)
        defer { popFrame(base, proto) }
        let locals = stack + base
        var given = 0
        if let receiver { locals[0] = receiver; given = 1 }
        for node in args { locals[given] = try node.eval(f, self); given += 1 }
        if given < proto.parameterCount || proto.hasCapturedParameters {
            try prepareParameters(c, locals, given: given, site: site)
        }
        return try enter(c, locals, site: site)
    }

    /// Fills missing parameters from their defaults and moves captured ones into
    /// cells, in parameter order: a default may use earlier parameters, and an
    /// inner function in a default may capture them.
    private func prepareParameters(
        _ c: Closure, _ locals: UnsafeMutablePointer<Value>, given: Int,
        filled: [Bool]? = nil, site: SourceRange
    ) throws(Diagnostic) {
        let params = c.proto.parameters
        for i in 0..<params.count {
            if i >= given, !(filled?[i] ?? false) {
                guard let d = params[i].defaultValue else {
                    throw error("missing argument '\(params[i].name)' in call to \(c.proto.signature)", at: site)
                }
                locals[i] = try d.eval(Frame(locals: locals, closure: c), self)
            }
            if params[i].isCaptured { locals[i] = .object(Cell(locals[i])) }
        }
    }

    /// Runs a closure whose frame holds its arguments.
    @inline(__always)
    private func enter(_ c: Closure, _ locals: UnsafeMutablePointer<Value>, site: SourceRange) throws(Diagnostic) -> Value {
        let proto = c.proto
        if Interrupt.isRequested { throw interrupted(at: site) }
        callRecords[callDepth] = CallRecord(c, site)
        callDepth += 1
        defer { callDepth -= 1 }
        var result = try proto.body.eval(Frame(locals: locals, closure: c), self)
        if signal == .returning {
            result = returnValue
            returnValue = .null
            signal = .none
        }
        return result
    }

    /// The general call: positional and named arguments, closures and natives.
    func invoke(
        _ fn: Callable, positional: [Value], named: [(String, Value)], site: SourceRange?,
        sources: ArgumentSources = ArgumentSources()
    ) throws(Diagnostic) -> Value {
        if fn.kind == .native {
            var native = unsafeDowncast(fn, to: NativeFunction.self)
            if native.dispatchesOnFirstArgument, let first = positional.first, let method = method(native.name, for: first) {
                native = method
            }
            return try callNative(native, positional, named, site: site, sources: sources)
        }
        let c = unsafeDowncast(fn, to: Closure.self)
        let proto = c.proto
        let site = site ?? proto.range
        let params = proto.parameters
        guard positional.count <= params.count else {
            throw error(
                "\(proto.signature) takes \(countText(params.count, "argument")) but \(positional.count) \(positional.count == 1 ? "was" : "were") given",
                at: site)
        }
        let base = try pushFrame(proto, site: site)
        defer { popFrame(base, proto) }
        let locals = stack + base
        for (i, v) in positional.enumerated() { locals[i] = v }
        let filled = try matchNamed(
            named, parameters: params.map(\.name), given: positional.count,
            function: proto.signature, site: site
        ) { locals[$0] = $1 }
        try prepareParameters(c, locals, given: positional.count, filled: filled, site: site)
        return try enter(c, locals, site: site)
    }

    /// Places named arguments by parameter name (after `given` positional ones);
    /// returns which parameters are filled. Unknown and repeated names are errors.
    private func matchNamed(
        _ named: [(String, Value)], parameters: [String], given: Int, function: String,
        site: SourceRange, store: (Int, Value) -> Void
    ) throws(Diagnostic) -> [Bool] {
        var filled = [Bool](repeating: false, count: parameters.count)
        for i in 0..<given { filled[i] = true }
        for (label, v) in named {
            guard let i = parameters.firstIndex(of: label) else {
                let hint = closestName(to: label, in: parameters).map { "; did you mean '\($0)'?" } ?? ""
                throw error("\(function) has no parameter named '\(label)'\(hint)", at: site)
            }
            if filled[i] { throw error("argument '\(label)' given twice in call to \(function)", at: site) }
            store(i, v)
            filled[i] = true
        }
        return filled
    }

    /// A native called with `receiver` (already evaluated; nil for none) as
    /// argument 0, then `args`: straight onto the value stack when the
    /// arguments are positional and fit, else through `invoke`.
    func callNative(
        _ fn: NativeFunction, receiver: Value?, _ args: ArraySlice<Node>, labels: [String], _ f: Frame,
        site: SourceRange, receiverNode: Node? = nil
    ) throws(Diagnostic) -> Value {
        let given = args.count + (receiver == nil ? 0 : 1)
        if labels.isEmpty, fn.variadic == nil, given <= fn.parameterCount {
            return try callNativeFast(fn, receiver: receiver, args, f, site: site, receiverNode: receiverNode)
        }
        let (positional, named) = try evalArguments(Array(args), labels, f, self, receiver: receiver)
        return try callNative(
            fn, positional, named, site: site,
            sources: ArgumentSources(receiver: receiverNode, positional: args.prefix(args.count - labels.count)))
    }

    /// A native call with positional arguments only (after `receiver`, when
    /// given): they are evaluated straight onto the value stack, defaults
    /// filled there, and no array is allocated.
    func callNativeFast(
        _ fn: NativeFunction, receiver: Value?, _ args: ArraySlice<Node>, _ f: Frame, site: SourceRange,
        receiverNode: Node? = nil
    ) throws(Diagnostic) -> Value {
        let count = fn.parameterCount
        let base = stackTop
        guard stackHasRoom(upTo: base + count) else {
            throw error("call stack too deep (more than \(Interpreter.maxCallDepth) nested calls)", at: site)
        }
        stackTop = base + count
        defer {
            (stack + base).update(repeating: .null, count: count)
            stackTop = base
        }
        var next = base
        if let receiver { stack[next] = receiver; next += 1 }
        for node in args { stack[next] = try node.eval(f, self); next += 1 }
        for i in (next - base)..<count {
            guard let d = fn.parameters[i].defaultValue else {
                throw error("missing argument '\(fn.parameters[i].name)' in call to \(fn.signature)", at: site)
            }
            stack[base + i] = d
        }
        do {
            return try runNative(fn, base: base, rest: [], site: site)
        } catch {
            throw nativeFailure(error, fn, site: site, sources: ArgumentSources(receiver: receiverNode, positional: args))
        }
    }

    private func callNative(
        _ fn: NativeFunction, _ positional: [Value], _ named: [(String, Value)], site: SourceRange?,
        sources: ArgumentSources
    ) throws(Diagnostic) -> Value {
        let site = site ?? calls.last?.siteRange ?? SourceRange(source: Source(name: "<native>", text: ""), start: SourceLocation(line: 1, column: 1))
        let params = fn.parameters
        // Positional arguments fill the parameters up to the first named-only one.
        let positionalSlots = fn.positionalCount
        if positional.count > positionalSlots, fn.variadic == nil {
            let allowed = positionalSlots == 0 ? "no arguments" : "at most \(countText(positionalSlots, "argument"))"
            throw error("'\(fn.name)' takes \(allowed) but \(positional.count) \(positional.count == 1 ? "was" : "were") given: \(fn.signature)", at: site)
        }
        var values: [Value]
        var rest: [Value] = []
        if named.isEmpty, positional.count == params.count, positionalSlots == params.count {
            values = positional  // the common case: nothing to match or default
        } else {
            values = [Value](repeating: .null, count: params.count)
            let direct = min(positional.count, positionalSlots)
            for i in 0..<direct { values[i] = positional[i] }
            let passed = try matchNamed(
                named, parameters: params.map(\.name), given: direct,
                function: fn.signature, site: site
            ) { values[$0] = $1 }
            for i in 0..<params.count where !passed[i] {
                guard let d = params[i].defaultValue else {
                    throw error("missing argument '\(params[i].name)' in call to \(fn.signature)", at: site)
                }
                values[i] = d
            }
            if positional.count > positionalSlots { rest = Array(positional[positionalSlots...]) }
        }
        let base = stackTop
        guard stackHasRoom(upTo: base + values.count) else {
            throw error("call stack too deep (more than \(Interpreter.maxCallDepth) nested calls)", at: site)
        }
        stackTop = base + values.count
        defer {
            (stack + base).update(repeating: .null, count: values.count)
            stackTop = base
        }
        for (i, v) in values.enumerated() { stack[base + i] = v }
        do {
            return try runNative(fn, base: base, rest: rest, site: site)
        } catch {
            throw nativeFailure(error, fn, site: site, sources: sources)
        }
    }

    /// Runs a native whose parameters are in stack slots from `base`; what it
    /// throws comes back as thrown (see `nativeFailure`), after its call record
    /// is popped, so the error belongs to the caller's frame.
    @inline(__always)
    private func runNative(_ fn: NativeFunction, base: Int, rest: [Value], site: SourceRange) throws -> Value {
        guard callDepth < Interpreter.maxCallDepth else {
            throw error("call stack too deep (more than \(Interpreter.maxCallDepth) nested calls)", at: site)
        }
        let values = UnsafeBufferPointer(start: stack + base, count: fn.parameterCount)
        if fn.checksArguments, let rejection = fn.rejection(values, rest: rest) { throw rejection }
        var args = Arguments(function: fn, values: values, rest: rest, interpreter: self)
        callRecords[callDepth] = CallRecord(fn, site)
        callDepth += 1
        defer { callDepth -= 1 }
        return try fn.body(&args)
    }

    /// A native's error as reported at its call site, naming an argument as
    /// written there when the message is about a place inside it. Built only
    /// on failure, so calls that succeed pay nothing for the argument names.
    private func nativeFailure(_ failure: any Error, _ fn: NativeFunction, site: SourceRange, sources: ArgumentSources) -> Diagnostic {
        switch failure {
        case let e as NativeError:
            if e.isInterruption { return interrupted(at: site) }
            return e.underlying ?? error(e.message(argumentNames: sources.name), at: site)
        case let d as Diagnostic: return d
        default: return error("\(fn.name): \(failure)", at: site)
        }
    }
}

/// "1 argument", "2 arguments", "no arguments".
func countText(_ n: Int, _ noun: String) -> String {
    n == 0 ? "no \(noun)s" : "\(n) \(noun)\(n == 1 ? "" : "s")"
}
