import DVSLang

/// Regular expressions (Swift's `Regex` syntax, close to PCRE and Python's `re`):
/// search, all matches, and replacement with `$1`-style group references.
enum RegexLibrary {
    /// The pattern compiled, or an error naming the function and the pattern.
    private static func compile(_ pattern: String, _ function: String) throws(NativeError) -> Regex<AnyRegexOutput> {
        do {
            return try Regex(pattern)
        } catch {
            throw NativeError("\(function): \(Value.string(pattern).repr) is not a valid regular expression: \(error)")
        }
    }

    /// The text of each capture group (nil for a group that did not take part).
    private static func groups(_ m: Regex<AnyRegexOutput>.Match) -> [Value] {
        (1..<max(m.output.count, 1)).map { i in m.output[i].substring.map { .string(String($0)) } ?? .null }
    }

    /// Character offsets of a match in `s` (DVS indexes strings by character).
    private static func offsets(_ m: Regex<AnyRegexOutput>.Match, in s: String) -> (Int, Int) {
        (s.distance(from: s.startIndex, to: m.range.lowerBound), s.distance(from: s.startIndex, to: m.range.upperBound))
    }

    static let functions: [NativeFunction] = [
        NativeFunction(
            "match", [.init("s", .string), .init("pattern", .string)], returns: "record|nil",
            help:
                "The first match of a regular expression anywhere in s (like Python's re.search), or nil: {text, start, end, groups} with character offsets; match(\"v2.15\", \"(\\\\d+)\\\\.(\\\\d+)\").groups == [\"2\", \"15\"]."
        ) { a in
            let s = try a.string(0)
            guard let m = try s.firstMatch(of: try compile(try a.string(1), "match")) else { return .null }
            let (start, end) = offsets(m, in: s)
            return .record(
                RecordObject([
                    ("text", .string(String(s[m.range]))), ("start", .number(Double(start))),
                    ("end", .number(Double(end))), ("groups", .list(groups(m))),
                ]))
        },
        NativeFunction(
            "find_all", [.init("s", .string), .init("pattern", .string)], returns: "list",
            help:
                "Every non-overlapping match of a regular expression in s, left to right: the matched texts, or, when the pattern has groups, each match's list of groups."
        ) { a in
            let s = try a.string(0)
            let regex = try compile(try a.string(1), "find_all")
            return .list(s.matches(of: regex).map { m in m.output.count > 1 ? .list(groups(m)) : .string(String(s[m.range])) })
        },
        NativeFunction(
            "replace_all", [.init("s", .string), .init("pattern", .string), .init("with", .string)], returns: "string",
            help:
                "s with every match of a regular expression replaced; $1…$9 in `with` stand for the match's groups ($0 the whole match, $$ a dollar sign). For plain text, replace(s, old, new)."
        ) { a in
            let s = try a.string(0)
            let regex = try compile(try a.string(1), "replace_all")
            let template = Array(try a.string(2))
            return .string(
                s.replacing(regex) { m in
                    var out = ""
                    var i = 0
                    while i < template.count {
                        if template[i] == "$", i + 1 < template.count {
                            if template[i + 1] == "$" { out.append("$"); i += 2; continue }
                            if let d = template[i + 1].wholeNumberValue {
                                if d < m.output.count, let text = m.output[d].substring { out += text }
                                i += 2
                                continue
                            }
                        }
                        out.append(template[i])
                        i += 1
                    }
                    return out
                })
        },
    ]
}
