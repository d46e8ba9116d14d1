import DVSFiles
import DVSRender
import DVSRuntime
import Foundation

/// Notebooks as Jupyter files (nbformat 4.5): `dvs notebook script.dvs
/// --ipynb out.ipynb` writes the cells a run produced, with the kernel's MIME
/// bundles (`MIMEBundle`), execution counts and cell ids; `dvs notebook
/// in.ipynb` reads the cells of a DVS notebook to run them.
public enum NotebookFile {
    /// The .ipynb text of a run's cells.
    public static func text(_ cells: [NotebookCell], version: String) -> String {
        var json: [JSONValue] = []
        for (index, cell) in cells.enumerated() {
            let id: (key: String, value: JSONValue) = ("id", .string("dvs-\(index + 1)"))
            switch cell.kind {
            case .markdown:
                json.append(.object([("cell_type", .string("markdown")), id, ("metadata", .emptyObject), ("source", lines(cell.source))]))
            case .code:
                json.append(
                    .object([
                        ("cell_type", .string("code")),
                        ("execution_count", cell.number.map { .int($0) } ?? .null),
                        id,
                        ("metadata", .emptyObject),
                        ("outputs", .array(cell.outputs.map { output(for: $0, count: cell.number) })),
                        ("source", lines(cell.source)),
                    ]))
            }
        }
        return JSONValue.object([
            ("cells", .array(json)),
            ("metadata", .object([("kernelspec", Kernelspec.spec), ("language_info", Kernelspec.languageInfo(version: version))])),
            ("nbformat", .int(4)),
            ("nbformat_minor", .int(5)),
        ]).text(indent: 1) + "\n"
    }

    /// Writes the .ipynb atomically.
    public static func write(_ cells: [NotebookCell], version: String, to path: String) throws(FileError) {
        try AtomicFile.write(Array(text(cells, version: version).utf8), to: path)
    }

    /// One output as nbformat has it: stream, execute_result, display_data or error.
    static func output(for output: NotebookOutput, count: Int?) -> JSONValue {
        switch output {
        case .text(let text):
            return .object([("name", .string("stdout")), ("output_type", .string("stream")), ("text", lines(text))])
        case .error(let text, let name, let value):
            return .object([("output_type", .string("error"))] + MIMEBundle.errorMembers(text: text, name: name, value: value))
        default:
            let data = MIMEBundle.data(output) ?? .emptyObject
            if !MIMEBundle.isPicture(output), let count {
                return .object([
                    ("data", data), ("execution_count", .int(count)), ("metadata", .emptyObject),
                    ("output_type", .string("execute_result")),
                ])
            }
            return .object([("data", data), ("metadata", .emptyObject), ("output_type", .string("display_data"))])
        }
    }

    /// Multi-line text as nbformat writes it: a list of lines, each but the last with its newline.
    static func lines(_ text: String) -> JSONValue {
        var out: [String] = []
        var line = ""
        for c in text {
            line.append(c)
            if c == "\n" { out.append(line); line = "" }
        }
        if !line.isEmpty { out.append(line) }
        return .strings(out)
    }

    /// The code and Markdown cells of a DVS .ipynb (raw cells are left out).
    /// Errors name the file and say what is wrong: not JSON, not nbformat 4,
    /// or a notebook for another kernel.
    public static func cells(ofNotebookAt path: String) throws(KernelError) -> [NotebookRunner.SourceCell] {
        let bytes: [UInt8]
        do { bytes = try ReadFile.bytes(path) } catch { throw KernelError(error.message) }
        let json: JSONValue
        do { json = try JSONValue.parse(bytes) } catch { throw KernelError("'\(path)' is not JSON: \(error)") }
        guard json["nbformat"]?.intValue == 4, let cells = json["cells"]?.arrayValue else {
            throw KernelError("'\(path)' is not an nbformat 4 notebook (no \"nbformat\": 4 and \"cells\" list)")
        }
        let kernel = json["metadata"]?["kernelspec"]?["name"]?.stringValue
        let language =
            json["metadata"]?["language_info"]?["name"]?.stringValue
            ?? json["metadata"]?["kernelspec"]?["language"]?.stringValue
        guard kernel == Kernelspec.name || language == "dvs" else {
            throw KernelError(
                "'\(path)' is a notebook for the \(kernel.map { "'\($0)' kernel" } ?? "an unnamed kernel"), not DVS "
                    + "(its metadata.kernelspec.name must be \"dvs\")")
        }
        var out: [NotebookRunner.SourceCell] = []
        for (index, cell) in cells.enumerated() {
            let source: String
            switch cell["source"] {
            case .string(let s)?: source = s
            case .array(let parts)?: source = parts.compactMap(\.stringValue).joined()
            default: throw KernelError("'\(path)': cell \(index + 1) has no source text")
            }
            switch cell["cell_type"]?.stringValue {
            case "code": out.append(.init(kind: .code, text: source, firstLine: 1))
            case "markdown": out.append(.init(kind: .markdown, text: source, firstLine: 1))
            default: continue
            }
        }
        return out
    }
}
