import Foundation

/// How numbers print: whole numbers without `.0` (`3`, `-12`, `1e+20` only when
/// huge), others in the shortest form that reads back exactly (`0.1`, `1e-05`).
public func formatNumber(_ x: Double) -> String {
    if x.isNaN { return "nan" }
    if x.isInfinite { return x > 0 ? "inf" : "-inf" }
    if x == x.rounded(), abs(x) < 1e16 {
        return x == 0 ? "0" : String(Int64(x))
    }
    return x.description
}

extension Value {
    /// The printed form: strings without quotes (`print`, `str`, interpolation).
    public var printed: String {
        switch self {
        case .string(let s): return s
        case .object(let o): return o.printed
        default: return repr
        }
    }

    /// The echoed form: strings quoted, as they are written in source.
    public var repr: String {
        var seen: Set<ObjectIdentifier> = []
        var budget = Limits.maxWalkVisits
        return repr(seen: &seen, budget: &budget)
    }

    /// `budget` counts the values still to show: data shared many times over
    /// (`x = [x, x]`, 64 times) prints as `…` past it instead of running forever.
    private func repr(seen: inout Set<ObjectIdentifier>, budget: inout Int) -> String {
        budget -= 1
        if budget < 0 { return "…" }
        switch self {
        case .null: return "nil"
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return formatNumber(n)
        case .string(let s): return quote(s)
        case .list(let l):
            let id = ObjectIdentifier(l)
            if seen.contains(id) { return "[…]" }
            seen.insert(id)
            defer { seen.remove(id) }
            var parts: [String] = []
            parts.reserveCapacity(l.items.count)
            for item in l.items {
                if budget <= 0 { parts.append("…"); break }
                parts.append(item.repr(seen: &seen, budget: &budget))
            }
            return "[" + parts.joined(separator: ", ") + "]"
        case .record(let r):
            let id = ObjectIdentifier(r)
            if seen.contains(id) { return "{…}" }
            seen.insert(id)
            defer { seen.remove(id) }
            if r.count == 0 { return "{}" }
            var parts: [String] = []
            for (k, v) in r.fields {
                if budget <= 0 { parts.append("…"); break }
                parts.append("\(isPlainName(k) ? k : quote(k)): \(v.repr(seen: &seen, budget: &budget))")
            }
            return "{" + parts.joined(separator: ", ") + "}"
        case .range(let r): return r.display
        case .function(let f): return "<fn \(f.name)>"
        case .object(let o): return o.summary
        }
    }
}

/// `"text"` with escapes, as the string would be written in DVS.
func quote(_ s: String) -> String {
    var out = "\""
    for c in s.unicodeScalars {
        switch c {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case "\r": out += "\\r"
        case "{": out += "\\{"
        case "}": out += "\\}"
        case "\0": out += "\\0"
        default: out.unicodeScalars.append(c)
        }
    }
    return out + "\""
}

func isPlainName(_ s: String) -> Bool {
    guard let first = s.unicodeScalars.first, first == "_" || CharacterSet.letters.contains(first) else { return false }
    return s.unicodeScalars.allSatisfy { $0 == "_" || CharacterSet.alphanumerics.contains($0) } && Keyword(rawValue: s) == nil
}

/// The widest field (and longest string precision) a format spec may ask for.
let maxFormatWidth = 10_000
/// The most digits after the point (or significant digits for `g`) a number is formatted with.
let maxNumberPrecision = 50

