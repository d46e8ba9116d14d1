/// A picture-ready snapshot of the autograd graph behind a tensor: ops, leaves
/// (parameters and constants), the edges between them with the shapes that
/// flow along them, and the named scopes the ops ran in.
///
/// The snapshot holds metadata only (names, shapes, flags), never tensors or
/// their storage, so it can outlive the graph it describes. Capture walks the
/// graph iteratively: graphs of any depth are fine.
///
/// Node ids are indices into `nodes`, which are in topological order (every
/// node comes after its inputs); `edges` are ordered by their target, then by
/// argument position.
public struct ComputationGraph: Equatable, Sendable, Codable {
    public enum Kind: String, Equatable, Sendable, Codable {
        /// A recorded op (a tensor with a `gradFn`).
        case op
        /// A leaf with `requiresGrad` (a trainable parameter).
        case parameter
        /// A leaf without `requiresGrad` (an input, label or constant).
        case constant
    }

    public struct Node: Equatable, Sendable, Codable {
        public var id: Int
        public var kind: Kind
        /// The op's name ("matmul", "add"…); nil for leaves.
        public var op: String?
        /// The op's short note ("× 0.5", "axis 1"); nil when it has none.
        public var detail: String?
        /// The tensor's name (a parameter's path, e.g. "lm.block0.attn.wq").
        public var name: String?
        /// Nested scope names: the scope an op ran in; for a leaf, the scope
        /// shared by all the ops that use it.
        public var scope: [String]
        /// Shape of the tensor this node stands for (an op's output).
        public var shape: [Int]
        public var requiresGrad: Bool
        /// Whether `.grad` is present (parameters, after a backward).
        public var hasGrad: Bool
        /// Whether the tensor's values contain NaN / ±Inf.
        public var hasNaN: Bool
        public var hasInf: Bool
        /// For an op: whether backward already ran through it (its saved
        /// tensors are released).
        public var isReleased: Bool
        /// The value of a one-element constant (e.g. the 0.5 of `x * 0.5`).
        public var scalarValue: Float?
        /// The tensor the graph was captured from.
        public var isOutput: Bool

        public var hasNonFinite: Bool { hasNaN || hasInf }

        public init(
            id: Int, kind: Kind, op: String? = nil, detail: String? = nil, name: String? = nil,
            scope: [String] = [], shape: [Int], requiresGrad: Bool = false, hasGrad: Bool = false,
            hasNaN: Bool = false, hasInf: Bool = false, isReleased: Bool = false,
            scalarValue: Float? = nil, isOutput: Bool = false
        ) {
            self.id = id
            self.kind = kind
            self.op = op
            self.detail = detail
            self.name = name
            self.scope = scope
            self.shape = shape
            self.requiresGrad = requiresGrad
            self.hasGrad = hasGrad
            self.hasNaN = hasNaN
            self.hasInf = hasInf
            self.isReleased = isReleased
            self.scalarValue = scalarValue
            self.isOutput = isOutput
        }
    }

    public struct Edge: Equatable, Sendable, Codable {
        /// Node ids: the input flows from `from` into op `to`.
        public var from: Int
        public var to: Int
        /// Argument position of the input in the op (0 for `a` in `a.add(b)`).
        public var argument: Int
        /// Shape of the tensor flowing along the edge.
        public var shape: [Int]

        public init(from: Int, to: Int, argument: Int, shape: [Int]) {
            self.from = from
            self.to = to
            self.argument = argument
            self.shape = shape
        }
    }

    /// A run of structurally identical sibling scopes ("block0" … "block3")
    /// drawn as one representative: the one at `path`.
    public struct RepeatedScope: Equatable, Sendable, Codable {
        /// Full path of the representative scope, e.g. ["lm", "block0"].
        public var path: [String]
        /// The names of all scopes in the run, in order ("block0" … "block3").
        public var names: [String]
        public var count: Int { names.count }
        /// "block0 … block3 (×4)"
        public var label: String {
            guard let first = names.first, let last = names.last else { return "" }
            return "\(first) … \(last) (×\(names.count))"
        }

