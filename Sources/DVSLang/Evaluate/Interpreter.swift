/// Runs DVS code: owns the namespaces (built-ins, the main program's globals,
/// each loaded module's), the value stack that holds every call's local slots,
/// the DVS call stack for traces, and loaded modules.
/// One interpreter is one session (a script run, a REPL, a notebook).
public final class Interpreter {
    /// Deepest DVS call nesting; deeper recursion is the error "call stack too deep".
    public static let maxCallDepth = 10_000
    static let stackCapacity = 1 << 18

    // MARK: Evaluation state (used by the nodes)
    /// Room for `stackCapacity` values, of which the first `stackReady` are
    /// initialized (the rest is untouched memory, so a session that never
    /// recurses deeply never pays for a 4 MB stack).
    let stack: UnsafeMutablePointer<Value>
    var stackTop = 0
    private var stackReady = 0
    var callDepth = 0
    /// DVS calls in progress, outermost first (`callDepth` of them): who was
    /// called and from where. Preallocated, so recording a call is one store.
    let callRecords: UnsafeMutablePointer<CallRecord>
    /// Set by `break`, `continue` and `return`; cleared by the loop or call that handles it.
    var signal: Signal = .none
    /// Loop iterations left before `checkLoop` next reads the memory limit.
    var loopTicks = 65_536
    var returnValue: Value = .null

    enum Signal { case none, breakLoop, continueLoop, returning }

    // MARK: Session state
    /// Natives, constants and host values (`Out`, `_`): behind every namespace.
    let builtins = Namespace(name: "built-ins", builtins: nil)
    /// The globals of scripts, REPL cells and notebook cells.
    let main: Namespace
    /// Where printed output goes (the REPL and notebooks capture it).
    public var output: (String) -> Void = StandardOutput.write
    /// Where `progress` writes its line: nil (the default) sends it through
    /// `output` with a newline, like `print`; the command line sets
    /// `StandardOutput.writeProgress` when stdout is a terminal, so that each
    /// call rewrites one line in place.
    public var progressOutput: ((String) -> Void)?
    /// Where `input()` reads a line (without its newline; nil at the end):
    /// standard input, or nothing (notebooks, which have no reader).
    public var readInputLine: () -> String? = { readLine(strippingNewline: true) }
    /// `args()` for scripts.
    public var arguments: [String] = []
    /// Folders searched by `import "name"` after the importing script's own folder.
    public var moduleSearchPaths: [String] = []
    var modules = ModuleLoader()
    /// Value type → method name → native taking the receiver first (see `defineMethods`).
    var methods: [String: [String: NativeFunction]] = [:]
    /// Whether any non-object type (list, string…) has methods; until then
    /// `method(_:for:)` answers for them without a lookup.
    private var plainValueMethods = false
    /// Per-session state for higher layers (the runtime's RNG, display settings…).
    public var extensions: [String: AnyObject] = [:]

    public init() {
        main = Namespace(name: "main", builtins: builtins)
        stack = UnsafeMutablePointer<Value>.allocate(capacity: Interpreter.stackCapacity)
        callRecords = UnsafeMutablePointer<CallRecord>.allocate(capacity: Interpreter.maxCallDepth + 1)
    }

    /// Whether stack slots below `top` may be used (initializing more of the
    /// stack when needed); false when `top` is past its capacity.
    @inline(__always)
    func stackHasRoom(upTo top: Int) -> Bool {
        top <= stackReady || prepareStack(upTo: top)
    }

    @inline(never)
    private func prepareStack(upTo top: Int) -> Bool {
        guard top <= Interpreter.stackCapacity else { return false }
        let ready = min(max(top, 2 * stackReady, 4096), Interpreter.stackCapacity)
        (stack + stackReady).initialize(repeating: .null, count: ready - stackReady)
        stackReady = ready
        return true
    }

    /// The source in which the innermost call in progress is written: for a
    /// native function, the script, module, cell or `-e` text that called it.
    public var callerSource: Source? { callDepth > 0 ? callRecords[callDepth - 1].source : nil }

    /// The calls in progress, innermost last.
    var calls: UnsafeMutableBufferPointer<CallRecord> { UnsafeMutableBufferPointer(start: callRecords, count: callDepth) }

    deinit {
        stack.deinitialize(count: stackReady)
        stack.deallocate()
        callRecords.deallocate()
    }

    // MARK: - Globals

    /// Binds a built-in (natives, constants, `Out`…), visible in every
    /// namespace that does not declare the name itself. Replaces an earlier binding.
    public func define(_ name: String, _ value: Value, mutable: Bool = false) {
        let slot = builtins.ownSlot(name)
        slot.value = value
        slot.isDefined = true
        slot.isMutable = mutable
        slot.isBuiltin = true
    }

