/// Compiles the syntax tree into evaluation nodes, binding every name once:
/// to a slot in its function's frame, to a cell (when an inner function
/// captures it), to an upvalue (a cell captured from outside), or to a global
/// slot. Scoping rules:
/// - `{ … }` blocks, `for` variables and function parameters open scopes;
/// - a `let`'s value is resolved before its name exists (`let x = x + 1` reads
///   the outer x), a `fn` declaration's name exists inside its body (recursion);
/// - names declared at the top level of a script, module or REPL cell are globals
///   of its namespace (a module's own, or the main program's);
/// - other names are that namespace's globals when it has or declares them, else
///   built-ins, else unknown globals checked when they run (so functions may
///   refer to globals defined later in the same chunk).
struct Resolver {
    private final class Local {
        let name: String
        let slot: Int
        let mutable: Bool
        let isCaptured: Bool
        init(name: String, slot: Int, mutable: Bool, isCaptured: Bool) {
            self.name = name; self.slot = slot; self.mutable = mutable; self.isCaptured = isCaptured
        }
    }

    private final class FunctionContext {
        let parent: FunctionContext?
        let isChunk: Bool
        var scopes: [[String: Local]] = [[:]]
        var nextSlot = 0
        var frameSize = 0
        var captures: [FunctionProto.CaptureSource] = []
        var captureIndex: [ObjectIdentifier: Int] = [:]
        var loopDepth = 0
        /// Whether the statement being resolved is where `break`/`continue`/
        /// `return` can simply set the signal: a statement of a function body,
        /// loop body or top level, or of blocks and `if` branches in such a place.
        var atSafeStatement = true
        /// Escaping control transfers not yet enclosed by a `ControlBoundaryNode`.
        var pendingEscapes = 0
        init(parent: FunctionContext?, isChunk: Bool) {
            self.parent = parent
            self.isChunk = isChunk
        }
        func find(_ name: String) -> Local? {
            for scope in scopes.reversed() { if let l = scope[name] { return l } }
            return nil
        }
    }

    private let source: Source
    private let namespace: Namespace
    /// Every name the chunk declares at its top level (read before it is declared,
    /// such a name is still the chunk's own global, not a built-in).
    private let topLevelNames: Set<String>
    private let captured: Set<CaptureAnalysis.Key>
    private var context: FunctionContext
    private var declaredGlobals: [String] = []

    /// Compiles a top-level chunk (script, module, REPL cell) whose globals live in `namespace`.
    static func resolveChunk(_ statements: [Expr], source: Source, namespace: Namespace) throws(Diagnostic) -> FunctionProto {
        var r = Resolver(
            source: source, namespace: namespace, topLevelNames: topLevelDeclarations(statements),
            captured: CaptureAnalysis.analyse(chunk: statements),
            context: FunctionContext(parent: nil, isChunk: true))
        var nodes: [Node] = []
        for s in statements { nodes.append(try r.statement(s)) }
        let range = statements.first?.range ?? SourceRange(source: source, start: SourceLocation(line: 1, column: 1))
        return FunctionProto(
            name: "<top level>", parameters: [], body: BlockNode(nodes, range), frameSize: r.context.frameSize,
            captures: [], declaredGlobals: r.declaredGlobals, range: range, doc: nil)
    }

    private init(
        source: Source, namespace: Namespace, topLevelNames: Set<String>, captured: Set<CaptureAnalysis.Key>,
        context: FunctionContext
    ) {
        self.source = source
        self.namespace = namespace
        self.topLevelNames = topLevelNames
        self.captured = captured
        self.context = context
    }

    /// Names declared by the chunk's top-level statements (`let`, `var`, `fn`, imports).
    private static func topLevelDeclarations(_ statements: [Expr]) -> Set<String> {
        var names = Set<String>()
        for s in statements {
            switch s.kind {
            case .declaration(let name, _, _): names.insert(name)
            case .destructuring(let list, _, _, _): names.formUnion(list)
            case .functionDeclaration(let decl): if let name = decl.name { names.insert(name) }
            case .import(_, let binding): names.formUnion(binding.declaredNames)
            default: break
            }
        }
        return names
    }

