import Foundation

/// Renders a `NotebookDocument` as one self-contained HTML5 page: inline CSS,
/// no script, nothing loaded from the network. Pictures are `data:` URIs, code
/// is highlighted, long outputs are folded into `<details>`, and the page
/// reads on a phone and prints with everything expanded.
///
/// Structure (the CSS and the browser test rely on these names):
///
///     <div class="dvs-notebook">
///       <header class="dvs-header"><h1>title</h1><p class="dvs-summary">…</p></header>
///       <main>
///         <section class="dvs-cell dvs-code[ dvs-failed[ dvs-stopped]]" id="cell-K">   K: position, from 1
///           <div class="dvs-input">
///             <div class="dvs-gutter"><span class="dvs-prompt">In [n]</span><span class="dvs-time">12 ms</span>
///               [<span class="dvs-status">failed|timed out|interrupted</span>]</div>
///             <pre class="dvs-source"><code>…highlighted…</code></pre></div>
///           <div class="dvs-output dvs-stdout|dvs-value|dvs-error|dvs-picture">
///             <div class="dvs-gutter">[Out[n] for the value]</div>
///             <div class="dvs-body"><pre>…</pre>[<details class="dvs-more">…</details>]
///               or <figure class="dvs-figure" id="fig-N"><img …><figcaption>…</figcaption></figure></div></div>
///         </section>
///         <section class="dvs-cell dvs-markdown" id="cell-K"><div class="dvs-text">…</div></section>
///       </main>
///       <footer class="dvs-footer">generator</footer>
///     </div>
public enum NotebookHTML {
    /// Text outputs longer than this many lines or characters are folded.
    public static let foldLines = 40
    public static let foldCharacters = 4000
    /// How much of a folded output stays visible.
    static let previewLines = 20
    static let previewCharacters = 2000

