import DVSLang
import DVSRuntime
import Foundation

/// One REPL session: numbered cells, `Out[n]` and `_`, REPL commands, and the
/// rule that a failed cell leaves every earlier binding as it was. Shared by
/// the interactive (readline) and piped front ends.
final class Session {
    let interpreter: Interpreter
    let color: Bool
    /// The number the next cell gets.
    private(set) var cellNumber = 1
    /// The cells: `Out` and `_` as in notebooks, failed cells rolled back.
    private let cells: CellSession
    /// Bindings before the first cell, for `:reset`.
    private let initialState: Interpreter.Snapshot
    var wantsQuit = false
    /// The status `exit(code)` asked for (0 after `:quit` or Ctrl-D).
    var exitCode: Int32 = 0

    enum Outcome { case ok, failed, incomplete }

    init(interpreter: Interpreter, color: Bool) {
        self.interpreter = interpreter
        self.color = color
        cells = CellSession(interpreter)
        initialState = interpreter.snapshot()
    }

    var prompt: String { color ? "\u{1}\u{1B}[32m\u{2}In [\(cellNumber)]:\u{1}\u{1B}[0m\u{2} " : "In [\(cellNumber)]: " }
    var continuationPrompt: String {
        let width = "In [\(cellNumber)]: ".count
        return String(repeating: " ", count: max(0, width - 5)) + "...: "
    }

    /// Whether `text` is a complete cell (or needs more lines: open brackets or strings).
    func isComplete(_ text: String) -> Bool {
        if text.trimmingCharacters(in: .whitespaces).hasPrefix(":") { return true }
        return CellSession.completeness(of: text) != .incomplete
    }