    /// The global slot a name read here refers to.
    private func globalSlot(_ name: String) -> GlobalSlot {
        namespace.slot(for: name, declaredHere: topLevelNames.contains(name))
    }

    private func error(_ message: String, _ range: SourceRange) -> Diagnostic {
        Diagnostic(.syntax, message, at: range)
    }

    private var atTopLevel: Bool { context.isChunk && context.scopes.count == 1 }

    // MARK: - Scopes

    private mutating func withScope<T>(_ body: (inout Resolver) throws(Diagnostic) -> T) throws(Diagnostic) -> T {
        context.scopes.append([:])
        let savedSlot = context.nextSlot
        defer {
            context.scopes.removeLast()
            context.nextSlot = savedSlot  // sibling blocks reuse slots
        }
        return try body(&self)
    }

    private mutating func declareLocal(_ name: String, mutable: Bool, key: CaptureAnalysis.Key, _ range: SourceRange) throws(Diagnostic) -> Local {
        if context.scopes[context.scopes.count - 1][name] != nil {
            throw error("'\(name)' is already declared in this scope", range)
        }
        let local = Local(name: name, slot: context.nextSlot, mutable: mutable, isCaptured: captured.contains(key))
        context.nextSlot += 1
        context.frameSize = max(context.frameSize, context.nextSlot)
        context.scopes[context.scopes.count - 1][name] = local
        return local
    }

    /// Index of `local` (declared in an enclosing function) among `ctx`'s captures.
    private func upvalue(_ local: Local, owner: FunctionContext, in ctx: FunctionContext) -> Int {
        if let i = ctx.captureIndex[ObjectIdentifier(local)] { return i }
        let source: FunctionProto.CaptureSource
        if ctx.parent === owner {
            source = .local(local.slot)
        } else {
            source = .upvalue(upvalue(local, owner: owner, in: ctx.parent!))
        }
        ctx.captures.append(source)
        ctx.captureIndex[ObjectIdentifier(local)] = ctx.captures.count - 1
        return ctx.captures.count - 1
    }

    private enum Binding {
        case local(Local)
        case upvalue(Local, Int)
        case global(GlobalSlot)
    }

    private func lookup(_ name: String) -> Binding {
        if let l = context.find(name) { return .local(l) }
        var ctx = context.parent
        while let c = ctx {
            if let l = c.find(name) { return .upvalue(l, upvalue(l, owner: c, in: context)) }
            ctx = c.parent
        }
        return .global(globalSlot(name))
    }

    private func visibleLocalNames() -> [String] {
        var names: [String] = []
        var ctx: FunctionContext? = context
        while let c = ctx {
            for scope in c.scopes { names += scope.keys }
            ctx = c.parent
        }
        return names
    }

    private func get(_ name: String, _ range: SourceRange) -> Node {
        switch lookup(name) {
        case .local(let l): return l.isCaptured ? CellGet(l.slot, range) : LocalGet(l.slot, range)
        case .upvalue(_, let i): return UpvalueGet(i, range)
        case .global(let g): return GlobalGet(g, visibleLocals: visibleLocalNames(), range)
        }
    }

    private func set(_ name: String, _ value: Node, _ range: SourceRange) throws(Diagnostic) -> Node {
        switch lookup(name) {
        case .local(let l):
            guard l.mutable else { throw constError(name, range) }
            return l.isCaptured ? CellSet(l.slot, value, range) : LocalSet(l.slot, value, range)
        case .upvalue(let l, let i):
            guard l.mutable else { throw constError(name, range) }
            return UpvalueSet(i, value, range)
        case .global(let g):
            return GlobalSet(g, value, range)
        }
    }

    private func constError(_ name: String, _ range: SourceRange) -> Diagnostic {
        error("cannot assign to '\(name)': it was declared with 'let' (use 'var' for a variable)", range)
    }