    public static func render(_ doc: NotebookDocument) -> String {
        let title = doc.title.isEmpty ? "Notebook" : doc.title
        var page = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(HTMLText.escape(title))</title>
            <style>
            \(NotebookStyle.css)</style>
            </head>
            <body>
            <div class="dvs-notebook">
            <header class="dvs-header">
            <h1>\(HTMLText.escape(title))</h1>
            <p class="dvs-summary">\(summary(doc))</p>
            </header>
            <main>

            """
        var figures = 0
        for (k, cell) in doc.cells.enumerated() {
            switch cell.kind {
            case .markdown:
                page += "<section class=\"dvs-cell dvs-markdown\" id=\"cell-\(k + 1)\"><div class=\"dvs-text\">\n"
                page += Markdown.render(cell.source)
                page += "</div></section>\n"
            case .code:
                page += codeCell(cell, id: k + 1, figures: &figures)
            }
        }
        page += """
            </main>
            <footer class="dvs-footer">\(HTMLText.escape(doc.generator))</footer>
            </div>
            </body>
            </html>

            """
        return page
    }

    /// "3 code cells, 1 text cell · ran in 1.24 s · failed: In [2] · 1 code cell not run", linking
    /// the cells that failed, timed out or were interrupted.
    static func summary(_ doc: NotebookDocument) -> String {
        let code = doc.cells.filter { $0.kind == .code }
        let text = doc.cells.count - code.count
        var counts = [plural(code.count, "code cell")]
        if text > 0 { counts.append(plural(text, "text cell")) }
        var parts = [counts.joined(separator: ", ")]
        let durations = code.compactMap(\.duration)
        if !durations.isEmpty, let total = formatDuration(durations.reduce(0, +)) { parts.append("ran in " + total) }
        for outcome in ["failed", "timed out", "interrupted"] {
            let cells = doc.cells.enumerated().filter { $0.element.kind == .code && $0.element.outcome == outcome }
            if cells.isEmpty { continue }
            let links = cells.map { "<a href=\"#cell-\($0.offset + 1)\">\(prompt("In", $0.element.number))</a>" }
            parts.append("<span class=\"dvs-failed-list\">\(outcome): " + links.joined(separator: ", ") + "</span>")
        }
        if doc.cellsNotRun > 0 {
            parts.append("<span class=\"dvs-failed-list\">\(plural(doc.cellsNotRun, "code cell")) not run</span>")
        }
        return parts.joined(separator: " · ")
    }

    static func codeCell(_ cell: NotebookCell, id: Int, figures: inout Int) -> String {
        let marks = (cell.outcome != nil ? " dvs-failed" : "") + (cell.stop != nil ? " dvs-stopped" : "")
        var html = "<section class=\"dvs-cell dvs-code\(marks)\" id=\"cell-\(id)\">\n"
        var gutter = "<span class=\"dvs-prompt\">\(prompt("In", cell.number))</span>"
        if let time = cell.duration.flatMap(formatDuration) { gutter += "<span class=\"dvs-time\">\(time)</span>" }
        if let outcome = cell.outcome { gutter += "<span class=\"dvs-status\">\(outcome)</span>" }
        html += "<div class=\"dvs-input\"><div class=\"dvs-gutter\">\(gutter)</div>"
        html += "<pre class=\"dvs-source\"><code>\(DVSHighlighter.html(trimBlankLines(cell.source)))</code></pre></div>\n"
        for output in cell.outputs {
            let (kind, label, body): (String, String, String)
            switch output {
            case .text(let text):
                (kind, label, body) = ("dvs-stdout", "", textBlock(text))
            case .value(let text, _):
                (kind, label, body) = ("dvs-value", "<span class=\"dvs-prompt\">\(prompt("Out", cell.number))</span>", textBlock(text))
            case .error(let text, _, _):
                (kind, label, body) = ("dvs-error", "", textBlock(text))
            case .image(let png, _, let caption):
                figures += 1
                (kind, label, body) = ("dvs-picture", "", NotebookFigure.png(png, label: caption, number: figures))
            case .svg(let svg, let caption):
                figures += 1
                (kind, label, body) = ("dvs-picture", "", NotebookFigure.svg(svg, label: caption, number: figures))
            }
            html += "<div class=\"dvs-output \(kind)\"><div class=\"dvs-gutter\">\(label)</div><div class=\"dvs-body\">\(body)</div></div>\n"
        }
        return html + "</section>\n"
    }

    /// Output text in `<pre>`; past `foldLines` lines or `foldCharacters`
    /// characters, the first lines stay visible and the rest is in a
    /// `<details>` (opened by CSS when printing).
    static func textBlock(_ raw: String) -> String {
        var lines = HTMLText.lines(raw)
        while lines.count > 1, lines.last!.isEmpty { lines.removeLast() }
        let text = lines.joined(separator: "\n")
        guard lines.count > foldLines || text.count > foldCharacters else {
            return HTMLText.pre(HTMLText.escape(text))
        }
        var head = lines.prefix(previewLines).joined(separator: "\n")
        if head.count > previewCharacters {
            head = String(head.prefix(previewCharacters))
            if let cut = head.lastIndex(of: "\n") { head = String(head[..<cut]) }
        }
        var rest = text.dropFirst(head.count)
        if rest.first == "\n" { rest = rest.dropFirst() }  // the line break between head and rest
        let restLines = rest.reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
        return HTMLText.pre(HTMLText.escape(head))
            + "<details class=\"dvs-more\"><summary>\(plural(restLines, "more line")) (\(plural(text.count, "character")) in all)</summary>"
            + HTMLText.pre(HTMLText.escape(String(rest))) + "</details>"
    }

    /// "In [3]" and "Out[3]" (aligned on the bracket in a monospace gutter),
    /// "In [ ]" for a cell that has no number.
    static func prompt(_ word: String, _ number: Int?) -> String {
        "\(word)\(word.count < 3 ? " " : "")[\(number.map(String.init) ?? " ")]"
    }

    /// "0.4 ms", "12 ms", "1.24 s", "12.4 s", "2 min 05 s"; nil for a time that is no time.
    static func formatDuration(_ seconds: Double) -> String? {
        guard seconds.isFinite, seconds >= 0 else { return nil }
        if seconds < 0.001 { return String(format: "%.1f ms", seconds * 1000) }
        if seconds < 0.9995 { return "\(Int((seconds * 1000).rounded())) ms" }
        if seconds < 9.995 { return String(format: "%.2f s", seconds) }
        if seconds < 59.95 { return String(format: "%.1f s", seconds) }
        let whole = Int(seconds.rounded())
        return String(format: "%d min %02d s", whole / 60, whole % 60)
    }

    static func plural(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    /// The source without blank lines before and after it.
    static func trimBlankLines(_ source: String) -> String {
        var lines = HTMLText.lines(source)
        while let first = lines.first, first.allSatisfy(\.isWhitespace) { lines.removeFirst() }
        while let last = lines.last, last.allSatisfy(\.isWhitespace) { lines.removeLast() }
        return lines.joined(separator: "\n")
    }
}
