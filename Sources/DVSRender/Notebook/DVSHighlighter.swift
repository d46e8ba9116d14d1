/// Syntax highlighting of DVS source as HTML: the text, escaped, with spans
/// around keywords (`hl-kw`), `true`/`false`/`nil` (`hl-lit`), numbers
/// (`hl-num`), strings (`hl-str`, escapes inside as `hl-esc`), the braces of
/// `{expr}` interpolation (`hl-ip`, the expression itself highlighted as code,
/// a `:spec` as `hl-spec`), comments (`hl-com`) and names called with `(`
/// (`hl-fn`).
///
/// It recognizes the same lexical classes as DVSLang's lexer (which this layer
/// must not import) but never fails: an unterminated string or interpolation
/// is shown as it stands.
public enum DVSHighlighter {
    /// DVSLang's keywords (a test checks the two lists agree), without the literals.
    public static let keywords: Set<String> = [
        "let", "var", "fn", "if", "else", "while", "for", "in", "break", "continue",
        "return", "import", "as", "and", "or", "not", "try", "catch", "finally",
    ]
    public static let literals: Set<String> = ["true", "false", "nil"]

    /// The source as escaped HTML with highlighting spans (no enclosing element).
    public static func html(_ source: String) -> String {
        html(source, depth: 0)
    }

    /// Interpolations nest strings in code in strings; past this depth the
    /// expression is shown as string text (the parser stops at 256 levels).
    static let maxDepth = 32

    static func html(_ source: String, depth: Int) -> String {
        var scanner = Scanner(Array(source.unicodeScalars), depth: depth)
        scanner.code()
        return scanner.out
    }

    private struct Scanner {
        let s: [Unicode.Scalar]
        let depth: Int
        var i = 0
        var out = ""

        init(_ s: [Unicode.Scalar], depth: Int) {
            self.s = s
            self.depth = depth
            out.reserveCapacity(s.count * 2)
        }

        func at(_ k: Int) -> Unicode.Scalar? { k < s.count ? s[k] : nil }

        mutating func plain(_ scalar: Unicode.Scalar) { HTMLText.append(scalar, to: &out) }

        mutating func span(_ cls: String, _ range: Range<Int>) {
            out += "<span class=\"\(cls)\">"
            for k in range { plain(s[k]) }
            out += "</span>"
        }

        mutating func code() {
            while i < s.count {
                let c = s[i]
                if c == "#" {
                    let start = i
                    while i < s.count, s[i] != "\n" { i += 1 }
                    span("hl-com", start..<i)
                } else if isDigit(c) || (c == "." && isDigit(at(i + 1))) {
                    number()
                } else if identifierLength(at: i, first: true) != nil {
                    let start = i
                    while let w = identifierLength(at: i, first: i == start) { i += w }
                    let word = String(String.UnicodeScalarView(s[start..<i]))
                    if DVSHighlighter.keywords.contains(word) {
                        span("hl-kw", start..<i)
                    } else if DVSHighlighter.literals.contains(word) {
                        span("hl-lit", start..<i)
                    } else if at(i) == "(" {
                        span("hl-fn", start..<i)
                    } else {
                        for k in start..<i { plain(s[k]) }
                    }
                } else if c == "\"" {
                    string()
                } else if c == ".", at(i + 1) == ".", at(i + 2) == "<" || at(i + 2) == "." {
                    // `..<` and `...` are one symbol: the last '.' must not start a number.
                    for k in i..<(i + 3) { plain(s[k]) }
                    i += 3
                } else {
                    plain(c)
                    i += 1
                }
            }
        }

        /// Digits and `_`, a fraction only when a digit follows the '.', an
        /// exponent only when digits follow it — as the lexer reads numbers.
        mutating func number() {
            let start = i
            while isDigit(at(i)) || at(i) == "_" { i += 1 }
            if at(i) == ".", isDigit(at(i + 1)) {
                i += 1
                while isDigit(at(i)) || at(i) == "_" { i += 1 }
            }
            if at(i) == "e" || at(i) == "E" {
                var k = i + 1
                if at(k) == "+" || at(k) == "-" { k += 1 }
                if isDigit(at(k)) {
                    while isDigit(at(k)) { k += 1 }
                    i = k
                }
            }
            span("hl-num", start..<i)
        }

