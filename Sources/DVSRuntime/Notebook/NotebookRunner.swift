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
    /// One cell of the script, with the line it starts on (for diagnostics)
    /// and the number its marker gives it (`# %% In [7]`, as `:save` writes).
    public struct SourceCell: Equatable {
        public var kind: NotebookCell.Kind
        public var text: String
        public var firstLine: Int
        public var number: Int? = nil

        public init(kind: NotebookCell.Kind, text: String, firstLine: Int, number: Int? = nil) {
            self.kind = kind
            self.text = text
            self.firstLine = firstLine
            self.number = number
        }
    }

    public static func split(_ script: String) -> [SourceCell] {
        var cells: [SourceCell] = []
        var kind = NotebookCell.Kind.code
        var lines: [String] = []
        var start = 1
        var number: Int?
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
                cells.append(
                    SourceCell(
                        kind: kind, text: text.trimmingCharacters(in: .newlines), firstLine: start,
                        number: kind == .code ? number : nil))
            }
        }
        for (i, line) in script.components(separatedBy: "\n").enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("# %%") {
                flush()
                lines = []
                start = i + 2
                let title = trimmed.dropFirst(4).trimmingCharacters(in: .whitespaces)
                kind = title.lowercased().hasPrefix("[markdown]") ? .markdown : .code
                number = cellNumber(inTitle: title)
            } else {
                if lines.isEmpty, trimmed.isEmpty { start = i + 2; continue }
                lines.append(line)
            }
        }
        flush()
        return cells
    }

    /// The number in a cell marker's title `In [7]`, if it has one.
    static func cellNumber(inTitle title: String) -> Int? {
        guard title.hasPrefix("In ["), title.hasSuffix("]") else { return nil }
        return Int(title.dropFirst(4).dropLast().trimmingCharacters(in: .whitespaces))
    }

    /// How to run the cells.
    public struct Options {
        /// Keep running after a cell fails or times out.
        public var allowErrors = false
        /// Seconds a code cell may run before it is stopped; nil: no limit.
        public var timeout: Double?
        /// Seconds a stopped cell gets to end before the run is abandoned.
        public var grace = 2.0
        /// A stop signal the process received (SIGINT, SIGTERM), if any: it
        /// stops the running cell and ends the run.
        public var pendingSignal: @Sendable () -> Int32? = { nil }
        /// Render charts and graphs as SVG too (for .ipynb files).
        public var vectors = false

        public init(allowErrors: Bool = false, timeout: Double? = nil) {
            self.allowErrors = allowErrors
            self.timeout = timeout
        }
    }

    /// What a run produced, and how it ended.
    public struct Outcome {
        /// The cells that ran (or were stopped) and the Markdown cells before them.
        public var cells: [NotebookCell]
        /// Code cells that did not run because the run ended early.
        public var cellsNotRun = 0
        /// Whether a cell failed, timed out or was interrupted.
        public var failed: Bool { cells.contains { $0.outcome != nil } }
        /// Whether a cell was stopped by the time limit.
        public var timedOut: Bool { cells.contains { if case .timedOut? = $0.stop { return true } else { return false } } }
        /// The stop signal that ended the run, if one did.
        public var signal: Int32?
    }

    /// Runs the cells in order in `interpreter`, with `_` and `Out[n]` as in
    /// the REPL; stops after the first failing cell unless `allowErrors`, and
    /// always at a stop signal. `sourceName` names the file in diagnostics. A
    /// stopped cell that does not end within `grace` seconds is handed, with
    /// the cells before it, to `abandon` (on another thread), which should save
    /// them and end the process; the run then returns what it has.
    public static func run(
        _ cells: [SourceCell], in interpreter: Interpreter, sourceName: String,
        options: Options = Options(), abandon: @escaping (Outcome) -> Void = { _ in }
    ) -> Outcome {
        let history = CellHistory(interpreter)
        interpreter.readInputLine = { nil }  // a notebook has no reader: input() is nil
        let codeCells = cells.filter { $0.kind == .code }.count
        var outcome = Outcome(cells: [])
        let watchdog = CellWatchdog(limit: options.timeout, grace: options.grace, pendingSignal: options.pendingSignal) { cells, signal in
            let ran = cells.filter { $0.kind == .code }.count
            abandon(Outcome(cells: cells, cellsNotRun: codeCells - ran, signal: signal))
        }
        defer { watchdog.close() }
        var number = 0
        var ran = 0
        for cell in cells {
            if let signal = options.pendingSignal() { outcome.signal = signal }
            if outcome.signal != nil || (outcome.failed && !options.allowErrors) || watchdog.abandoned { break }
            if cell.kind == .markdown {
                let markdown = NotebookCell(kind: .markdown, source: cell.text)
                outcome.cells.append(markdown)
                watchdog.append(markdown)
                continue
            }
            number = cell.number ?? number + 1
            ran += 1
            // Blank lines in front keep the file's line numbers in diagnostics.
            let source = Source(name: sourceName, text: String(repeating: "\n", count: cell.firstLine - 1) + cell.text)
            let recording = CellRecording(interpreter, source: cell.text, passThrough: false, vectors: options.vectors)
            watchdog.begin(recording, number: number)
            var stop: NotebookCell.Stop?
            var exited = false
            do {
                let result = try interpreter.run(source)
                _ = watchdog.end()  // a cell that ended before noticing a stop request ran whole
                if let value = history.record(result, cell: number, source: cell.text) {
                    recording.add(Display.output(for: value, svg: options.vectors))
                }
            } catch  where error.phase == .exit {
                _ = watchdog.end()
                exited = true  // exit(code): this cell ran; the later ones do not
            } catch {
                stop = watchdog.end()
                history.record(nil, cell: number, source: cell.text)
                // Stopped from outside: say why (a native call may report its interruption in its own words).
                let message = stop.map { error.phase == .interrupt ? $0.message : "\($0.message): \(error.message)" }
                let shown = message.map { Diagnostic(error.phase, $0, at: error.range, stack: error.stack) } ?? error
                recording.add(.error(shown, color: false))
            }
            recording.close()
            let done = recording.cell(number: number, stop: stop)
            outcome.cells.append(done)
            watchdog.append(done)
            if exited { break }
        }
        outcome.cellsNotRun = codeCells - ran
        if let signal = options.pendingSignal() { outcome.signal = signal }
        return outcome
    }

    /// Writes the cells as one self-contained HTML page, atomically.
    public static func write(_ outcome: Outcome, title: String, generator: String, to path: String) throws(NativeError) {
        let document = NotebookDocument(title: title, cells: outcome.cells, generator: generator, cellsNotRun: outcome.cellsNotRun)
        let page = NotebookHTML.render(document)
        try fileOp { () throws(FileError) in try AtomicFile.write(Array(page.utf8), to: path) }
    }
}
