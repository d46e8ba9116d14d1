/// A JSON value as read by `JSONParser` (RFC 8259) or built to be written.
///
/// Unlike Foundation's `JSONSerialization` it keeps what a validator needs:
/// object members in file order *with duplicates* (so callers can reject them),
/// and numbers as their literal text (so `3`, `3.0` and `-3` can be told apart
/// and huge values never silently round).
public enum JSONValue {
    case object([(key: String, value: JSONValue)])
    case array([JSONValue])
    case string(String)
    /// The number's literal text, in the JSON grammar (the parser checks it;
    /// a writer must give such text, e.g. `3`, `-0.5`, `1e-07`).
    case number(String)
    case bool(Bool)
    case null

    /// A whole number.
    public static func int(_ n: Int) -> JSONValue { .number(String(n)) }

    /// A finite number in its shortest round-trip text (`0.5`, `1e-05`);
    /// NaN and infinities, which JSON lacks, become null.
    public static func double(_ x: Double) -> JSONValue { x.isFinite ? .number(x.description) : .null }

    /// "an object", "a string", … for messages.
    public var kindDescription: String {
        switch self {
        case .object: return "an object"
        case .array: return "a list"
        case .string: return "a string"
        case .number: return "a number"
        case .bool: return "a boolean"
        case .null: return "null"
        }
    }

    /// The value as JSON text: compact (`{"a":[1,2]}`) when `indent` is 0,
    /// else one member or item per line, nested levels indented by `indent` spaces.
    public func text(indent: Int = 0) -> String {
        var out = ""
        render(into: &out, indent: max(0, indent), level: 0, limit: nil)
        return out
    }

    /// The value as compact JSON text, cut to about `limit` characters (for messages).
    public func compactText(limit: Int = 80) -> String {
        var out = ""
        render(into: &out, indent: 0, level: 0, limit: limit)
        return out.count > limit ? String(out.prefix(limit)) + "…" : out
    }

    /// Appends the text; with a `limit`, stops soon after the text passes it.
    private func render(into out: inout String, indent: Int, level: Int, limit: Int?) {
        if let limit, out.count > limit { return }
        func open(_ bracket: String, _ count: Int, _ item: (Int, inout String) -> Void, _ close: String) {
            out += bracket
            for i in 0..<count {
                if i > 0 { out += "," }
                if indent > 0 { out += "\n" + String(repeating: " ", count: indent * (level + 1)) }
                item(i, &out)
                if let limit, out.count > limit { return }
            }
            if indent > 0 && count > 0 { out += "\n" + String(repeating: " ", count: indent * level) }
            out += close
        }
        switch self {
        case .object(let members):
            open(
                "{", members.count,
                { i, out in
                    out += JSONValue.quoted(members[i].key) + (indent > 0 ? ": " : ":")
                    members[i].value.render(into: &out, indent: indent, level: level + 1, limit: limit)
                }, "}")
        case .array(let items):
            open(
                "[", items.count,
                { i, out in
                    items[i].render(into: &out, indent: indent, level: level + 1, limit: limit)
                }, "]")
        case .string(let s): out += JSONValue.quoted(s)
        case .number(let text): out += text
        case .bool(let b): out += b ? "true" : "false"
        case .null: out += "null"
        }
    }

    /// `s` as a JSON string literal: quotes, backslashes and control characters
    /// escaped; other characters (all of Unicode) written as they are, in UTF-8.
    public static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
