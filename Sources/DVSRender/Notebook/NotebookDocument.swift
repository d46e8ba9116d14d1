/// A notebook as data: cells with their source and what running them
/// produced. `dvs notebook` and the REPL's `:save` build one; `NotebookHTML`
/// renders it as a self-contained page.
public struct NotebookDocument: Sendable {
    public var title: String
    public var cells: [NotebookCell]
    /// Shown in the footer: "dvs 0.1.0, 2026-11-29 04:59 UTC".
    public var generator: String

    public init(title: String, cells: [NotebookCell], generator: String) {
        self.title = title
        self.cells = cells
        self.generator = generator
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

    public init(kind: Kind, source: String, outputs: [NotebookOutput] = [], duration: Double? = nil, number: Int? = nil) {
        self.kind = kind
        self.source = source
        self.outputs = outputs
        self.duration = duration
        self.number = number
    }

    /// Whether running the cell failed (it then holds an `.error` output).
    public var failed: Bool { outputs.contains { if case .error = $0 { return true } else { return false } } }
}

/// One thing a code cell produced, in order.
public enum NotebookOutput: Sendable {
    /// Printed text (stdout of the cell).
    case text(String)
    /// The echoed value of the cell's last expression.
    case value(String)
    /// A picture from `show(x)`: image, chart or graph, as PNG.
    case image(png: [UInt8], label: String)
    /// A vector picture (a chart or graph as SVG).
    case svg(String, label: String)
    /// The diagnostic of a failed cell, as plain text.
    case error(String)
}
