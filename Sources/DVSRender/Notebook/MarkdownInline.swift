/// Markdown inline syntax: emphasis, code spans, links, escapes, line breaks.
extension Markdown {
    /// `text` (a paragraph, heading or list item) as escaped HTML with inline
    /// elements. Every character is either escaped or part of a tag written
    /// here whole, so the result is always well formed.
    static func inline(_ text: String) -> String {
        var parser = InlineParser(Array(text), depth: 0)
        return parser.render()
    }

    /// Whether a link may point at `url`: http(s), mailto, or a relative URL
    /// (no scheme before the first `/`, `?` or `#`). javascript:, data: and
    /// the rest are refused.
    static func isSafeURL(_ url: String) -> Bool {
        let lower = url.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower.hasPrefix("mailto:") { return true }
        let head = url.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        return !head.contains(":") && !url.contains { $0.isWhitespace || ($0.asciiValue.map { $0 < 0x20 } ?? false) }
    }

    struct InlineParser {
        let c: [Character]
        let depth: Int
        /// See `matchBrackets`.
        let closer: [Int]
        var out = ""
        /// For each delimiter (char and run length), the earliest start from
        /// which a search for its closer failed: searching again later would
        /// fail too, and remembering it keeps unmatched `*`s linear.
        var noCloserFrom: [String: Int] = [:]

        /// Emphasis and link text nest; past this depth delimiters are text.
        static let maxDepth = 32
        /// Link text and targets longer than this are not looked for.
        static let maxLinkLength = 2048

        init(_ c: [Character], depth: Int) {
            self.c = c
            self.depth = depth
            self.closer = InlineParser.matchBrackets(c)
        }

        mutating func render() -> String {
            var i = 0
            while i < c.count {
                let ch = c[i]
                switch ch {
                case "\\":
                    if i + 1 < c.count, c[i + 1] == "\n" {
                        out += "<br>\n"
                        i += 2
                    } else if i + 1 < c.count, c[i + 1].isASCII, c[i + 1].isPunctuation || c[i + 1].isSymbol {
                        text(c[i + 1])
                        i += 2
                    } else {
                        text(ch)
                        i += 1
                    }
                case "`":
                    i = codeSpan(at: i)
                case "[":
                    i = link(at: i)
                case "*", "_":
                    i = emphasis(at: i)
                case " ":
                    let run = run(of: " ", at: i)
                    if run >= 2, i + run < c.count, c[i + run] == "\n" {
                        out += "<br>\n"
                        i += run + 1
                    } else {
                        for _ in 0..<run { out += " " }
                        i += run
                    }
                default:
                    text(ch)
                    i += 1
                }
            }
            return out
        }

        mutating func text(_ ch: Character) {
            for scalar in ch.unicodeScalars { HTMLText.append(scalar, to: &out) }
        }

        mutating func text(_ range: Range<Int>) {
            for k in range { text(c[k]) }
        }

        func run(of ch: Character, at i: Int) -> Int {
            var k = i
            while k < c.count, c[k] == ch { k += 1 }
            return k - i
        }

        func sub(_ range: Range<Int>) -> InlineParser { InlineParser(Array(c[range]), depth: depth + 1) }

        /// `` `code` ``: a run of backticks up to the next run of the same length.
        mutating func codeSpan(at i: Int) -> Int {
            let n = run(of: "`", at: i)
            if let close = closingRun(of: "`", length: n, from: i + n, skipCode: false) {
                var body = c[(i + n)..<close].map { $0 == "\n" ? " " : $0 }
                if body.count >= 2, body.first == " ", body.last == " ", body.contains(where: { $0 != " " }) {
                    body = Array(body.dropFirst().dropLast())
                }
                out += "<code>"
                for ch in body { text(ch) }
                out += "</code>"
                return close + n
            }
            text(i..<(i + n))
            return i + n
        }

