/// Equality and ordering of values, shared by `==`, `in`, `sort`, `index`.
extension Value {
    /// Structural equality: lists and records compare by contents; functions
    /// and objects by identity. Values of different types are never equal.
    public func isEqual(to other: Value) -> Bool { isEqual(to: other, depth: 0) }

    /// Nesting beyond which containers compare by identity only (this also ends
    /// comparisons of self-containing lists).
    static let maxComparisonDepth = 10_000

    private func isEqual(to other: Value, depth: Int) -> Bool {
        switch (self, other) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.number(let a), .number(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.list(let a), .list(let b)):
            if a === b { return true }
            guard a.items.count == b.items.count, depth < Value.maxComparisonDepth else { return false }
            for i in 0..<a.items.count where !a.items[i].isEqual(to: b.items[i], depth: depth + 1) { return false }
            return true
        case (.record(let a), .record(let b)):
            if a === b { return true }
            guard a.count == b.count, depth < Value.maxComparisonDepth else { return false }
            for (k, v) in a.fields {
                guard let w = b[k], v.isEqual(to: w, depth: depth + 1) else { return false }
            }
            return true
        case (.range(let a), .range(let b)):
            return a.start == b.start && a.step == b.step && a.count == b.count
        case (.function(let a), .function(let b)): return a === b
        case (.object(let a), .object(let b)): return a === b
        default: return false
        }
    }

    /// Ordering for `<` and sorting: numbers with numbers, strings with strings
    /// (by Unicode scalars), lists element by element. Nil when not comparable.
    public func compare(to other: Value) -> Int? { compare(to: other, depth: 0) }

    private func compare(to other: Value, depth: Int) -> Int? {
        switch (self, other) {
        case (.number(let a), .number(let b)):
            return a < b ? -1 : (a > b ? 1 : (a == b ? 0 : nil))
        case (.string(let a), .string(let b)):
            return a == b ? 0 : (a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars) ? -1 : 1)
        case (.list(let a), .list(let b)):
            if a === b { return 0 }
            guard depth < Value.maxComparisonDepth else { return nil }
            for (x, y) in zip(a.items, b.items) {
                guard let c = x.compare(to: y, depth: depth + 1) else { return nil }
                if c != 0 { return c }
            }
            return a.items.count < b.items.count ? -1 : (a.items.count > b.items.count ? 1 : 0)
        case (.bool(let a), .bool(let b)):
            return a == b ? 0 : (a ? 1 : -1)
        default:
            return nil
        }
    }
}
