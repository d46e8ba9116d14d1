import DVSFiles
import DVSLang
import DVSRender
import Foundation

/// Runs a `# %%`-celled script in one session and collects what each cell
/// printed, echoed and showed, for `dvs notebook` (and the REPL's `:save`).
///
/// Cells start at lines beginning with `# %%`; `# %% [markdown]` starts a
/// Markdown cell whose comment lines (`# text`) are its text. Lines before the
/// first marker form a code cell when they hold code.
public enum NotebookRunner {
    /// One cell of the script, with the line it starts on (for diagnostics).
    public struct SourceCell: Equatable {
        public var kind: NotebookCell.Kind
        public var text: String
        public var firstLine: Int
    }

    public static func split(_ script: String) -> [SourceCell] {
        var cells: [SourceCell] = []
        var kind = NotebookCell.Kind.code
        var lines: [String] = []
        var start = 1
        func flush() {
            var text = lines.joined(separator: "\n")
            if kind == .markdown {
                text = lines.map { line -> String in
                    let t = line.trimmingCharacters(in: .whitespaces)
                    if t.hasPrefix("# ") { return String(t.dropFirst(2)) }
                    if t.hasPrefix("#") { return String(t.dropFirst()) }
                    return t
                }.joined(separator: "\n")
            }
            if !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                cells.append(SourceCell(kind: kind, text: text.trimmingCharacters(in: .newlines), firstLine: start))
            }
        }
        for (i, line) in script.components(separatedBy: "\n").enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("# %%") {
                flush()
                lines = []
                start = i + 2
                kind = trimmed.dropFirst(4).trimmingCharacters(in: .whitespaces).lowercased().hasPrefix("[markdown]") ? .markdown : .code
            } else {
                if lines.isEmpty, trimmed.isEmpty { start = i + 2; continue }
                lines.append(line)
            }
        }
        flush()
        return cells
    }

    /// Runs the cells in order in `interpreter`; stops after the first failing
    /// cell unless `allowErrors`. `sourceName` names the file in diagnostics.
    public static func run(_ cells: [SourceCell], in interpreter: Interpreter, sourceName: String,
                           allowErrors: Bool) -> (cells: [NotebookCell], failed: Bool) {
        var out: [NotebookCell] = []
        var failed = false
        var number = 0
        for cell in cells {
            if cell.kind == .markdown {
                out.append(NotebookCell(kind: .markdown, source: cell.text))
                continue
            }
            if failed && !allowErrors { break }
            number += 1
            var outputs: [NotebookOutput] = []
            var printed = ""
            func flushPrinted() {
                if !printed.isEmpty { outputs.append(.text(printed)); printed = "" }
            }
            let savedOutput = interpreter.output
            interpreter.output = { printed += $0 }
            Display.setSink({ item in
                flushPrinted()
                outputs.append(.image(png: item.png, label: item.label))
            }, for: interpreter)
            // Blank lines in front keep the file's line numbers in diagnostics.
            let source = Source(name: sourceName, text: String(repeating: "\n", count: cell.firstLine - 1) + cell.text)
            let start = DispatchTime.now()
            do {
                let result = try interpreter.run(source)
                flushPrinted()
                if result.isExpression, !isNilValue(result.value), !cell.text.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix(";") {
                    outputs.append(.value(result.value.repr))
                }
            } catch {
                flushPrinted()
                outputs.append(.error(error.render(color: false)))
                failed = true
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
            interpreter.output = savedOutput
            Display.setSink(nil, for: interpreter)
            out.append(NotebookCell(kind: .code, source: cell.text, outputs: outputs, duration: seconds, number: number))
        }
        return (out, failed)
    }

    /// Writes the cells as one self-contained HTML page, atomically.
    public static func write(_ cells: [NotebookCell], title: String, generator: String, to path: String) throws(NativeError) {
        let page = NotebookHTML.render(NotebookDocument(title: title, cells: cells, generator: generator))
        try fileOp { () throws(FileError) in try AtomicFile.write(Array(page.utf8), to: path) }
    }

    private static func isNilValue(_ v: Value) -> Bool {
        if case .null = v { return true }
        return false
    }
}
