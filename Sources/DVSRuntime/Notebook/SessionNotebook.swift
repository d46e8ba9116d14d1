import DVSFiles
import DVSLang
import DVSRender
import Foundation

/// The REPL's record of its cells — source, printed text, pictures, values
/// and errors — for `:save session.html` (a notebook page) and
/// `:save session.dvs` (a `# %%` script that `dvs notebook` replays).
public final class SessionNotebook {
    private var cells: [NotebookCell] = []
    private let generator: String

    public init(generator: String) { self.generator = generator }

    public var count: Int { cells.count }

    public func reset() { cells = [] }

    /// Starts recording one cell: output still reaches the terminal.
    public func begin(_ interpreter: Interpreter) -> Recording { Recording(interpreter) }

    public func finish(_ recording: Recording, source: String, number: Int) {
        cells.append(recording.finish(source: source, number: number))
    }

    public func save(to path: String) throws(NativeError) {
        let lower = path.lowercased()
        let text: String
        if lower.hasSuffix(".dvs") {
            text = cells.map { "# %%\n" + $0.source.trimmingCharacters(in: .newlines) }.joined(separator: "\n\n") + "\n"
        } else if lower.hasSuffix(".html") {
            text = NotebookHTML.render(NotebookDocument(title: "DVS session", cells: cells, generator: generator))
        } else {
            throw NativeError(":save writes .html (a notebook page) or .dvs (a # %% script), got '\(path)'")
        }
        try fileOp { () throws(FileError) in try AtomicFile.write(Array(text.utf8), to: path) }
    }

    /// What one cell printed and showed, in order.
    public final class Recording {
        private let interpreter: Interpreter
        private let savedOutput: (String) -> Void
        private var outputs: [NotebookOutput] = []
        private var printed = ""
        private let start = DispatchTime.now()

        init(_ interpreter: Interpreter) {
            self.interpreter = interpreter
            let original = interpreter.output
            self.savedOutput = original
            interpreter.output = { [unowned self] text in
                original(text)
                self.printed += text
            }
            Display.setSink({ [unowned self] item in
                self.flush()
                self.outputs.append(.image(png: item.png, label: item.label))
            }, alsoShow: true, for: interpreter)
        }

        public func addValue(_ text: String) { flush(); outputs.append(.value(text)) }
        public func addError(_ text: String) { flush(); outputs.append(.error(text)) }

        private func flush() {
            if !printed.isEmpty { outputs.append(.text(printed)); printed = "" }
        }

        fileprivate func finish(source: String, number: Int) -> NotebookCell {
            flush()
            interpreter.output = savedOutput
            Display.setSink(nil, for: interpreter)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
            return NotebookCell(kind: .code, source: source, outputs: outputs, duration: seconds, number: number)
        }
    }
}