    /// `let`/`var`/`fn` name = value, as a global at top level, else a local.
    private mutating func declare(
        _ name: String, mutable: Bool, _ range: SourceRange,
        valueBeforeName: Bool, value: (inout Resolver) throws(Diagnostic) -> Node?
    ) throws(Diagnostic) -> Node {
        if atTopLevel {
            if declaredGlobals.contains(name) { throw error("'\(name)' is already declared at the top level", range) }
            declaredGlobals.append(name)
            return GlobalDeclare(namespace.ownSlot(name), try value(&self), mutable: mutable, range)
        }
        let key = CaptureAnalysis.Key(range, name)
        if valueBeforeName {
            let v = try value(&self)
            let local = try declareLocal(name, mutable: mutable, key: key, range)
            return local.isCaptured ? CellDeclare(local.slot, v, range) : LocalSet(local.slot, v ?? ConstantNode(.null, range), range)
        }
        let local = try declareLocal(name, mutable: mutable, key: key, range)
        let v = try value(&self)
        return local.isCaptured ? CellDeclare(local.slot, v, range) : LocalSet(local.slot, v ?? ConstantNode(.null, range), range)
    }

    // MARK: - Statements and expressions

    private mutating func statement(_ e: Expr) throws(Diagnostic) -> Node {
        let safe = context.atSafeStatement
        let escapesBefore = context.pendingEscapes
        var node = try statementBody(e, safe: safe)
        if safe, context.pendingEscapes > escapesBefore {
            node = ControlBoundaryNode(node)
            context.pendingEscapes = escapesBefore
        }
        return node
    }

    /// `break`/`continue`/`return` in an expression unwind it by throwing.
    private mutating func controlTransfer(_ node: Node, safe: Bool) -> Node {
        if safe { return node }
        context.pendingEscapes += 1
        return EscapingControlNode(node)
    }

    private mutating func statementBody(_ e: Expr, safe: Bool) throws(Diagnostic) -> Node {
        switch e.kind {
        case .declaration(let name, let mutable, let value):
            return try declare(name, mutable: mutable, e.range, valueBeforeName: true) { (r: inout Resolver) throws(Diagnostic) in
                try value.map { v throws(Diagnostic) in try r.expression(v) }
            }
        case .functionDeclaration(let decl):
            let name = decl.name ?? "<fn>"
            return try declare(name, mutable: false, e.range, valueBeforeName: false) { (r: inout Resolver) throws(Diagnostic) in
                try r.function(decl, e.range)
            }
        case .destructuring(let names, let fromRecord, let mutable, let value):
            let source = try expression(value)
            let unpacked = UnpackedValues()
            var declarations: [Node] = []
            for (i, name) in names.enumerated() {
                declarations.append(try declare(name, mutable: mutable, e.range, valueBeforeName: true) { _ in UnpackedNode(unpacked, i, e.range) })
            }
            return DestructureNode(source, names: names, fromRecord: fromRecord, into: unpacked, declarations, e.range)
        case .import(let path, .module(let name)):
            return try declare(name, mutable: false, e.range, valueBeforeName: true) { _ in ImportNode(path, e.range) }
        case .import(let path, .names(let names)):
            let module = ImportNode(path, e.range)
            var nodes: [Node] = []
            for name in names {
                nodes.append(try declare(name, mutable: false, e.range, valueBeforeName: true) { _ in ImportedNameNode(module, name, e.range) })
            }
            return BlockNode(nodes, e.range)
        case .assignment(let target, let op, let value):
            return try assignment(target, op, value, e.range)
        case .break, .continue:
            guard context.loopDepth > 0 else {
                throw error("'\(e.kind.isBreak ? "break" : "continue")' outside of a loop", e.range)
            }
            return controlTransfer(e.kind.isBreak ? BreakNode(e.range) : ContinueNode(e.range), safe: safe)
        case .return(let value):
            guard context.parent != nil else { throw error("'return' outside of a function", e.range) }
            return controlTransfer(ReturnNode(try value.map { v throws(Diagnostic) in try expression(v) }, e.range), safe: safe)
        default:
            return try expression(e, asStatement: safe)
        }
    }

