import DVSLang

/// Lists: higher-order functions, sorting, building and searching.
/// Functions that change a list in place (`sort`, `push`, `pop`) say so;
/// the others return new lists.
enum ListLibrary {
    /// What functions that only read a list take: a list or a range.
    static let sequence = ParameterType.oneOf([.list, .range])

    /// The items of a list or range (ranges are accepted wherever a list is read).
    static func items(_ a: Arguments, _ i: Int) throws(NativeError) -> [Value] {
        switch a[i] {
        case .list(let l): return l.items
        case .range(let r):
            try Limits.checkListSize(r.count, "range \(r.display) as a list")
            return (0..<r.count).map { .number(r.element($0)) }
        default: throw a.bad(i, sequence)
        }
    }

    /// Sorts values by their natural order (or by `key(x)`), stably.
    static func sortedValues(_ values: [Value], key: Callable?, reverse: Bool, _ a: Arguments) throws(NativeError) -> [Value] {
        var keys = values
        if let key {
            keys = []
            keys.reserveCapacity(values.count)
            for v in values { keys.append(try a.call(key, [v])) }
        }
        var order: [Int]
        if keys.allSatisfy({ if case .number = $0 { return true } else { return false } }) {
            let nums = keys.map { if case .number(let n) = $0 { return n } else { return 0 } }
            if nums.contains(where: \.isNaN) { throw NativeError("cannot sort a list containing nan") }
            if key == nil {
                var s = nums
                s.sort()  // specialized for Double: much faster than a comparator closure
                if reverse { s.reverse() }
                return s.map { .number($0) }
            }
            order = Array(nums.indices)
            order.sort { reverse ? nums[$0] > nums[$1] : nums[$0] < nums[$1] }
        } else {
            var failure: NativeError? = nil
            order = Array(keys.indices)
            order.sort { i, j in
                guard let c = keys[i].compare(to: keys[j]) else {
                    if failure == nil { failure = NativeError("cannot sort: \(keys[i].typeName) and \(keys[j].typeName) cannot be compared") }
                    return false
                }
                return reverse ? c > 0 : c < 0
            }
            if let failure { throw failure }
        }
        return order.map { values[$0] }
    }