        /// The start of the next run of exactly `length` `ch`s after `from` that
        /// can close (for emphasis: not after a space, and for `_` not before a
        /// letter); code spans in between are skipped when `skipCode`.
        mutating func closingRun(of ch: Character, length: Int, from: Int, skipCode: Bool) -> Int? {
            let key = "\(ch)\(length)"
            if let failed = noCloserFrom[key], from >= failed { return nil }
            var k = from
            while k < c.count {
                if c[k] == ch {
                    let r = run(of: ch, at: k)
                    if r == length, ch == "`" || canClose(ch, at: k, length: r) { return k }
                    k += r
                } else if skipCode, c[k] == "`" {
                    let r = run(of: "`", at: k)
                    k = closingRun(of: "`", length: r, from: k + r, skipCode: false).map { $0 + r } ?? k + r
                } else {
                    k += 1
                }
            }
            noCloserFrom[key] = Swift.min(noCloserFrom[key] ?? from, from)
            return nil
        }

        func canClose(_ ch: Character, at k: Int, length: Int) -> Bool {
            guard k > 0, !c[k - 1].isWhitespace else { return false }
            if ch == "_", k + length < c.count, c[k + length].isLetter || c[k + length].isNumber { return false }
            return true
        }

        /// `*em*`, `**strong**`, `***both***` (or with `_`, not inside words).
        mutating func emphasis(at i: Int) -> Int {
            let ch = c[i]
            let n = run(of: ch, at: i)
            let opens =
                i + n < c.count && !c[i + n].isWhitespace
                && !(ch == "_" && i > 0 && (c[i - 1].isLetter || c[i - 1].isNumber))
            guard opens, n <= 3, depth < InlineParser.maxDepth,
                let close = closingRun(of: ch, length: n, from: i + n, skipCode: true)
            else {
                text(i..<(i + n))
                return i + n
            }
            var inner = sub((i + n)..<close)
            let body = inner.render()
            switch n {
            case 1: out += "<em>" + body + "</em>"
            case 2: out += "<strong>" + body + "</strong>"
            default: out += "<strong><em>" + body + "</em></strong>"
            }
            return close + n
        }

        /// `[text](url)`; a link to an unsafe URL is shown as its source text.
        mutating func link(at i: Int) -> Int {
            guard depth < InlineParser.maxDepth, let (textEnd, urlEnd) = linkExtent(at: i) else {
                text("[")
                return i + 1
            }
            let url = String(c[(textEnd + 2)..<urlEnd]).trimming(" ")
            guard Markdown.isSafeURL(url) else {
                text(i..<(urlEnd + 1))
                return urlEnd + 1
            }
            var label = sub((i + 1)..<textEnd)
            out += "<a href=\"" + HTMLText.escape(url) + "\">" + label.render() + "</a>"
            return urlEnd + 1
        }

        /// The `]` closing the link text at `i` and the `)` closing the target
        /// right after it, if the text and target are short and on one line.
        func linkExtent(at i: Int) -> (Int, Int)? {
            let textEnd = closer[i]
            guard textEnd > i, textEnd - i <= InlineParser.maxLinkLength, textEnd + 1 < c.count, c[textEnd + 1] == "(" else { return nil }
            let urlEnd = closer[textEnd + 1]
            guard urlEnd > textEnd, urlEnd - textEnd <= InlineParser.maxLinkLength,
                !c[(textEnd + 2)..<urlEnd].contains("\n")
            else { return nil }
            return (textEnd, urlEnd)
        }

        /// For each `[` and `(`, the index of the `]` or `)` that balances it
        /// (brackets and parentheses nest; a backslash escapes), else -1: one
        /// pass, so looking for links stays linear on `[[[[…`.
        static func matchBrackets(_ c: [Character]) -> [Int] {
            var closer = [Int](repeating: -1, count: c.count)
            var brackets: [Int] = []
            var parens: [Int] = []
            var k = 0
            while k < c.count {
                switch c[k] {
                case "\\": k += 1
                case "[": brackets.append(k)
                case "]": if let open = brackets.popLast() { closer[open] = k }
                case "(": parens.append(k)
                case ")": if let open = parens.popLast() { closer[open] = k }
                default: break
                }
                k += 1
            }
            return closer
        }
    }
}