        public init(path: [String], names: [String]) {
            self.path = path
            self.names = names
        }
    }

    public var nodes: [Node]
    public var edges: [Edge]
    /// Id of the node the graph was captured from.
    public var outputID: Int
    /// Scopes standing for runs of repeats (see `collapsingRepeats()`).
    public var repeatedScopes: [RepeatedScope]

    public init(nodes: [Node], edges: [Edge], outputID: Int, repeatedScopes: [RepeatedScope] = []) {
        self.nodes = nodes
        self.edges = edges
        self.outputID = outputID
        self.repeatedScopes = repeatedScopes
    }

    public var opCount: Int { nodes.lazy.filter { $0.kind == .op }.count }
}

// MARK: - Capture

extension ComputationGraph {
    /// The graph of ops and leaves `root` was computed from. With
    /// `collapseRepeats`, runs of identical sibling scopes ("block0" …
    /// "block3") are drawn once (see `collapsingRepeats()`).
    public static func capture(_ root: Tensor, collapseRepeats: Bool = false) -> ComputationGraph {
        // Iterative post-order DFS: a node is emitted after all of its inputs.
        var ids: [ObjectIdentifier: Int] = [:]
        var nodes: [Node] = []
        var edges: [Edge] = []
        var consumers: [[Int]] = []  // leaf id -> consuming op ids (for leaf scopes)
        var stack: [(Tensor, Int)] = [(root, 0)]
        var onStack = Set<ObjectIdentifier>([ObjectIdentifier(root)])

        while let (t, next) = stack.popLast() {
            let inputs = t.gradFn?.inputs ?? []
            if next < inputs.count {
                stack.append((t, next + 1))
                let input = inputs[next]
                let key = ObjectIdentifier(input)
                if ids[key] == nil, onStack.insert(key).inserted {
                    stack.append((input, 0))
                }
                continue
            }
            // All inputs are emitted: emit `t`.
            let id = nodes.count
            ids[ObjectIdentifier(t)] = id
            let (nan, inf) = nonFiniteFlags(t)
            var node = Node(
                id: id, kind: .constant, op: nil, detail: nil, name: t.name, scope: [],
                shape: t.shape, requiresGrad: t.requiresGrad, hasGrad: t.grad != nil,
                hasNaN: nan, hasInf: inf, isReleased: false, scalarValue: nil, isOutput: t === root)
            if let fn = t.gradFn {
                node.kind = .op
                node.op = fn.op
                node.detail = fn.detail
                node.scope = fn.scope
                node.isReleased = fn.isReleased
                for (argument, input) in inputs.enumerated() {
                    // Inputs were emitted before `t` (the DFS finished them).
                    guard let from = ids[ObjectIdentifier(input)] else { continue }
                    edges.append(Edge(from: from, to: id, argument: argument, shape: input.shape))
                    if nodes[from].kind != .op { consumers[from].append(id) }
                }
            } else {
                node.kind = t.requiresGrad ? .parameter : .constant
                if t.count == 1, !t.requiresGrad { node.scalarValue = t.storage.pointer[t.offset] }
            }
            nodes.append(node)
            consumers.append([])
        }

        // A leaf belongs to the innermost scope shared by all its users, so a
        // block's parameters are drawn inside that block.
        for id in nodes.indices where nodes[id].kind != .op {
            var users = consumers[id].makeIterator()
            guard let first = users.next() else { continue }
            var common = nodes[first].scope[...]
            while let u = users.next(), !common.isEmpty {
                let s = nodes[u].scope
                var n = 0
                while n < common.count, n < s.count, common[common.startIndex + n] == s[n] { n += 1 }
                common = common.prefix(n)
            }
            nodes[id].scope = Array(common)
        }

        let graph = ComputationGraph(nodes: nodes, edges: edges, outputID: ids[ObjectIdentifier(root)] ?? 0)
        return collapseRepeats ? graph.collapsingRepeats() : graph
    }