        /// String text is wrapped lazily, so an interpolation right after the
        /// quote or after another interpolation leaves no empty span.
        var inString = false

        mutating func openString() {
            if !inString { out += "<span class=\"hl-str\">"; inString = true }
        }

        mutating func closeString() {
            if inString { out += "</span>"; inString = false }
        }

        mutating func string() {
            openString()
            plain(s[i])  // opening quote
            i += 1
            while i < s.count {
                let c = s[i]
                if c == "\"" {
                    openString()
                    plain(c)
                    i += 1
                    break
                }
                if c == "\\" {
                    openString()
                    var end = Swift.min(i + 2, s.count)
                    if at(i + 1) == "u", at(i + 2) == "{" {
                        var k = i + 3
                        while k < s.count, k < i + 13, s[k] != "}", s[k] != "\"" { k += 1 }
                        if at(k) == "}" { end = k + 1 }
                    }
                    span("hl-esc", i..<end)
                    i = end
                    continue
                }
                if c == "{", at(i + 1) != "}", at(i + 1) != ":", depth < DVSHighlighter.maxDepth, let interp = interpolation(from: i) {
                    closeString()
                    out += "<span class=\"hl-ip\">{</span>"
                    out += DVSHighlighter.html(String(String.UnicodeScalarView(s[(i + 1)..<interp.exprEnd])), depth: depth + 1)
                    if interp.exprEnd < interp.close {
                        out += "<span class=\"hl-ip\">:</span>"
                        if interp.exprEnd + 1 < interp.close { span("hl-spec", (interp.exprEnd + 1)..<interp.close) }
                    }
                    out += "<span class=\"hl-ip\">}</span>"
                    i = interp.close + 1
                    continue
                }
                openString()
                plain(c)
                i += 1
            }
            closeString()
        }

        /// The end of the `{expr}` or `{expr:spec}` opening at `open`, matching
        /// nested brackets and strings like the lexer; nil when it is not a
        /// complete interpolation (the lexer would report an error).
        func interpolation(from open: Int) -> (exprEnd: Int, close: Int)? {
            var k = open + 1
            var depth = 0
            var specStart: Int? = nil
            while true {
                guard k < s.count else { return nil }
                let c = s[k]
                if c == "\"" {
                    k += 1
                    while k < s.count, s[k] != "\"" {
                        if s[k] == "\\" { k += 1 }
                        if k < s.count { k += 1 }
                    }
                    if k < s.count { k += 1 }
                    continue
                }
                if c == "(" || c == "[" || c == "{" { depth += 1 }
                if c == ")" || c == "]" { depth -= 1 }
                if c == "}" {
                    if depth == 0 { break }
                    depth -= 1
                }
                if c == ":", depth == 0, specStart == nil { specStart = k }
                if c == "\n", depth == 0 { return nil }
                k += 1
            }
            let exprEnd = specStart ?? k
            if s[(open + 1)..<exprEnd].allSatisfy({ $0 == " " }) { return nil }
            return (exprEnd, k)
        }

        func isDigit(_ c: Unicode.Scalar?) -> Bool {
            guard let c else { return false }
            return c >= "0" && c <= "9"
        }

        /// Letters of any script, `_`, and digits after the first character.
        func identifierLength(at k: Int, first: Bool) -> Int? {
            guard let c = at(k) else { return nil }
            if c.isASCII {
                let ok = (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c == "_" || (!first && isDigit(c))
                return ok ? 1 : nil
            }
            return c.properties.isAlphabetic || (!first && c.properties.numericType != nil) ? 1 : nil
        }
    }
}