/// Formats `value` by a spec like Python's format mini-language, as used in
/// `"{x:.3f}"` and `format("{:>8}", x)`: `[[fill]align][sign][width][,][.precision][type]`
/// with align `< > ^`, type `f e g d % s`.
public func formatValue(_ value: Value, spec: String) throws(NativeError) -> String {
    if spec.isEmpty { return value.printed }
    var chars = Array(spec)
    var fill: Character = " ", align: Character? = nil
    if chars.count >= 2, "<>^".contains(chars[1]) {
        fill = chars[0]; align = chars[1]; chars.removeFirst(2)
    } else if let c = chars.first, "<>^".contains(c) {
        align = c; chars.removeFirst()
    }
    var sign = false
    if chars.first == "+" { sign = true; chars.removeFirst() }
    if chars.first == "0", align == nil { fill = "0"; align = "="; chars.removeFirst() }
    var width = 0
    while let c = chars.first, let d = c.wholeNumberValue {
        width = width * 10 + d
        chars.removeFirst()
        guard width <= maxFormatWidth else { throw NativeError("bad format spec '\(spec)': width is at most \(maxFormatWidth)") }
    }
    var grouping = false
    if chars.first == "," { grouping = true; chars.removeFirst() }
    var precision: Int? = nil
    if chars.first == "." {
        chars.removeFirst()
        var p = 0, any = false
        while let c = chars.first, let d = c.wholeNumberValue {
            p = p * 10 + d
            any = true
            chars.removeFirst()
            guard p <= maxFormatWidth else { throw NativeError("bad format spec '\(spec)': precision is at most \(maxFormatWidth)") }
        }
        guard any else { throw NativeError("bad format spec '\(spec)': expected digits after '.'") }
        precision = p
    }
    let type: Character? = chars.first
    if chars.count > 1 || (type != nil && !"fegdxs%".contains(type!)) {
        throw NativeError("bad format spec '\(spec)': expected [[fill]align][+][width][,][.precision][f|e|g|d|x|s|%]")
    }
    var body: String
    switch value {
    case .number(let n) where type != "s":
        if let precision, precision > maxNumberPrecision {
            throw NativeError("bad format spec '\(spec)': a number's precision is at most \(maxNumberPrecision) digits, got \(precision)")
        }
        switch type {
        case "f": body = n.isFinite ? String(format: "%.\(precision ?? 6)f", n) : formatNumber(n)
        case "e": body = n.isFinite ? String(format: "%.\(precision ?? 6)e", n) : formatNumber(n)
        case "g": body = n.isFinite ? String(format: "%.\(precision ?? 6)g", n) : formatNumber(n)
        case "%": body = n.isFinite ? String(format: "%.\(precision ?? 6)f", n * 100) + "%" : formatNumber(n)
        case "d", "x":
            guard n.isFinite, n == n.rounded() else {
                throw NativeError("format '\(spec)' needs a whole number, got \(formatNumber(n))")
            }
            guard abs(n) < 9.2e18 else {
                throw NativeError("format '\(spec)' works on whole numbers up to ±9.2e18, got \(formatNumber(n))")
            }
            body = type == "x" ? String(Int64(n), radix: 16) : String(Int64(n))
        default:
            body = precision.map { n.isFinite ? String(format: "%.\($0)f", n) : formatNumber(n) } ?? formatNumber(n)
        }
        if grouping { body = groupThousands(body) }
        if sign, n >= 0 { body = "+" + body }
    default:
        if let t = type, t != "s" {
            throw NativeError("format '\(spec)' needs a number, got \(value.typeName)")
        }
        body = value.printed
        if let precision { body = String(body.prefix(precision)) }
    }
    let pad = width - body.count
    guard pad > 0 else { return body }
    let padding = String(repeating: fill, count: pad)
    switch align ?? (value.isNumber ? ">" : "<") {
    case "<": return body + padding
    case "^": return String(repeating: fill, count: pad / 2) + body + String(repeating: fill, count: pad - pad / 2)
    case "=":
        if let first = body.first, first == "-" || first == "+" { return String(first) + padding + body.dropFirst() }
        return padding + body
    default: return padding + body
    }
}

private func groupThousands(_ s: String) -> String {
    if s.contains(where: { $0 == "e" || $0 == "n" || $0 == "i" }) { return s }  // exponent form, nan, inf
    var digits = Substring(s), sign = ""
    if digits.first == "-" { sign = "-"; digits = digits.dropFirst() }
    let parts = digits.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
    var whole = Array(parts[0]), out: [Character] = []
    while whole.count > 3 {
        out = [","] + whole.suffix(3) + out
        whole.removeLast(3)
    }
    let grouped = String(whole + out)
    return sign + grouped + (parts.count > 1 ? "." + parts[1] : "")
}

extension Value {
    var isNumber: Bool { if case .number = self { return true } else { return false } }
}
