import CGraphviz
import DVSFiles
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

/// Renders DOT text to SVG or PNG through libgvc, in-process. This is the only
/// code in DVS that calls Graphviz.
///
/// One Graphviz context is created on first use and kept (creating one loads
/// the plugin configuration and is slow). Graphviz keeps global state, so all
/// calls are serialized through one lock: a renderer may be used from any thread.
public final class GraphvizRenderer {
    /// The process-wide renderer (the context is created on first use).
    public static func shared() throws -> GraphvizRenderer {
        try sharedResult.get()
    }

    private static let sharedResult: Result<GraphvizRenderer, GraphvizError> = Result { () throws(GraphvizError) in
        try GraphvizRenderer()
    }

    private let context: OpaquePointer
    private static let lock = NSLock()

    private init() throws(GraphvizError) {
        if let failure = dvs_graphviz_open() {
            throw GraphvizError("graphviz: \(String(cString: failure)); install Graphviz (Debian: libgvc6)")
        }
        Self.lock.lock()
        defer { Self.lock.unlock() }
        installErrorHandler()
        GraphvizMessages.text = ""
        guard let gvc = gvContext() else {
            throw GraphvizError("graphviz: could not create a Graphviz context\(GraphvizMessages.suffix())")
        }
        context = gvc
    }

    deinit { gvFreeContext(context) }

    /// The rendered bytes of `dot`: an SVG document (UTF-8) or a PNG file,
    /// laid out by Graphviz's `layout` engine ("dot" draws layered graphs).
    /// Throws with Graphviz's own message when the DOT does not parse or the
    /// layout or rendering fails.
    public func render(dot: String, format: GraphvizFormat, layout: String = "dot") throws -> [UInt8] {
        Self.lock.lock()
        defer { Self.lock.unlock() }
        GraphvizMessages.text = ""
        agreseterrors()

        guard let graph = dot.withCString({ agmemread($0) }) else {
            throw GraphvizError("graphviz: could not read the DOT text\(GraphvizMessages.suffix())")
        }
        defer { agclose(graph) }

        guard gvLayout(context, graph, layout) == 0 else {
            let messages = GraphvizMessages.text
            var hint = ""
            if messages.contains("not recognized") || messages.isEmpty {
                hint = " (if Graphviz's plugins are missing from its configuration, run `dot -c` once, as root)"
            }
            throw GraphvizError("graphviz: layout '\(layout)' failed\(GraphvizMessages.suffix())\(hint)")
        }
        defer { gvFreeLayout(context, graph) }

        var buffer: UnsafeMutablePointer<CChar>?
        var length = 0
        let status = dvs_gvRenderData(context, graph, format.rawValue, &buffer, &length)
        defer { if let buffer { gvFreeRenderData(buffer) } }
        guard status == 0, let buffer else {
            var hint = ""
            if GraphvizMessages.text.contains("not recognized") {
                hint = " (if Graphviz's plugins are missing from its configuration, run `dot -c` once, as root)"
            }
            throw GraphvizError("graphviz: rendering \(format.rawValue) failed\(GraphvizMessages.suffix())\(hint)")
        }
        let count = Int(length)
        return buffer.withMemoryRebound(to: UInt8.self, capacity: count) { Array(UnsafeBufferPointer(start: $0, count: count)) }
    }

    /// `render(dot:format:)` with the format named as text ("svg", "png").
    public func render(dot: String, format: String) throws -> [UInt8] {
        guard let f = GraphvizFormat(rawValue: format.lowercased()) else {
            throw GraphvizError("graphviz: unknown format '\(format)'; expected svg or png")
        }
        return try render(dot: dot, format: f)
    }

    /// Writes `dot` to `path` as the file's extension asks: .svg or .png
    /// (rendered), .dot or .gv (the DOT text itself), through `AtomicFile`: a
    /// regular file appears whole or not at all.
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
        do {
            try AtomicFile.write(bytes, to: path)
        } catch {
            throw GraphvizError("graphviz: \(error.message)")
        }
    }

}

/// Graphviz reports problems through `agerr`, which calls the handler below
/// with pieces of each message; they are collected here while a call runs
/// (under `GraphvizRenderer.lock`) so errors can quote them.
private enum GraphvizMessages {
    nonisolated(unsafe) static var text = ""

    /// ": <message>" for an error, or "" when Graphviz said nothing.
    static func suffix() -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? "" : ": " + trimmed.replacingOccurrences(of: "\n", with: "; ")
    }
}

private func installErrorHandler() {
    _ = agseterrf { piece in
        if let piece { GraphvizMessages.text += String(cString: piece) }
        return 0
    }
}