    /// Runs one cell (DVS code or a `:command`). `prompts` adds the `Out[n]:` label.
    @discardableResult
    func run(_ text: String, prompts: Bool) -> Outcome {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return .ok }
        if trimmed.hasPrefix(":") { return command(trimmed, prompts: prompts) }
        return runCell(text, named: "<cell \(cellNumber)>", recordedAs: text, prompts: prompts)
    }

    /// Runs `code` as the next numbered cell; `name` names it in diagnostics,
    /// `recorded` is its text in `:save`.
    private func runCell(_ code: String, named name: String, recordedAs recorded: String, prompts: Bool) -> Outcome {
        let n = cellNumber
        cellNumber += 1
        defer { StandardOutput.endProgressLine() }  // the next prompt starts on a fresh line
        let recording = notebook.begin(interpreter, source: recorded)
        switch cells.run(code, name: name, number: n) {
        case .ran(let value):
            if let value { recording.addValue(value.repr) }
            notebook.finish(recording, number: n, succeeded: true)
            if let value { echo(value, cell: n, prompts: prompts) }  // after the recording: the page has it as Out[n]
            return .ok
        case .exited(let code):
            notebook.finish(recording, number: n, succeeded: true)
            wantsQuit = true
            exitCode = code
            return .ok
        case .failed(let error):
            notebook.finish(recording, number: n, succeeded: false)
            report(error)
            return .failed
        }
    }

    /// The cells that succeeded, with their outputs, for `:save`.
    private let notebook = SessionNotebook(generator: "dvs \(DVSCommand.version) REPL session")

    func echo(_ value: Value, cell: Int, prompts: Bool) {
        fflush(stdout)
        if prompts {
            let label = color ? "\u{1B}[31mOut[\(cell)]:\u{1B}[0m " : "Out[\(cell)]: "
            interpreter.output(label + value.repr + "\n")
        } else {
            interpreter.output(value.repr + "\n")
        }
        fflush(stdout)
    }

    func report(_ d: Diagnostic) {
        fflush(stdout)
        Report.diagnostic(d, color: color)
    }

    // MARK: - Commands

    static let commands: [(name: String, usage: String, help: String)] = [
        ("help", ":help [name]", "help on a built-in, a function or a topic"),
        ("type", ":type expr", "evaluate expr and show its type"),
        ("time", ":time expr", "evaluate expr (a cell) and show how long it took"),
        ("vars", ":vars", "list the variables this session defined"),
        ("graph", ":graph expr", "draw the computation graph behind a tensor (PNG path printed)"),
        ("load", ":load file.dvs", "run a script in this session, as a cell"),
        ("save", ":save file.html|file.dvs", "write the cells that succeeded (HTML page or # %% script)"),
        ("reset", ":reset", "forget every variable this session defined, and the loaded modules"),
        ("quit", ":quit", "leave the REPL (Ctrl-D also does)"),
    ]

    private func command(_ line: String, prompts: Bool) -> Outcome {
        let body = line.dropFirst()
        let name = String(body.prefix { !$0.isWhitespace })
        let rest = body.dropFirst(name.count).trimmingCharacters(in: .whitespaces)
        switch name {
        case "help", "h", "?":
            if rest.isEmpty {
                var text = "REPL commands:\n"
                let width = Session.commands.map(\.usage.count).max() ?? 0
                for c in Session.commands { text += "  \(c.usage.padding(toLength: width, withPad: " ", startingAt: 0))  \(c.help)\n" }
                text += "Ctrl-C cancels the line or interrupts a running cell; Ctrl-D quits.\n"
                text += "A trailing ';' hides a cell's value; _ is the last value and Out[n] the value of cell n.\n\n"
                interpreter.output(text + Help.text(for: .null, in: interpreter) + "\n")
            } else {
                interpreter.output(Help.text(for: .string(rest), in: interpreter) + "\n")
            }
            return .ok
        case "type", "t":
            guard !rest.isEmpty else { return usage(":type expr") }
            return evaluateQuietly(rest) { value, _ in self.interpreter.output(value.typeName + "\n") }
        case "time":
            guard !rest.isEmpty else { return usage(":time expr") }
            let start = DispatchTime.now()
            let outcome = run(rest, prompts: prompts)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
            interpreter.output("time: \(formatDuration(seconds))\n")
            return outcome
        case "graph":
            guard !rest.isEmpty else { return usage(":graph expr") }
            return evaluateQuietly(rest) { value, _ in
                guard case .function(let graph)? = self.interpreter.global("graph"),
                    case .function(let show)? = self.interpreter.global("show")
                else { return }
                do throws(Diagnostic) {
                    _ = try self.interpreter.call(show, [try self.interpreter.call(graph, [value])])
                } catch {
                    self.report(error)
                }
            }
        case "vars":
            let names = interpreter.programNames.sorted()
            if names.isEmpty { interpreter.output("no variables yet\n") }
            for n in names {
                let v = interpreter.global(n)!
                var text = v.repr
                if text.count > 60 { text = String(text.prefix(57)) + "…" }
                interpreter.output(
                    "\(n.padding(toLength: max(12, n.count), withPad: " ", startingAt: 0))  \(v.typeName.padding(toLength: 8, withPad: " ", startingAt: 0))  \(text)\n"
                )
            }
            return .ok
        case "load":
            guard !rest.isEmpty else { return usage(":load file.dvs") }
            let path = rest.hasPrefix("\"") && rest.hasSuffix("\"") && rest.count >= 2 ? String(rest.dropFirst().dropLast()) : rest
            guard let text = Report.source(path, prefix: "error") else { return .failed }
            return runCell(text, named: path, recordedAs: "# :load \(path)\n" + text, prompts: prompts)
        case "save":
            guard !rest.isEmpty else { return usage(":save file.html | file.dvs") }
            do {
                try notebook.save(to: rest)
                interpreter.output("saved \(notebook.count) cell\(notebook.count == 1 ? "" : "s") to \(rest)\n")
                return .ok
            } catch {
                FileHandle.standardError.write("error: \(error.message)\n".data(using: .utf8)!)
                return .failed
            }
        case "reset":
            interpreter.restore(initialState)
            interpreter.forgetModules()
            cells.history.reset()
            notebook.reset()
            cellNumber = 1
            interpreter.output("session reset\n")
            return .ok
        case "quit", "q", "exit":
            wantsQuit = true
            return .ok
        default:
            let hint = closestName(to: name, in: Session.commands.map(\.name)).map { "; did you mean ':\($0)'?" } ?? ""
            FileHandle.standardError.write("error: unknown command ':\(name)'\(hint) (:help lists them)\n".data(using: .utf8)!)
            return .failed
        }
    }

    private func usage(_ text: String) -> Outcome {
        FileHandle.standardError.write("usage: \(text)\n".data(using: .utf8)!)
        return .failed
    }

    /// Evaluates without numbering a cell or changing `_`; restores bindings afterwards.
    private func evaluateQuietly(_ text: String, _ use: (Value, Bool) -> Void) -> Outcome {
        let before = interpreter.snapshot()
        defer { interpreter.restore(before) }
        do {
            let result = try interpreter.run(Source(name: "<command>", text: text))
            use(result.value, result.isExpression)
            return .ok
        } catch {
            report(error)
            return .failed
        }
    }
}

func formatDuration(_ seconds: Double) -> String {
    if seconds < 1e-3 { return String(format: "%.1f µs", seconds * 1e6) }
    if seconds < 1 { return String(format: "%.2f ms", seconds * 1e3) }
    return String(format: "%.3f s", seconds)
}