    /// Whether the tensor's elements include NaN and/or ±Inf. One pass that
    /// vectorizes (`x * 0` is 0 for finite x, NaN otherwise); a second pass to
    /// tell NaN from Inf only when something is off.
    static func nonFiniteFlags(_ t: Tensor) -> (nan: Bool, inf: Bool) {
        var poisoned: Float = 0
        forEachRow(shape: t.shape, strides: t.strides, offset: t.offset) { start, stride, count, _ in
            let p = t.storage.pointer + start
            var acc: Float = 0
            if stride == 1 {
                for i in 0..<count { acc += p[i] * 0 }
            } else {
                for i in 0..<count { acc += p[i * stride] * 0 }
            }
            poisoned += acc
        }
        if poisoned == 0 { return (false, false) }
        var nan = false, inf = false
        forEachRow(shape: t.shape, strides: t.strides, offset: t.offset) { start, stride, count, _ in
            let p = t.storage.pointer + start
            for i in 0..<count {
                let x = p[i * stride]
                if x.isNaN { nan = true } else if x.isInfinite { inf = true }
            }
        }
        return (nan, inf)
    }
}

// MARK: - Collapsing repeated blocks

extension ComputationGraph {
    /// The graph with each run of consecutive, structurally identical sibling
    /// scopes — names that differ only in a trailing number counting up
    /// ("block0", "block1", …) with the same ops, shapes and wiring — replaced
    /// by its first scope, recorded in `repeatedScopes` so renderers label it
    /// "block0 … block3 (×4)".
    ///
    /// Edges between members of a run are dropped; edges leaving or entering
    /// any member are redirected to the matching node of the representative.
    /// A parameter of the representative gets a name covering the run
    /// ("lm.block{0…3}.attn.wq"). Scopes containing a NaN/Inf node only merge
    /// with scopes that have the same flags, so problems stay visible. Nested
    /// runs (heads inside blocks) collapse too.
    public func collapsingRepeats() -> ComputationGraph {
        var graph = self
        // Each pass collapses every run it finds; repeat for runs that only
        // line up once an outer or inner run has collapsed.
        while let next = graph.collapsingOnePass() { graph = next }
        return graph
    }

    /// One collapse pass; nil when there is nothing to collapse.
    private func collapsingOnePass() -> ComputationGraph? {
        // Scopes that exist (every prefix of every node's scope), in first-seen order.
        var scopeOrder: [[String]] = []
        var seenScopes = Set<[String]>()
        for node in nodes where !node.scope.isEmpty {
            for n in 1...node.scope.count {
                let p = Array(node.scope.prefix(n))
                if seenScopes.insert(p).inserted { scopeOrder.append(p) }
            }
        }
        // Group siblings by (parent, stem): "block3" -> stem "block", index 3.
        struct Member { var path: [String]; var index: Int }
        var groups: [[String]: [Member]] = [:]
        var groupOrder: [[String]] = []
        for path in scopeOrder {
            guard let (stem, index) = Self.splitTrailingNumber(path[path.count - 1]) else { continue }
            let key = Array(path.dropLast()) + [stem]
            if groups[key] == nil { groupOrder.append(key) }
            groups[key, default: []].append(Member(path: path, index: index))
        }

        // The ops and parameters of every candidate scope, and each node's
        // incoming edges, gathered in one sweep.
        var candidates = Set<[String]>()
        for key in groupOrder where groups[key]!.count >= 2 {
            for m in groups[key]! { candidates.insert(m.path) }
        }
        if candidates.isEmpty { return nil }
        var contents: [[String]: [Int]] = [:]
        for node in nodes where node.kind != .constant && !node.scope.isEmpty {
            for n in 1...node.scope.count {
                let p = Array(node.scope.prefix(n))
                if candidates.contains(p) { contents[p, default: []].append(node.id) }
            }
        }
        var incoming = [[Int]](repeating: [], count: nodes.count)
        for (i, edge) in edges.enumerated() { incoming[edge.to].append(i) }

        // Runs: consecutive indices with equal signatures.
        var runs: [[[String]]] = []
        for key in groupOrder {
            let members = groups[key]!.sorted { $0.index < $1.index }
            guard members.count >= 2 else { continue }
            let signatures = members.map { signature(of: $0.path, contents[$0.path] ?? [], incoming) }
            var run: [Int] = [0]
            func flush() { if run.count >= 2 { runs.append(run.map { members[$0].path }) } }
            for i in members.indices.dropFirst() {
                let last = run[run.count - 1]
                if members[i].index == members[last].index + 1, signatures[i] != nil, signatures[i] == signatures[last] {
                    run.append(i)
                } else {
                    flush()
                    run = [i]
                }
            }
            flush()
        }
        // Collapse the outermost runs first; a run nested in (or around) one
        // already collapsed in this pass waits for the next pass.
        runs.sort { $0[0].count < $1[0].count }
        var result = self
        var touched: [[String]] = []
        var changed = false
        for run in runs {
            // Skip a run nested inside (or enclosing) one collapsed in this pass.
            let overlaps = run.contains { path in
                touched.contains { Self.isPrefix($0, of: path) || Self.isPrefix(path, of: $0) }
            }
            if overlaps { continue }
            guard let collapsed = result.collapsing(run) else { continue }
            result = collapsed
            touched.append(contentsOf: run)
            changed = true
        }
        return changed ? result : nil
    }