    public func define(_ native: NativeFunction) {
        define(native.name, .function(native))
        if methods.values.contains(where: { $0[native.name].map { $0 !== native } ?? false }) {
            native.dispatchesOnFirstArgument = true
        }
    }

    /// The value a name has in the main program (its own global, else a built-in), or nil.
    public func global(_ name: String) -> Value? { main.value(name) }

    /// Names defined in the main program and the built-ins.
    public var globalNames: [String] { Array(Set(main.ownNames + builtins.ownNames)) }

    /// Names the main program declared itself (not built-ins).
    public var programNames: [String] { main.ownNames }

    /// The main program's and the built-ins' bindings, to restore when a REPL cell fails.
    public struct Snapshot {
        fileprivate let entries: [(GlobalSlot, Value, Bool, Bool)]
    }

    public func snapshot() -> Snapshot {
        Snapshot(entries: (Array(main.slots.values) + Array(builtins.slots.values)).map { ($0, $0.value, $0.isDefined, $0.isMutable) })
    }

    public func restore(_ snapshot: Snapshot) {
        var kept = Set<ObjectIdentifier>()
        for (slot, value, defined, mutable) in snapshot.entries {
            slot.value = value
            slot.isDefined = defined
            slot.isMutable = mutable
            kept.insert(ObjectIdentifier(slot))
        }
        for slot in Array(main.slots.values) + Array(builtins.slots.values) where !kept.contains(ObjectIdentifier(slot)) {
            slot.isDefined = false
            slot.value = .null
        }
    }

    // MARK: - Methods

    /// Registers methods of a value type (`type(x)`: "tensor", "image",
    /// "list"…): natives whose first parameter is the receiver. `x.f(a)` runs
    /// x's method `f` with x as argument 0, and a built-in function of the
    /// same name dispatches to it when its first argument has that type.
    public func defineMethods(_ natives: [NativeFunction], for type: String) {
        if Interpreter.plainValueTypes.contains(type) { plainValueMethods = true }
        for native in natives {
            methods[type, default: [:]][native.name] = native
            if case .function(let f)? = builtins.slots[native.name]?.value, f.kind == .native, f !== native {
                unsafeDowncast(f, to: NativeFunction.self).dispatchesOnFirstArgument = true
            }
        }
    }

    /// The method `name` of `value`'s type, if it has one.
    @inline(__always)
    func method(_ name: String, for value: Value) -> NativeFunction? {
        if case .object = value {} else if !plainValueMethods { return nil }
        return methods[value.typeName]?[name]
    }

    /// Type names of values that are not objects.
    private static let plainValueTypes: Set<String> = ["nil", "bool", "number", "string", "list", "record", "range", "function"]

    /// The methods called `name`, by type name (sorted), for help.
    public func methods(named name: String) -> [(type: String, method: NativeFunction)] {
        methods.keys.sorted().compactMap { type in methods[type]?[name].map { (type, $0) } }
    }

    /// Names of the methods of a value's type (for completion).
    public func methodNames(for value: Value) -> [String] { methods[value.typeName].map { Array($0.keys) } ?? [] }

    /// Forgets every loaded module, so the next `import` runs it again (`:reset`).
    public func forgetModules() { modules.loaded = [:] }

    // MARK: - Running code

    /// The result of running a source: the value of its last statement, and
    /// whether that statement was an expression (the REPL echoes only those).
    public struct Result {
        public let value: Value
        public let isExpression: Bool
    }

    /// Parses, resolves and runs `source` at top level.
    @discardableResult
    public func run(_ source: Source) throws(Diagnostic) -> Result {
        let statements = try Parser.parse(source)
        // A script file counts as a module being loaded, so importing it back is a cycle.
        let file = modules.canonicalPath(source.name)
        if let file { modules.loading.append(file) }
        defer { if file != nil { modules.loading.removeLast() } }
        return try run(statements, source: source)
    }

    func run(_ statements: [Expr], source: Source) throws(Diagnostic) -> Result {
        let chunk = try Resolver.resolveChunk(statements, source: source, namespace: main)
        let value = try execute(chunk)
        var isExpression = false
        if let last = statements.last {
            switch last.kind {
            case .declaration, .destructuring, .functionDeclaration, .assignment, .import, .for, .while: isExpression = false
            default: isExpression = true
            }
        }
        return Result(value: value, isExpression: isExpression)
    }

