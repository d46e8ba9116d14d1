import DVSTensor
import Foundation

/// What Graphviz can produce in-process.
public enum GraphvizFormat: String, CaseIterable, Sendable {
    case svg, png

    /// The format for a file name's extension (.svg, .png); nil for others.
    public init?(fileExtension ext: String) {
        self.init(rawValue: ext.lowercased())
    }
}

public struct GraphvizError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Renders DOT text to SVG or PNG with Graphviz's `dot` program, run as a
/// child process for each picture. This is the only code in DVS that calls
/// Graphviz.
///
/// Why not libgvc in-process: Graphviz 2.42 (Debian 12) leaks in its
/// HTML-label code — every text line's span array (`free_html_text`) and
/// every bold/italic span's parsed Pango markup — about 1.75 KB per
/// computation-graph picture, which no caller can free; its layout of large
/// graphs can run for minutes with no way to stop it (a 1,200-op residual
/// graph: over 100 s); and an abort inside it would end the session. A child
/// process takes its allocations with it, is killed at Ctrl-C (the call
/// then throws `TensorError.interrupted` within about 20 ms), and can only
/// fail, not crash DVS. Each picture costs about 13 ms of `dot` start-up.
public final class GraphvizRenderer {
    /// The process-wide renderer (`dot` is looked up on first use).
    public static func shared() throws -> GraphvizRenderer {
        try sharedResult.get()
    }

    private static let sharedResult: Result<GraphvizRenderer, GraphvizError> = Result { () throws(GraphvizError) in
        try GraphvizRenderer()
    }

    /// The `dot` program: `$DVS_DOT`, else the first `dot` on `$PATH`.
    public let program: String

    private init() throws(GraphvizError) {
        let environment = ProcessInfo.processInfo.environment
        let candidates = environment["DVS_DOT"].map { [$0] }
            ?? (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map { "\($0)/dot" }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw GraphvizError("graphviz: the `dot` program was not found (looked in \(candidates.joined(separator: ", "))); install Graphviz (e.g. apt-get install graphviz) or set DVS_DOT")
        }
        program = found
    }

    /// The rendered bytes of `dot`: an SVG document (UTF-8) or a PNG file,
    /// laid out by Graphviz's `layout` engine ("dot" draws layered graphs).
    /// Throws with Graphviz's own message when the DOT does not parse or the
    /// layout or rendering fails, and `TensorError.interrupted` at Ctrl-C.
    public func render(dot: String, format: GraphvizFormat, layout: String = "dot") throws -> [UInt8] {
        let run = try ChildProcess.run(program, ["-K\(layout)", "-T\(format.rawValue)"], input: Array(dot.utf8))
        let messages = run.messages.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "\n", with: "; ")
        let suffix = messages.isEmpty ? "" : ": " + messages
        if let signal = run.signal {
            throw GraphvizError("graphviz: `dot` stopped by signal \(signal) (a crash inside Graphviz); nothing was drawn\(suffix)")
        }
        guard run.status == 0, !run.output.isEmpty else {
            if messages.contains("syntax error") { throw GraphvizError("graphviz: could not read the DOT text\(suffix)") }
            let unknown = messages.contains("not recognized") || messages.contains("no layout engine")
            let hint = unknown ? " (if Graphviz's plugins are missing from its configuration, run `dot -c` once, as root)" : ""
            let what = messages.contains("layout engine") ? "layout '\(layout)'" : "rendering \(format.rawValue)"
            throw GraphvizError("graphviz: \(what) failed\(suffix)\(hint)")
        }
        return run.output
    }

    /// `render(dot:format:)` with the format named as text ("svg", "png").
    public func render(dot: String, format: String) throws -> [UInt8] {
        guard let f = GraphvizFormat(rawValue: format.lowercased()) else {
            throw GraphvizError("graphviz: unknown format '\(format)'; expected svg or png")
        }
        return try render(dot: dot, format: f)
    }

    /// Writes `dot` to `path` as the file's extension asks: .svg or .png
    /// (rendered), .dot or .gv (the DOT text itself). The file appears whole
    /// or not at all: bytes go to a temporary file in the same directory,
    /// which is then renamed over `path`.
    public func write(dot: String, to path: String) throws {
        let ext = (path as NSString).pathExtension.lowercased()
        let bytes: [UInt8]
        if ext == "dot" || ext == "gv" {
            bytes = Array(dot.utf8)
        } else if let format = GraphvizFormat(fileExtension: ext) {
            bytes = try render(dot: dot, format: format)
        } else {
            throw GraphvizError("graphviz: cannot tell the format of '\(path)': use a .svg, .png or .dot file name")
        }
        try AtomicFile.write(bytes, to: path, label: "graphviz: cannot write '\(path)'")
    }

}
