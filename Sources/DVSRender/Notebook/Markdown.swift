/// A small, safe Markdown renderer for notebook text cells.
///
/// Blocks: ATX headings (`#` … `######`), paragraphs, fenced code blocks
/// (```` ``` ```` or `~~~`; highlighted when the info string is `dvs`), lists
/// (`-`/`*`/`+` and `1.`/`1)`, nested by indenting), block quotes (`>`) and
/// horizontal rules. Inline: `*em*`, `**strong**` (also with `_`), `` `code` ``,
/// `[text](url)` and backslash escapes; two trailing spaces or a trailing `\`
/// break the line.
///
/// Nothing passes through as HTML: all text is escaped, and a link keeps its
/// target only for http(s), mailto and relative URLs (any other link is shown
/// as the literal source text).
public enum Markdown {
    /// The HTML for `text`: block elements, one per line group.
    public static func render(_ text: String) -> String {
        let lines = HTMLText.lines(text).map(expandLeadingTabs)
        return blocks(lines[...], depth: 0)
    }

    /// Quotes and lists nest blocks; deeper than this, the rest is paragraph text.
    static let maxDepth = 16

    // MARK: - Blocks

    static func blocks(_ lines: ArraySlice<String>, depth: Int) -> String {
        var out = ""
        var i = lines.startIndex
        while i < lines.endIndex {
            let line = lines[i]
            if isBlank(line) {
                i += 1
            } else if let fence = Fence(line) {
                var body: [String] = []
                i += 1
                while i < lines.endIndex, !fence.isClosed(by: lines[i]) {
                    body.append(fence.strip(lines[i]))
                    i += 1
                }
                if i < lines.endIndex { i += 1 }  // the closing fence
                out += codeBlock(body.joined(separator: "\n"), info: fence.info)
            } else if let (level, text) = heading(line) {
                out += "<h\(level)>\(inline(text))</h\(level)>\n"
                i += 1
            } else if isRule(line) {
                out += "<hr>\n"
                i += 1
            } else if depth < maxDepth, quoteContent(line) != nil {
                var inner: [String] = []
                while i < lines.endIndex, let content = quoteContent(lines[i]) {
                    inner.append(content)
                    i += 1
                }
                out += "<blockquote>\n" + blocks(inner[...], depth: depth + 1) + "</blockquote>\n"
            } else if depth < maxDepth, let marker = ListMarker(line) {
                out += list(lines, from: &i, first: marker, depth: depth)
            } else {
                var para: [String] = []
                while i < lines.endIndex, !isBlank(lines[i]), para.isEmpty || !startsBlock(lines[i]) {
                    para.append(lines[i].trimmingLeadingSpaces())
                    i += 1
                }
                out += "<p>" + inline(para.joined(separator: "\n")) + "</p>\n"
            }
        }
        return out
    }

    /// Whether `line` begins a block that ends a running paragraph. As in
    /// CommonMark, a numbered line interrupts a paragraph only if it is "1.",
    /// so a sentence that wraps onto "2024. …" stays text.
    static func startsBlock(_ line: String) -> Bool {
        Fence(line) != nil || heading(line) != nil || isRule(line) || quoteContent(line) != nil
            || ListMarker(line).map { !$0.ordered || $0.number == 1 } ?? false
    }

    static func codeBlock(_ code: String, info: String) -> String {
        if info.lowercased() == "dvs" {
            return "<pre class=\"dvs-source\"><code>" + DVSHighlighter.html(code) + "</code></pre>\n"
        }
        return "<pre><code>" + HTMLText.escape(code) + "</code></pre>\n"
    }

    /// A list starting at `i` with `first`'s marker type; `i` ends after it.
    /// Items hold the lines indented at least two spaces past the list's
    /// marker (less their own marker's width), rendered as blocks, so lists nest.
    static func list(_ lines: ArraySlice<String>, from i: inout Int, first: ListMarker, depth: Int) -> String {
        var items: [[String]] = []
        var contentIndent = first.contentIndent
        let nested = first.indent + 2  // lines indented this much belong to the item above
        while i < lines.endIndex {
            let line = lines[i]
            if let m = ListMarker(line), m.indent < nested {
                guard m.ordered == first.ordered else { break }
                items.append([m.content])
                contentIndent = m.contentIndent
                i += 1
            } else if isBlank(line) {
                // A blank line continues the list only if more of it follows.
                var k = i + 1
                while k < lines.endIndex, isBlank(lines[k]) { k += 1 }
                guard k < lines.endIndex else { break }
                let next = lines[k]
                let continues =
                    (ListMarker(next).map { $0.indent < nested && $0.ordered == first.ordered } ?? false)
                    || next.leadingSpaces >= nested
                guard continues else { break }
                items[items.count - 1].append("")
                i += 1
            } else if line.leadingSpaces >= nested {
                items[items.count - 1].append(String(line.dropFirst(Swift.min(line.leadingSpaces, contentIndent))))
                i += 1
            } else if let last = items.last?.last, !isBlank(last), !startsBlock(line) {
                items[items.count - 1].append(line)  // lazy continuation of the item's text
                i += 1
            } else {
                break
            }
        }
        let tag = first.ordered ? "ol" : "ul"
        var out = first.ordered && first.number != 1 ? "<ol start=\"\(first.number)\">\n" : "<\(tag)>\n"
        for item in items {
            out += "<li>" + listItem(item, depth: depth) + "</li>\n"
        }
        return out + "</\(tag)>\n"
    }

