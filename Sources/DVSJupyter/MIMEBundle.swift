import DVSFiles
import DVSRender
import Foundation

/// The MIME bundles DVS outputs become, the same in the kernel's messages
/// and in .ipynb files: a picture is `image/png` (base64), `image/svg+xml`
/// for charts and graphs, and `text/plain` (its label); a value is
/// `text/plain` (its echoed text) and `text/html` when it reads better as a
/// table.
public enum MIMEBundle {
    /// The `data` of a display_data or execute_result for `output`; nil for
    /// printed text and errors, which are streams and error messages.
    public static func data(_ output: NotebookOutput) -> JSONValue? {
        switch output {
        case .image(let png, let svg, let label):
            var members: [(key: String, value: JSONValue)] = [("image/png", .string(Data(png).base64EncodedString()))]
            if let svg { members.append(("image/svg+xml", .string(svg))) }
            members.append(("text/plain", .string(label)))
            return .object(members)
        case .svg(let svg, let label):
            return .object([("image/svg+xml", .string(svg)), ("text/plain", .string(label))])
        case .value(let text, let html):
            var members: [(key: String, value: JSONValue)] = [("text/plain", .string(text))]
            if let html { members.append(("text/html", .string(html))) }
            return .object(members)
        case .text, .error:
            return nil
        }
    }

    /// ename, evalue and traceback (the text one line per entry) of an error
    /// message or an .ipynb error output.
    static func errorMembers(text: String, name: String, value: String) -> [(key: String, value: JSONValue)] {
        var lines = text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        return [("ename", .string(name)), ("evalue", .string(value)), ("traceback", .strings(lines))]
    }

    /// Whether the output is a picture (display_data) rather than a value (execute_result).
    public static func isPicture(_ output: NotebookOutput) -> Bool {
        switch output {
        case .image, .svg: return true
        default: return false
        }
    }
}