    private mutating func assignment(_ target: Expr, _ op: BinaryOperator?, _ value: Expr, _ range: SourceRange) throws(Diagnostic) -> Node {
        let v = try expression(value)
        switch target.kind {
        case .name(let name):
            let newValue = op.map { BinaryNode($0, get(name, target.range), v, range) } ?? v
            return try set(name, newValue, target.range)
        case .index(let container, let comps):
            return SetIndexNode(try expression(container), try indexComponents(comps), v, op: op, target.range)
        case .member(let container, let name):
            return SetMemberNode(try expression(container), name, v, op: op, target.range)
        default:
            throw error("cannot assign to this expression", target.range)
        }
    }

    /// Compiles an expression. `asStatement`: it is a statement in a safe place
    /// (see `atSafeStatement`), so its blocks' statements are too.
    private mutating func expression(_ e: Expr, asStatement: Bool = false) throws(Diagnostic) -> Node {
        let saved = context.atSafeStatement
        context.atSafeStatement = asStatement
        defer { context.atSafeStatement = saved }
        let range = e.range
        switch e.kind {
        case .number(let n): return ConstantNode(.number(n), range)
        case .string(let s): return ConstantNode(.string(s), range)
        case .bool(let b): return ConstantNode(.bool(b), range)
        case .null: return ConstantNode(.null, range)
        case .interpolated(let parts):
            var out: [InterpolationNode.Part] = []
            for part in parts {
                switch part {
                case .text(let t): out.append(.text(t))
                case .expr(let x, let spec): out.append(.value(try expression(x), spec: spec))
                }
            }
            return InterpolationNode(out, range)
        case .name(let name): return get(name, range)
        case .list(let items):
            var nodes: [Node] = []
            for item in items { nodes.append(try expression(item)) }
            return ListNode(nodes, range)
        case .record(let fields):
            var values: [Node] = []
            for f in fields { values.append(try expression(f.value)) }
            return RecordNode(fields.map(\.key), values, range)
        case .unary(.negate, let x): return NegateNode(try expression(x), range)
        case .unary(.not, let x): return NotNode(try expression(x), range)
        case .binary(let op, let a, let b):
            if case .number(let n) = b.kind, op != .rangeExclusive, op != .rangeInclusive {
                return BinaryConstantNode(op, try expression(a), n, range)
            }
            return BinaryNode(op, try expression(a), try expression(b), range)
        case .logical(let op, let a, let b): return LogicalNode(isAnd: op == .and, try expression(a), try expression(b), range)
        case .call(let callee, let args):
            var nodes: [Node] = []
            for a in args { nodes.append(try expression(a.value)) }
            let labels = args.compactMap(\.label)
            if case .member(let receiver, let name) = callee.kind {
                return MethodCallNode(try expression(receiver), name, function: globalSlot(name), nodes, labels: labels, callee.range)
            }
            return CallNode(try expression(callee), nodes, labels: labels, range)
        case .member(let x, let name):
            return MemberNode(try expression(x), name, function: globalSlot(name), range)
        case .index(let x, let comps):
            return IndexNode(try expression(x), try indexComponents(comps), range)
        case .function(let decl): return try function(decl, range)
        case .block(let statements):
            return try withScope { (r: inout Resolver) throws(Diagnostic) in
                var nodes: [Node] = []
                for s in statements { nodes.append(try r.statement(s)) }
                // A one-statement block needs no node of its own at run time.
                return nodes.count == 1 ? nodes[0] : BlockNode(nodes, range)
            }
        case .if(let c, let t, let o):
            return IfNode(
                try expression(c), try expression(t, asStatement: asStatement),
                try o.map { x throws(Diagnostic) in try expression(x, asStatement: asStatement) }, range)
        case .while(let c, let body):
            let cond = try expression(c)
            context.loopDepth += 1
            defer { context.loopDepth -= 1 }
            return WhileNode(cond, try expression(body, asStatement: true), range)
        case .for(let vars, let iterable, let body):
            let seq = try expression(iterable)
            return try withScope { (r: inout Resolver) throws(Diagnostic) in
                var loopVars: [LoopVariable] = []
                for v in vars {
                    let local = try r.declareLocal(v, mutable: true, key: CaptureAnalysis.Key(range, v), range)
                    loopVars.append(local.isCaptured ? .cell(local.slot) : .local(local.slot))
                }
                r.context.loopDepth += 1
                defer { r.context.loopDepth -= 1 }
                return ForNode(loopVars, seq, try r.expression(body, asStatement: true), range)
            }
        case .comprehension(let element, let vars, let iterable, let condition):
            let seq = try expression(iterable)
            return try withScope { (r: inout Resolver) throws(Diagnostic) in
                let results = try r.declareLocal("[results]", mutable: true, key: CaptureAnalysis.Key(range, "[results]"), range)
                var loopVars: [LoopVariable] = []
                for v in vars {
                    let local = try r.declareLocal(v, mutable: true, key: CaptureAnalysis.Key(range, v), range)
                    loopVars.append(local.isCaptured ? .cell(local.slot) : .local(local.slot))
                }
                let append = AppendNode(
                    results.slot, try r.expression(element),
                    when: try condition.map { c throws(Diagnostic) in try r.expression(c) }, range)
                return ComprehensionNode(results.slot, ForNode(loopVars, seq, append, range), range)
            }
        case .try(let body, let name, let handler, let cleanup):
            let bodyNode = try expression(body, asStatement: asStatement)
            let handlerNode: (LoopVariable?, Node)? = try handler.map { h throws(Diagnostic) in
                try withScope { (r: inout Resolver) throws(Diagnostic) in
                    var variable: LoopVariable? = nil
                    if let name {
                        let local = try r.declareLocal(name, mutable: true, key: CaptureAnalysis.Key(range, name), range)
                        variable = local.isCaptured ? .cell(local.slot) : .local(local.slot)
                    }
                    return (variable, try r.expression(h, asStatement: asStatement))
                }
            }
            let cleanupNode = try cleanup.map { c throws(Diagnostic) in try expression(c, asStatement: asStatement) }
            return TryNode(bodyNode, catchVariable: handlerNode?.0, handler: handlerNode?.1, finally: cleanupNode, range)
        case .declaration, .destructuring, .functionDeclaration, .assignment, .break, .continue, .return, .import:
            throw error("this statement cannot be used as a value; put it on its own line", range)
        }
    }