    static let functions: [NativeFunction] = [
        NativeFunction(
            "map", [.init("xs", sequence), .init("f", .function)], returns: "list",
            help: "A new list of f(x) for each x: map([1, 2], fn(x) { x * 10 }) == [10, 20]."
        ) { a in
            let f = try a.callable(1)
            var out: [Value] = []
            for x in try items(a, 0) { out.append(try a.call(f, [x])) }
            return .list(out)
        },
        NativeFunction(
            "filter", [.init("xs", sequence), .init("f", .function)], returns: "list",
            help: "A new list of the items for which f(x) is true."
        ) { a in
            let f = try a.callable(1)
            var out: [Value] = []
            for x in try items(a, 0) {
                let keep = try a.call(f, [x])
                guard case .bool(let b) = keep else {
                    throw NativeError("filter: the function must return a bool, got \(keep.typeName)")
                }
                if b { out.append(x) }
            }
            return .list(out)
        },
        NativeFunction(
            "reduce", [.init("xs", sequence), .init("f", .function), .init("initial")], returns: "any",
            help: "Folds the list from the left: reduce([1, 2, 3], fn(acc, x) { acc + x }, 0) == 6."
        ) { a in
            let f = try a.callable(1)
            var acc = a[2]
            for x in try items(a, 0) { acc = try a.call(f, [acc, x]) }
            return acc
        },
        NativeFunction(
            "unique", [.init("xs", sequence)], returns: "list",
            help: "The distinct items of a list in first-seen order (equality as ==): unique([3, 1, 3]) == [3, 1]."
        ) { a in
            var out: [Value] = []
            var seenNumbers = Set<Double>(), seenStrings = Set<String>()
            for x in try items(a, 0) {
                switch x {
                case .number(let n) where !n.isNaN: if seenNumbers.insert(n).inserted { out.append(x) }
                case .string(let s): if seenStrings.insert(s).inserted { out.append(x) }
                default: if !out.contains(where: { $0.isEqual(to: x) }) { out.append(x) }
                }
            }
            return .list(out)
        },
        NativeFunction(
            "sort", [.init("xs", .list), .init("key", .function, default: .null), .init("reverse", .bool, default: .bool(false))], returns: "nil",
            help: "Sorts the list in place (stable), by natural order or by key(x). See sorted for a sorted copy."
        ) { a in
            let l = try a.list(0)
            let key = a.isNil(1) ? nil : try a.callable(1)
            l.items = try sortedValues(l.items, key: key, reverse: try a.bool(2), a)
            return .null
        },
        NativeFunction(
            "sorted", [.init("xs", sequence), .init("key", .function, default: .null), .init("reverse", .bool, default: .bool(false))], returns: "list",
            help: "A sorted copy of the list (stable), by natural order or by key(x)."
        ) { a in
            let key = a.isNil(1) ? nil : try a.callable(1)
            return .list(try sortedValues(try items(a, 0), key: key, reverse: try a.bool(2), a))
        },
        NativeFunction(
            "reverse", [.init("xs", .oneOf([.list, .range, .string]))], returns: "list|string",
            help: "A reversed copy of a list or string."
        ) { a in
            if case .string(let s) = a[0] { return .string(String(s.reversed())) }
            return .list(try items(a, 0).reversed())
        },
        NativeFunction(
            "push", [.init("xs", .list), .init("x")], returns: "nil",
            help: "Appends x to the end of the list, in place."
        ) { a in
            let l = try a.list(0)
            try Limits.checkGrowth(of: l, "push onto a list")
            l.items.append(a[1])
            return .null
        },
        NativeFunction(
            "pop", [.init("xs", .list)], returns: "any",
            help: "Removes and returns the last item of the list (an error if it is empty)."
        ) { a in
            let l = try a.list(0)
            guard let last = l.items.popLast() else { throw NativeError("pop from an empty list") }
            return last
        },
        NativeFunction(
            "zip", [.init("a", sequence), .init("b", sequence)], returns: "list",
            help: "Pairs of items at the same position, as long as the shorter list: zip([1, 2], [\"a\", \"b\"]) == [[1, \"a\"], [2, \"b\"]]."
        ) { a in
            .list(zip(try items(a, 0), try items(a, 1)).map { .list([$0, $1]) })
        },
        NativeFunction(
            "enumerate", [.init("xs", sequence)], returns: "list",
            help: "[[0, x0], [1, x1], …]: use as `for i, x in enumerate(xs)`."
        ) { a in
            .list(try items(a, 0).enumerated().map { .list([.number(Double($0.offset)), $0.element]) })
        },
        NativeFunction(
            "sum", [.init("xs", sequence), .init("start", .number, default: .number(0))], returns: "number",
            help: "The sum of the numbers in a list or range, plus start; of all elements of a tensor (t.sum(axis: 1) sums one axis)."
        ) { a in
            var total = try a.number(1)
            for (i, x) in try items(a, 0).enumerated() {
                guard case .number(let n) = x else { throw NativeError("sum: item \(i) is \(x.typeName), not a number") }
                total += n
            }
            return .number(total)
        },
        NativeFunction(
            "join", [.init("xs", sequence), .init("separator", .string, default: .string(""))], returns: "string",
            help: "The printed forms of the items joined by separator: join([1, 2], \", \") == \"1, 2\"."
        ) { a in
            let sep = try a.string(1)
            return .string(try items(a, 0).map(\.printed).joined(separator: sep))
        },
        NativeFunction(
            "slice", [.init("xs", .oneOf([.list, .string, .range])), .init("start", .number, default: .null), .init("end", .number, default: .null)],
            returns: "list|string",
            help: "slice(xs, a, b) is xs[a:b]: items from a up to (not including) b; negative counts from the end."
        ) { a in
            try getIndex(a[0], [.slice(start: a[1], end: a[2], step: .null)])
        },
        NativeFunction(
            "contains", [.init("xs", .oneOf([.list, .range, .string])), .init("x")], returns: "bool",
            help: "True when x is an item of the list (or a substring of the string); same as `x in xs`."
        ) { a in
            switch a[0] {
            case .string(let s):
                guard case .string(let sub) = a[1] else { throw a.bad(1, .string) }
                return .bool(sub.isEmpty || s.contains(sub))
            default:
                return .bool(try items(a, 0).contains { $0.isEqual(to: a[1]) })
            }
        },
        NativeFunction(
            "index", [.init("xs", sequence), .init("x")], returns: "number|nil",
            help: "The position of the first item equal to x, or nil when there is none."
        ) { a in
            try items(a, 0).firstIndex { $0.isEqual(to: a[1]) }.map { .number(Double($0)) } ?? .null
        },
        NativeFunction(
            "list", [.init("x", .oneOf([.range, .string, .list]))], returns: "list",
            help: "A new list from a range, the characters of a string, or a copy of a list."
        ) { a in
            if case .string(let s) = a[0] { return .list(s.map { .string(String($0)) }) }
            return .list(try items(a, 0))
        },
    ]
}
