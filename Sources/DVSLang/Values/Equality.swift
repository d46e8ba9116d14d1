/// Equality and ordering of values, shared by `==`, `in`, `sort`, `index`.
extension Value {
    /// Structural equality: lists and records compare by contents; functions
    /// and objects by identity. Values of different types are never equal.
    /// Self-containing lists compare correctly (a pair of containers met again
    /// while it is being compared counts as equal so far).
    public func isEqual(to other: Value) -> Bool {
        var visiting = Set<ContainerPair>()
        return isEqual(to: other, depth: 0, visiting: &visiting)
    }

    /// Ordering for `<` and sorting: numbers with numbers, strings with strings
    /// (by Unicode scalars), lists element by element. Nil when not comparable.
    public func compare(to other: Value) -> Int? {
        var visiting = Set<ContainerPair>()
        return compare(to: other, depth: 0, visiting: &visiting)
    }

    /// Below this nesting depth no cycle bookkeeping is done (cycles are rare
    /// and shallow data is the common case).
    private static let cycleCheckDepth = 64

    private func isEqual(to other: Value, depth: Int, visiting: inout Set<ContainerPair>) -> Bool {
        switch (self, other) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.number(let a), .number(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.list(let a), .list(let b)):
            if a === b { return true }
            guard a.items.count == b.items.count else { return false }
            guard Value.enter(a, b, depth, &visiting) else { return true }
            defer { Value.leave(a, b, depth, &visiting) }
            for i in 0..<a.items.count where !a.items[i].isEqual(to: b.items[i], depth: depth + 1, visiting: &visiting) {
                return false
            }
            return true
        case (.record(let a), .record(let b)):
            if a === b { return true }
            guard a.count == b.count else { return false }
            guard Value.enter(a, b, depth, &visiting) else { return true }
            defer { Value.leave(a, b, depth, &visiting) }
            for (k, v) in a.fields {
                guard let w = b[k], v.isEqual(to: w, depth: depth + 1, visiting: &visiting) else { return false }
            }
            return true
        case (.range(let a), .range(let b)):
            return a.start == b.start && a.step == b.step && a.count == b.count
        case (.function(let a), .function(let b)): return a === b
        case (.object(let a), .object(let b)): return a === b
        default: return false
        }
    }

    private func compare(to other: Value, depth: Int, visiting: inout Set<ContainerPair>) -> Int? {
        switch (self, other) {
        case (.number(let a), .number(let b)):
            return a < b ? -1 : (a > b ? 1 : (a == b ? 0 : nil))
        case (.string(let a), .string(let b)):
            return a == b ? 0 : (a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars) ? -1 : 1)
        case (.list(let a), .list(let b)):
            if a === b { return 0 }
            guard Value.enter(a, b, depth, &visiting) else { return 0 }
            defer { Value.leave(a, b, depth, &visiting) }
            for (x, y) in zip(a.items, b.items) {
                guard let c = x.compare(to: y, depth: depth + 1, visiting: &visiting) else { return nil }
                if c != 0 { return c }
            }
            return a.items.count < b.items.count ? -1 : (a.items.count > b.items.count ? 1 : 0)
        case (.bool(let a), .bool(let b)):
            return a == b ? 0 : (a ? 1 : -1)
        default:
            return nil
        }
    }

    /// Marks a pair of containers as being compared; false if it already is (a cycle).
    private static func enter(_ a: AnyObject, _ b: AnyObject, _ depth: Int, _ visiting: inout Set<ContainerPair>) -> Bool {
        guard depth >= cycleCheckDepth else { return true }
        return visiting.insert(ContainerPair(a, b)).inserted
    }

    private static func leave(_ a: AnyObject, _ b: AnyObject, _ depth: Int, _ visiting: inout Set<ContainerPair>) {
        if depth >= cycleCheckDepth { visiting.remove(ContainerPair(a, b)) }
    }
}

/// Two containers being compared, by identity.
struct ContainerPair: Hashable {
    let a: ObjectIdentifier
    let b: ObjectIdentifier
    init(_ a: AnyObject, _ b: AnyObject) {
        self.a = ObjectIdentifier(a)
        self.b = ObjectIdentifier(b)
    }
}
