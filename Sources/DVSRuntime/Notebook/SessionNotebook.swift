import DVSFiles
import DVSLang
import DVSRender
import Foundation

/// The REPL's record of the cells that succeeded — source, printed text,
/// pictures and values — for `:save session.html` (a notebook page) and
/// `:save session.dvs` (a `# %%` script that `dvs notebook` replays to the
/// same values). Failed and interrupted cells are left out: the REPL rolled
/// their bindings back, so a replay must not run them.
public final class SessionNotebook {
    private var cells: [NotebookCell] = []
    private let generator: String

    public init(generator: String) { self.generator = generator }

    public var count: Int { cells.count }

    public func reset() { cells = [] }

    /// Starts recording one cell: its output still reaches the terminal.
    public func begin(_ interpreter: Interpreter, source: String) -> CellRecording {
        CellRecording(interpreter, source: source, passThrough: true)
    }

    /// Ends the recording; keeps the cell when it succeeded.
    public func finish(_ recording: CellRecording, number: Int, succeeded: Bool) {
        recording.close()
        if succeeded { cells.append(recording.cell(number: number)) }
    }

    public func save(to path: String) throws(NativeError) {
        let lower = path.lowercased()
        let text: String
        if lower.hasSuffix(".dvs") {
            // `In [n]` keeps the session's numbers, so Out[n] means the same cell on replay.
            text =
                cells.map { "# %% In [\($0.number ?? 0)]\n" + $0.source.trimmingCharacters(in: .newlines) }
                .joined(separator: "\n\n") + "\n"
        } else if lower.hasSuffix(".html") {
            text = NotebookHTML.render(NotebookDocument(title: "DVS session", cells: cells, generator: generator))
        } else {
            throw NativeError(":save writes .html (a notebook page) or .dvs (a # %% script), got '\(path)'")
        }
        try fileOp { () throws(FileError) in try AtomicFile.write(Array(text.utf8), to: path) }
    }
}
