import DVSLang
import Foundation

/// Strings: splitting, trimming, case, search and formatting. Positions count
/// characters (what a reader sees), not bytes.
enum StringLibrary {
    static let functions: [NativeFunction] = [
        NativeFunction(
            "ord", [.init("c", .string)], returns: "number",
            help: "The Unicode code point of a one-character string: ord(\"A\") == 65."
        ) { a in
            let s = try a.string(0)
            guard s.unicodeScalars.count == 1, let scalar = s.unicodeScalars.first else {
                throw NativeError("ord: needs a string of one character, got \(Value.string(s).repr)")
            }
            return .number(Double(scalar.value))
        },
        NativeFunction(
            "chr", [.init("code", .whole)], returns: "string",
            help: "The one-character string of a Unicode code point: chr(65) == \"A\"."
        ) { a in
            let code = try a.int(0)
            guard code >= 0, code <= 0x10FFFF, let scalar = Unicode.Scalar(UInt32(code)) else {
                throw NativeError("chr: \(code) is not a Unicode code point (0…0x10FFFF, not a surrogate)")
            }
            return .string(String(Character(scalar)))
        },
        NativeFunction(
            "split", [.init("s", .string), .init("separator", .string, default: .null)], returns: "list",
            help: "Splits on separator, or on runs of whitespace when none is given: split(\"a b  c\") == [\"a\", \"b\", \"c\"]."
        ) { a in
            let s = try a.string(0)
            if a.isNil(1) {
                return .list(s.split(whereSeparator: { $0.isWhitespace }).map { .string(String($0)) })
            }
            let sep = try a.string(1)
            guard !sep.isEmpty else { throw NativeError("split: separator cannot be empty (use list(s) for characters)") }
            return .list(s.components(separatedBy: sep).map { .string($0) })
        },
        NativeFunction(
            "strip", [.init("s", .string)], returns: "string",
            help: "The string without leading and trailing whitespace."
        ) { a in
            .string(try a.string(0).trimmingCharacters(in: .whitespacesAndNewlines))
        },
        NativeFunction("upper", [.init("s", .string)], returns: "string", help: "The string in upper case.") { a in
            .string(try a.string(0).uppercased())
        },
        NativeFunction("lower", [.init("s", .string)], returns: "string", help: "The string in lower case.") { a in
            .string(try a.string(0).lowercased())
        },
        NativeFunction(
            "replace", [.init("s", .string), .init("old", .string), .init("new", .string)], returns: "string",
            help: "The string with every occurrence of old replaced by new."
        ) { a in
            let old = try a.string(1)
            guard !old.isEmpty else { throw NativeError("replace: the text to replace cannot be empty") }
            return .string(try a.string(0).replacingOccurrences(of: old, with: try a.string(2)))
        },
        NativeFunction(
            "starts_with", [.init("s", .string), .init("prefix", .string)], returns: "bool",
            help: "True when s begins with prefix."
        ) { a in
            .bool(try a.string(0).hasPrefix(try a.string(1)))
        },
        NativeFunction(
            "ends_with", [.init("s", .string), .init("suffix", .string)], returns: "bool",
            help: "True when s ends with suffix."
        ) { a in
            .bool(try a.string(0).hasSuffix(try a.string(1)))
        },
        NativeFunction(
            "find", [.init("s", .string), .init("sub", .string)], returns: "number|nil",
            help: "The character position of the first occurrence of sub in s, or nil when absent."
        ) { a in
            let s = try a.string(0), sub = try a.string(1)
            if sub.isEmpty { return .number(0) }
            guard let r = s.range(of: sub) else { return .null }
            return .number(Double(s.distance(from: s.startIndex, to: r.lowerBound)))
        },
        NativeFunction(
            "format", [.init("template", .string)], variadic: .init("values"), returns: "string",
            help:
                "Fills {} placeholders in order, with optional specs as in {:.3f}: format(\"{} = {:.2f}\", \"pi\", pi) == \"pi = 3.14\". Specs: [[fill]align][+][width][,][.precision][f|e|g|d|x|s|%]."
        ) { a in
            try format(try a.string(0), a.rest)
        },
    ]

    static func format(_ template: String, _ values: [Value]) throws(NativeError) -> Value {
        var out = ""
        var next = 0
        var chars = template[...]
        while let c = chars.first {
            chars = chars.dropFirst()
            if c == "{" {
                if chars.first == "{" { out.append("{"); chars = chars.dropFirst(); continue }
                guard let close = chars.firstIndex(of: "}") else { throw NativeError("format: unclosed '{' in template") }
                var field = String(chars[..<close])
                chars = chars[chars.index(after: close)...]
                var spec = ""
                if let colon = field.firstIndex(of: ":") {
                    spec = String(field[field.index(after: colon)...])
                    field = String(field[..<colon])
                }
                guard field.isEmpty else {
                    throw NativeError("format: placeholder '{\(field)}' must be empty, as in {} or {:.2f}")
                }
                let position = next
                next += 1
                guard position < values.count else {
                    throw NativeError("format: the template has more placeholders than the \(values.count) value\(values.count == 1 ? "" : "s") given")
                }
                out += try formatValue(values[position], spec: spec)
            } else if c == "}" {
                if chars.first == "}" { chars = chars.dropFirst() }
                out.append("}")
            } else {
                out.append(c)
            }
        }
        return .string(out)
    }
}
