import Foundation

/// A notebook as data: cells with their source and what running them
/// produced. `dvs notebook` and the REPL's `:save` build one; `NotebookHTML`
/// renders it as a self-contained page.
public struct NotebookDocument: Sendable {
    public var title: String
    public var cells: [NotebookCell]
    /// Shown in the footer: "dvs 0.1.0, 2026-11-29 04:59 UTC".
    public var generator: String
    /// Code cells after the one that stopped the run, which did not run.
    public var cellsNotRun: Int

    public init(title: String, cells: [NotebookCell], generator: String, cellsNotRun: Int = 0) {
        self.title = title
        self.cells = cells
        self.generator = generator
        self.cellsNotRun = cellsNotRun
    }
}

public struct NotebookCell: Sendable {
    public enum Kind: Sendable { case code, markdown }

    public var kind: Kind
    /// The cell's text: DVS code, or Markdown (without the leading `# `).
    public var source: String
    public var outputs: [NotebookOutput]
    /// Seconds the cell took to run (code cells that ran).
    public var duration: Double?
    /// 1-based cell number among code cells (`In [3]`).
    public var number: Int?
    /// Why the run stopped this cell before it finished; nil when it ended on its own.
    public var stop: Stop?

    /// What stopped a running cell from outside.
    public enum Stop: Sendable, Equatable {
        /// It ran longer than the per-cell time limit, in seconds.
        case timedOut(limit: Double)
        /// The process was asked to stop: the signal's name ("SIGINT", "SIGTERM").
        case interrupted(signal: String)

        /// "timed out after 2 s", "interrupted by SIGTERM".
        public var message: String {
            switch self {
            case .timedOut(let limit): return "timed out after \(String(format: "%g", limit)) s"
            case .interrupted(let signal): return "interrupted by \(signal)"
            }
        }
    }

    public init(
        kind: Kind, source: String, outputs: [NotebookOutput] = [], duration: Double? = nil,
        number: Int? = nil, stop: Stop? = nil
    ) {
        self.kind = kind
        self.source = source
        self.outputs = outputs
        self.duration = duration
        self.number = number
        self.stop = stop
    }

    /// Whether running the cell failed (it then holds an `.error` output).
    public var failed: Bool { outputs.contains { if case .error = $0 { return true } else { return false } } }

    /// How the cell ended when not well: "timed out", "interrupted" or "failed"; nil when it succeeded.
    public var outcome: String? {
        switch stop {
        case .timedOut?: return "timed out"
        case .interrupted?: return "interrupted"
        case nil: return failed ? "failed" : nil
        }
    }
}

/// One thing a code cell produced, in order.
public enum NotebookOutput: Sendable {
    /// Printed text (stdout of the cell).
    case text(String)
    /// The echoed value of the cell's last expression, and an HTML table of
    /// it when it reads better as one (a list of records).
    case value(String, html: String? = nil)
    /// A picture from `show(x)` or a cell's value: image, chart or graph, as
    /// PNG, and as SVG too for charts and graphs when the run asked for it.
    case image(png: [UInt8], svg: String? = nil, label: String)
    /// A vector picture (a chart or graph as SVG).
    case svg(String, label: String)
    /// The diagnostic of a failed cell, as plain text; `name` is the kind of
    /// error ("SyntaxError", "Error", "Interrupted") and `value` its message,
    /// as Jupyter's error outputs have them.
    case error(String, name: String = "Error", value: String = "")
}