    /// Runs a top-level chunk in a fresh frame. After an error the interpreter
    /// is reset to a clean state for the next run.
    func execute(_ chunk: FunctionProto) throws(Diagnostic) -> Value {
        let base = stackTop
        guard stackHasRoom(upTo: base + chunk.frameSize) else {
            throw Diagnostic(.runtime, "call stack too deep", at: chunk.range)
        }
        stackTop += chunk.frameSize
        defer {
            (stack + base).update(repeating: .null, count: chunk.frameSize)
            stackTop = base
        }
        do {
            let value = try chunk.body.eval(Frame(locals: stack + base, closure: nil), self)
            signal = .none
            returnValue = .null
            return value
        } catch {
            signal = .none
            returnValue = .null
            if base == 0 { callDepth = 0 }
            throw error
        }
    }

    /// Calls a function value from Swift (tests, the runtime, REPL hooks).
    public func call(_ f: Callable, _ args: [Value]) throws(Diagnostic) -> Value {
        try invoke(f, positional: args, named: [], site: nil)
    }

    func callFromNative(_ f: Callable, _ args: [Value]) throws(NativeError) -> Value {
        do {
            return try invoke(f, positional: args, named: [], site: calls.last?.siteRange)
        } catch {
            throw NativeError(wrapping: error)
        }
    }

    // MARK: - Errors

    /// A runtime error at `range`, with the current DVS call stack.
    func error(_ message: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(.runtime, message, at: range, stack: stackTrace(at: range))
    }

    /// The diagnostic for a native's error at `range`: a failed DVS callback's
    /// own diagnostic, the interrupt for `NativeError.interrupted`, else a
    /// runtime error with the native's message.
    func error(_ e: NativeError, at range: SourceRange) -> Diagnostic {
        if let underlying = e.underlying { return underlying }
        if e.isInterruption { return interrupted(at: range) }
        return error(e.message, at: range)
    }

    /// The DVS stack at `range`, innermost first. Runs of the same frame (deep
    /// recursion) are folded into one entry, and at most 40 entries are kept.
    func stackTrace(at range: SourceRange) -> [StackEntry] {
        var entries: [StackEntry] = []
        var repeats = 0
        var omitted = 0
        func add(_ entry: StackEntry) {
            if let last = entries.last, last.function == entry.function, last.location == entry.location {
                repeats += 1
                return
            }
            flushRepeats()
            if entries.count >= 40 { omitted += 1; return }
            entries.append(entry)
        }
        func flushRepeats() {
            if repeats > 0 { entries.append(StackEntry(function: "… the frame above, \(repeats) more time\(repeats == 1 ? "" : "s")", location: "")) }
            repeats = 0
        }
        var location = range
        for call in calls.reversed() {
            add(StackEntry(function: call.callee.name, location: location.description))
            location = call.siteRange
        }
        add(StackEntry(function: "<top level>", location: location.description))
        flushRepeats()
        if omitted > 0 { entries.append(StackEntry(function: "… \(omitted) more frames", location: "")) }
        return entries
    }

    /// The closest known global name to `name`, for "did you mean" hints.
    func suggestion(for name: String, among extra: [String] = []) -> String? {
        closestName(to: name, in: globalNames + extra)
    }
}

/// A global variable. Nodes hold their slot directly, so a global access is
/// one pointer step, not a dictionary lookup.
final class GlobalSlot {
    let name: String
    var value: Value = .null
    var isDefined = false
    var isMutable = false
    /// Defined by the host (built-ins, `Out`, `_`) rather than by a DVS declaration.
    var isBuiltin = false
    init(name: String) { self.name = name }
}

/// A call in progress. Unowned references (the callee and the call site's
/// source outlive the call), so recording a call costs no reference counting.
struct CallRecord {
    unowned(unsafe) let callee: Callable
    unowned(unsafe) let source: Source
    let location: SourceLocation

    init(_ callee: Callable, _ site: SourceRange) {
        self.callee = callee
        self.source = site.source
        self.location = site.start
    }

    var siteRange: SourceRange { SourceRange(source: source, start: location) }
}

/// One call's view of the value stack: its local slots and its closure.
struct Frame {
    let locals: UnsafeMutablePointer<Value>
    /// The running closure (nil for top-level code): where upvalues come from.
    let closure: Closure?
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The candidate within a small edit distance (Levenshtein) of `name`, for
/// "did you mean" hints; nil when none is close.
public func closestName(to name: String, in candidates: [String]) -> String? {
    let a = Array(name.lowercased())
    guard a.count >= 3 else { return nil }  // one- and two-letter names match too much
    var best: (String, Int)? = nil
    for candidate in candidates where candidate != name {
        let b = Array(candidate.lowercased())
        if abs(a.count - b.count) > 2 { continue }
        var prev = Array(0...b.count)
        for i in 1...a.count {
            var cur = [i] + Array(repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            prev = cur
        }
        let d = prev[b.count]
        let limit = max(1, min(2, a.count / 3))
        if d <= limit, best == nil || d < best!.1 || (d == best!.1 && candidate < best!.0) { best = (candidate, d) }
    }
    return best?.0
}
