/// The one walk over nested lists and records that natives use (save,
/// parameters, optimizers, clip_grad_norm…): depth first, tracking the
/// containers on the current path by identity, so data shared by two paths
/// (a DAG) is fine and a container that contains itself is an error naming the
/// place, instead of an endless walk. (Printing and equality keep their own
/// cycle-aware recursion: see Formatting.swift and Equality.swift.)

/// One step from a list or record to a value inside it.
public enum PathStep: Sendable {
    case field(String)
    case index(Int)
}

/// A place inside a value as it would be written in DVS: `r.layers[0].w`, `r["a b"]`.
public func pathText(_ root: String, _ steps: some Sequence<PathStep>) -> String {
    var out = root
    for step in steps {
        switch step {
        case .field(let k): out += isPlainName(k) ? "." + k : "[" + quote(k) + "]"
        case .index(let i): out += "[\(i)]"
        }
    }
    return out
}

extension Value {
    /// Visits this value and then, depth first and in order, every value inside
    /// its lists and records. `visit` gets each value with its path from the
    /// root and returns whether to go inside it (only lists and records are
    /// entered). A list or record reached again by another path is visited
    /// again; one met again inside itself is an error:
    /// `save: the record r contains itself at r.s`.
    ///
    /// - Parameters:
    ///   - function: the function walking, for the message.
    ///   - argument: which of its arguments is the root, and `parameter` its
    ///     name: messages call the root by the parameter name, or by the
    ///     argument as written at the call site when that is a name (`r`).
    public func walk(
        function: String, argument: Int, parameter: String,
        _ visit: (Value, [PathStep]) throws(NativeError) -> Bool
    ) throws(NativeError) {
        var walker = Walker(function: function, argument: argument, parameter: parameter)
        try walker.walk(self, visit)
    }
}

extension Arguments {
    /// `Value.walk` over argument `i`, naming it in errors.
    public func walk(_ i: Int, _ visit: (Value, [PathStep]) throws(NativeError) -> Bool) throws(NativeError) {
        try self[i].walk(function: function.name, argument: i, parameter: function.parameters[i].name, visit)
    }
}

private struct Walker {
    let function: String
    let argument: Int
    let parameter: String
    var path: [PathStep] = []
    /// Containers on the current path → the path length where each was entered.
    var entered: [ObjectIdentifier: Int] = [:]
    /// Values visited so far: shared parts count once per path, so a list that
    /// holds itself twice, 64 times over, would otherwise take 2^64 steps.
    var visits = 0

    mutating func walk(_ value: Value, _ visit: (Value, [PathStep]) throws(NativeError) -> Bool) throws(NativeError) {
        visits += 1
        if visits > Limits.maxWalkVisits { throw tooLarge() }
        guard try visit(value, path) else { return }
        let container: AnyObject
        switch value {
        case .list(let l): container = l
        case .record(let r): container = r
        default: return
        }
        let id = ObjectIdentifier(container)
        if let depth = entered[id] { throw cycle(value, containerDepth: depth) }
        entered[id] = path.count
        defer { entered[id] = nil }
        switch value {
        case .list(let l):
            for (i, item) in l.items.enumerated() {
                path.append(.index(i))
                defer { path.removeLast() }
                try walk(item, visit)
            }
        case .record(let r):
            for (k, item) in r.fields {
                path.append(.field(k))
                defer { path.removeLast() }
                try walk(item, visit)
            }
        default: break
        }
    }

    private func tooLarge() -> NativeError {
        let function = function
        return NativeError(naming: argument, parameter: parameter) { root in
            "\(function): \(root) holds more than \(Limits.grouped(Limits.maxWalkVisits)) values when parts reached "
                + "by several paths are counted once per path (a list or record shared many times over?)"
        }
    }

    private func cycle(_ value: Value, containerDepth: Int) -> NativeError {
        let (function, kind, steps) = (function, value.typeName, path)
        return NativeError(naming: argument, parameter: parameter) { root in
            "\(function): the \(kind) \(pathText(root, steps.prefix(containerDepth))) contains itself at \(pathText(root, steps))"
        }
    }
}