    /// The structure of scope `path`: its ops and parameters (in order) with
    /// everything but their identity and names, its internal edges by local
    /// position, and which argument slots are fed from outside. Constants
    /// (inputs, masks, labels) count as outside: the first block's input is
    /// a constant, the others' come from the previous block. Nil for a scope
    /// without ops.
    private func signature(of path: [String], _ members: [Int], _ incoming: [[Int]]) -> [String]? {
        guard members.contains(where: { nodes[$0].kind == .op }) else { return nil }
        var local: [Int: Int] = [:]
        var parts: [String] = []
        parts.reserveCapacity(members.count * 3)
        for id in members {
            let node = nodes[id]
            local[id] = local.count
            let rel = node.scope.dropFirst(path.count).joined(separator: "/")
            parts.append(
                "n \(node.kind.rawValue) \(node.op ?? "") \(node.detail ?? "") \(rel) \(node.shape) "
                    + "\(node.requiresGrad) \(node.hasNaN) \(node.hasInf)")
        }
        for id in members {
            for e in incoming[id] {
                let edge = edges[e]
                let from = local[edge.from].map(String.init) ?? "ext"
                parts.append("e \(from) \(local[id]!) \(edge.argument) \(edge.shape)")
            }
        }
        return parts
    }

    /// Replaces the scopes of `run` (full paths, representative first) by the first.
    private func collapsing(_ run: [[String]]) -> ComputationGraph? {
        let rep = run[0]
        let parent = Array(rep.dropLast())
        // Member index of each op and parameter (nil: outside the run) and
        // its position within its member.
        var member = [Int?](repeating: nil, count: nodes.count)
        var localIndex = [Int](repeating: 0, count: nodes.count)
        var membersNodes = [[Int]](repeating: [], count: run.count)
        for node in nodes where node.kind != .constant {
            for (m, path) in run.enumerated() where Self.isPrefix(path, of: node.scope) {
                member[node.id] = m
                localIndex[node.id] = membersNodes[m].count
                membersNodes[m].append(node.id)
                break
            }
        }
        // Signatures matched, so members line up node for node; check anyway.
        guard membersNodes.allSatisfy({ $0.count == membersNodes[0].count && !$0.isEmpty }) else { return nil }
        // Where each node goes: a removed member's node to the matching node
        // of the representative.
        func target(_ id: Int) -> Int {
            guard let m = member[id], m > 0 else { return id }
            return membersNodes[0][localIndex[id]]
        }

        var newNodes = nodes
        // Parameter names covering the run: "lm.block{0…3}.attn.wq"; "∇ grad"
        // only when every member's parameter has one.
        for (i, id) in membersNodes[0].enumerated() where nodes[id].kind == .parameter {
            let names = (0..<run.count).compactMap { nodes[membersNodes[$0][i]].name }
            if names.count == run.count { newNodes[id].name = Self.mergedName(names) }
            newNodes[id].hasGrad = (0..<run.count).allSatisfy { nodes[membersNodes[$0][i]].hasGrad }
        }
        // The output may sit in a removed member.
        let newOutput = target(outputID)
        newNodes[newOutput].isOutput = true

        // Edges: drop those between members and inside removed members; a
        // removed member's input from a constant is dropped too (the
        // representative has its own at that slot); redirect the rest to the
        // representative, without duplicates.
        var newEdges: [Edge] = []
        var seen = Set<[Int]>()
        var constantUsed = [Bool](repeating: false, count: nodes.count)
        for edge in edges {
            let mf = member[edge.from], mt = member[edge.to]
            if let mf, let mt, mf != mt || mf != 0 { continue }
            if let mt, mt > 0, nodes[edge.from].kind == .constant { continue }
            var e = edge
            e.from = target(edge.from)
            e.to = target(edge.to)
            if seen.insert([e.from, e.to, e.argument]).inserted {
                newEdges.append(e)
                constantUsed[e.from] = true
            }
        }
        var keep = [Bool](repeating: true, count: nodes.count)
        for m in 1..<run.count { for id in membersNodes[m] { keep[id] = false } }
        for node in nodes where node.kind == .constant {
            if !constantUsed[node.id] && !node.isOutput {
                keep[node.id] = false  // it fed removed members only
            } else if Self.isPrefix(rep, of: node.scope) {
                // An input drawn inside the representative would read as
                // belonging to every repeat: draw it next to the run.
                newNodes[node.id].scope = parent
            }
        }

        // Renumber the kept nodes densely, keeping order.
        var newID = [Int](repeating: -1, count: nodes.count)
        var compact: [Node] = []
        compact.reserveCapacity(nodes.count)
        for id in nodes.indices where keep[id] {
            newID[id] = compact.count
            var n = newNodes[id]
            n.id = compact.count
            compact.append(n)
        }
        for i in newEdges.indices {
            newEdges[i].from = newID[newEdges[i].from]
            newEdges[i].to = newID[newEdges[i].to]
        }
        newEdges.sort { ($0.to, $0.argument, $0.from) < ($1.to, $1.argument, $1.from) }

        var repeated = repeatedScopes.filter { r in !run.dropFirst().contains { Self.isPrefix($0, of: r.path) } }
        repeated.append(RepeatedScope(path: rep, names: run.map { $0[$0.count - 1] }))
        return ComputationGraph(nodes: compact, edges: newEdges, outputID: newID[newOutput], repeatedScopes: repeated)
    }