    /// An item's leading text stays inline (a tight list); what follows a
    /// blank line or starts a block (a nested list) is rendered as blocks.
    static func listItem(_ lines: [String], depth: Int) -> String {
        var k = 0
        var text: [String] = []
        while k < lines.count, !isBlank(lines[k]), !startsBlock(lines[k]) {
            text.append(lines[k].trimmingLeadingSpaces())
            k += 1
        }
        var out = inline(text.joined(separator: "\n"))
        if k < lines.count {
            let rest = blocks(lines[k...], depth: depth + 1)
            if !rest.isEmpty { out += "\n" + rest }
        }
        return out
    }

    // MARK: - Line classes

    static func isBlank(_ line: String) -> Bool { line.allSatisfy { $0 == " " || $0 == "\t" } }

    /// `# Title` … `###### Title`, optional closing `#`s removed.
    static func heading(_ line: String) -> (Int, String)? {
        guard line.leadingSpaces <= 3 else { return nil }
        let rest = line.trimmingLeadingSpaces()
        let level = rest.prefix { $0 == "#" }.count
        guard (1...6).contains(level) else { return nil }
        let after = rest.dropFirst(level)
        guard after.isEmpty || after.first == " " || after.first == "\t" else { return nil }
        var text = after.trimming(" \t")
        let hashes = text.reversed().prefix { $0 == "#" }.count
        if hashes > 0 {
            let before = text.dropLast(hashes)
            if before.isEmpty || before.last == " " || before.last == "\t" { text = before.trimming(" \t") }
        }
        return (level, text)
    }

    /// Three or more `-`, `*` or `_` (the same one), spaces allowed between.
    static func isRule(_ line: String) -> Bool {
        guard line.leadingSpaces <= 3 else { return false }
        let marks = line.filter { $0 != " " && $0 != "\t" }
        guard marks.count >= 3, let c = marks.first, c == "-" || c == "*" || c == "_" else { return false }
        return marks.allSatisfy { $0 == c }
    }

    /// The text after `>` (and one space), or nil for a line that is no quote.
    static func quoteContent(_ line: String) -> String? {
        guard line.leadingSpaces <= 3 else { return nil }
        let rest = line.trimmingLeadingSpaces()
        guard rest.first == ">" else { return nil }
        let after = rest.dropFirst()
        return String(after.first == " " ? after.dropFirst() : after)
    }

    /// A tab at the start of a line counts as four columns.
    static func expandLeadingTabs(_ line: String) -> String {
        guard line.hasPrefix("\t") || line.hasPrefix(" ") else { return line }
        var column = 0
        var rest = line[...]
        while let c = rest.first, c == " " || c == "\t" {
            column = c == "\t" ? (column / 4 + 1) * 4 : column + 1
            rest = rest.dropFirst()
        }
        return String(repeating: " ", count: column) + rest
    }

    /// A list item's first line: `- text`, `* text`, `+ text`, `1. text`, `1) text`.
    struct ListMarker {
        var ordered: Bool
        var number: Int
        var indent: Int
        /// Column where the item's text starts; lines under it drop this much.
        var contentIndent: Int
        var content: String

        init?(_ line: String) {
            indent = line.leadingSpaces
            guard indent <= 3 else { return nil }
            let rest = line.dropFirst(indent)
            guard let c = rest.first else { return nil }
            var markerWidth: Int
            if c == "-" || c == "*" || c == "+" {
                ordered = false
                number = 1
                markerWidth = 1
            } else {
                let digits = rest.prefix { $0.isASCII && $0.isNumber }
                guard (1...9).contains(digits.count), let n = Int(digits),
                    let d = rest.dropFirst(digits.count).first, d == "." || d == ")"
                else { return nil }
                ordered = true
                number = n
                markerWidth = digits.count + 1
            }
            let after = rest.dropFirst(markerWidth)
            guard let space = after.first, space == " " else { return nil }
            content = after.trimming(" ")
            contentIndent = indent + markerWidth + 1
        }
    }

    /// Fenced code: a line of three or more backticks or tildes, an info
    /// string, the code, and a closing line of at least as many of the same.
    struct Fence {
        var mark: Character
        var count: Int
        var indent: Int
        var info: String

        init?(_ line: String) {
            indent = line.leadingSpaces
            guard indent <= 3 else { return nil }
            let rest = line.dropFirst(indent)
            guard let c = rest.first, c == "`" || c == "~" else { return nil }
            count = rest.prefix { $0 == c }.count
            guard count >= 3 else { return nil }
            mark = c
            let infoText = rest.dropFirst(count).trimming(" \t")
            if c == "`", infoText.contains("`") { return nil }
            info = String(infoText.prefix { $0 != " " && $0 != "\t" })
        }

        func isClosed(by line: String) -> Bool {
            guard line.leadingSpaces <= 3 else { return false }
            let rest = line.trimmingLeadingSpaces()
            let run = rest.prefix { $0 == mark }.count
            return run >= count && rest.dropFirst(run).allSatisfy { $0 == " " || $0 == "\t" }
        }

        /// A code line without the opening fence's indentation.
        func strip(_ line: String) -> String { String(line.dropFirst(Swift.min(indent, line.leadingSpaces))) }
    }
}

extension StringProtocol {
    var leadingSpaces: Int { prefix { $0 == " " }.count }

    func trimmingLeadingSpaces() -> String { String(drop { $0 == " " }) }

    func trimming(_ set: String) -> String {
        String(drop { set.contains($0) }.reversed().drop { set.contains($0) }.reversed())
    }
}
