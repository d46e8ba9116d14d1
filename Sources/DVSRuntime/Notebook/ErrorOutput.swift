import DVSLang
import DVSRender

extension NotebookOutput {
    /// A failed cell's output: the diagnostic as text (caret and stack
    /// included), with Jupyter's error name and value — the same in notebooks,
    /// .ipynb files and the kernel's error messages.
    public static func error(_ d: Diagnostic, color: Bool) -> NotebookOutput {
        let name: String
        switch d.phase {
        case .syntax: name = "SyntaxError"
        case .interrupt: name = "Interrupted"
        default: name = "Error"
        }
        return .error(d.render(color: color), name: name, value: d.message)
    }
}