    /// "block12" -> ("block", 12); nil without a trailing number or without a stem.
    static func splitTrailingNumber(_ s: String) -> (String, Int)? {
        let digits = s.reversed().prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count < s.count, digits.count <= 9 else { return nil }
        return (String(s.dropLast(digits.count)), Int(String(digits.reversed()))!)
    }

    static func isPrefix(_ p: [String], of s: [String]) -> Bool {
        p.count <= s.count && s.starts(with: p)
    }

    /// One name for corresponding names across a run: the common prefix and
    /// suffix around the varying part, e.g. "lm.block{0…3}.attn.wq".
    static func mergedName(_ names: [String]) -> String {
        if names.allSatisfy({ $0 == names[0] }) { return names[0] }
        let all = names.map(Array.init)
        let first = all[0]
        let shortest = all.map(\.count).min()!
        var pre = shortest, suf = shortest
        for n in all.dropFirst() {
            pre = Swift.min(pre, zip(first, n).prefix { $0 == $1 }.count)
            suf = Swift.min(suf, zip(first.reversed(), n.reversed()).prefix { $0 == $1 }.count)
        }
        suf = Swift.min(suf, shortest - pre)
        // Keep numbers whole: "block12"/"block13" vary in "12"/"13", not "2"/"3".
        while pre > 0, first[pre - 1].isNumber { pre -= 1 }
        while suf > 0, first[first.count - suf].isNumber { suf -= 1 }
        let middles = all.map { String($0[pre..<($0.count - suf)]) }
        let head = String(first[..<pre]), tail = String(first[(first.count - suf)...])
        return "\(head){\(middles[0])…\(middles[middles.count - 1])}\(tail)"
    }
}