    private mutating func indexComponents(_ comps: [IndexComponent]) throws(Diagnostic) -> [IndexNodeComponent] {
        var out: [IndexNodeComponent] = []
        for c in comps {
            switch c {
            case .single(let x): out.append(.single(try expression(x)))
            case .slice(let a, let b, let s):
                out.append(
                    .slice(
                        try a.map { x throws(Diagnostic) in try expression(x) },
                        try b.map { x throws(Diagnostic) in try expression(x) },
                        try s.map { x throws(Diagnostic) in try expression(x) }))
            }
        }
        return out
    }

    private mutating func function(_ decl: FunctionDecl, _ range: SourceRange) throws(Diagnostic) -> Node {
        let outer = context
        context = FunctionContext(parent: outer, isChunk: false)
        defer { context = outer }
        var params: [FunctionProto.Parameter] = []
        for p in decl.parameters {
            let d = try p.defaultValue.map { x throws(Diagnostic) in try expression(x) }
            let local = try declareLocal(p.name, mutable: true, key: CaptureAnalysis.Key(p.range, p.name), p.range)
            params.append(.init(name: p.name, defaultValue: d, isCaptured: local.isCaptured))
        }
        let body = try expression(decl.body, asStatement: true)
        let proto = FunctionProto(
            name: decl.name ?? "<fn>", parameters: params, body: body, frameSize: context.frameSize,
            captures: context.captures, range: range, doc: decl.doc)
        return FunctionNode(proto, range)
    }
}

private extension ExprKind {
    var isBreak: Bool { if case .break = self { return true } else { return false } }
}
