/// Finds the local variables that inner functions capture, before the resolver
/// emits code: those live in cells, all others in plain slots. It follows the
/// resolver's scoping rules exactly (see `Resolver`).
struct CaptureAnalysis {
    /// Identifies a declaration by its position and name.
    struct Key: Hashable {
        let line: Int32, column: Int32
        let name: String
        init(_ range: SourceRange, _ name: String) {
            line = range.start.line
            column = range.start.column
            self.name = name
        }
    }

    private(set) var captured: Set<Key> = []
    private var scopes: [[String: (key: Key, depth: Int)]] = []
    private var functionDepth = 0
    private let isChunk: Bool

    /// Analyses a chunk: its outermost scope holds globals, which are never captured.
    static func analyse(chunk statements: [Expr]) -> Set<Key> {
        var a = CaptureAnalysis(isChunk: true)
        a.scopes = [[:]]
        for s in statements { a.walk(s, topLevel: true) }
        return a.captured
    }

    private init(isChunk: Bool) { self.isChunk = isChunk }

    private mutating func declare(_ name: String, _ key: Key, topLevel: Bool = false) {
        if topLevel { return }  // a global
        scopes[scopes.count - 1][name] = (key, functionDepth)
    }

    private mutating func reference(_ name: String) {
        for scope in scopes.reversed() {
            if let decl = scope[name] {
                if decl.depth < functionDepth { captured.insert(decl.key) }
                return
            }
        }
    }

    private mutating func scoped(_ body: (inout CaptureAnalysis) -> Void) {
        scopes.append([:])
        body(&self)
        scopes.removeLast()
    }

    private mutating func walk(_ e: Expr, topLevel: Bool = false) {
        switch e.kind {
        case .number, .string, .bool, .null, .break, .continue: break
        case .import(_, let binding):
            for name in binding.declaredNames { declare(name, Key(e.range, name), topLevel: topLevel) }
        case .interpolated(let parts):
            for case .expr(let x, _) in parts { walk(x) }
        case .name(let name): reference(name)
        case .list(let items): items.forEach { walk($0) }
        case .record(let fields): fields.forEach { walk($0.value) }
        case .unary(_, let x): walk(x)
        case .binary(_, let a, let b), .logical(_, let a, let b): walk(a); walk(b)
        case .call(let callee, let args): walk(callee); args.forEach { walk($0.value) }
        case .member(let x, _): walk(x)
        case .index(let x, let comps):
            walk(x)
            for c in comps {
                switch c {
                case .single(let i): walk(i)
                case .slice(let a, let b, let s): [a, b, s].compactMap { $0 }.forEach { walk($0) }
                }
            }
        case .function(let decl): walkFunction(decl)
        case .block(let statements): scoped { a in statements.forEach { a.walk($0) } }
        case .if(let c, let t, let o): walk(c); walk(t); if let o { walk(o) }
        case .while(let c, let b): walk(c); walk(b)
        case .for(let vars, let iterable, let body):
            walk(iterable)
            scoped { a in
                for v in vars { a.declare(v, Key(e.range, v)) }
                a.walk(body)
            }
        case .try(let body, let name, let handler, let cleanup):
            walk(body)
            if let handler {
                scoped { a in
                    if let name { a.declare(name, Key(e.range, name)) }
                    a.walk(handler)
                }
            }
            if let cleanup { walk(cleanup) }
        case .declaration(let name, _, let value):
            if let value { walk(value) }
            declare(name, Key(e.range, name), topLevel: topLevel)
        case .destructuring(let names, _, _, let value):
            walk(value)
            for name in names { declare(name, Key(e.range, name), topLevel: topLevel) }
        case .comprehension(let element, let vars, let iterable, let condition):
            walk(iterable)
            scoped { a in
                for v in vars { a.declare(v, Key(e.range, v)) }
                if let condition { a.walk(condition) }
                a.walk(element)
            }
        case .functionDeclaration(let decl):
            declare(decl.name ?? "", Key(e.range, decl.name ?? ""), topLevel: topLevel)
            walkFunction(decl)
        case .assignment(let target, _, let value): walk(target); walk(value)
        case .return(let v): if let v { walk(v) }
        }
    }

    private mutating func walkFunction(_ decl: FunctionDecl) {
        functionDepth += 1
        scoped { a in
            for p in decl.parameters {
                if let d = p.defaultValue { a.walk(d) }
                a.declare(p.name, Key(p.range, p.name))
            }
            a.walk(decl.body)
        }
        functionDepth -= 1
    }
}
