import DVSFiles
import DVSLang
import DVSRender
import DVSTensor
import DVSVision
import Foundation

/// `show(x)`: how a value is displayed. Pictures — images (overlays are
/// images), charts and graphs — go to the session's display sink when one is
/// set (notebooks, the Jupyter kernel), else they are drawn in the terminal
/// when it can and saved as a PNG in the display folder, whose path is
/// printed; strings print as text; other values print as the REPL echoes them.
public enum Display {
    /// A picture for a notebook or a kernel: a PNG, an SVG for charts and
    /// graphs when the sink asked for vectors, and a one-line label.
    public struct Item {
        public let png: [UInt8]
        public let svg: String?
        public let label: String
        /// "image", "chart" or "graph".
        public let kind: String
    }

    /// Where shown pictures go: the notebook runner and the kernel collect
    /// them instead of showing them (`alsoShow: false`); the REPL records them
    /// for `:save` and still shows them (`alsoShow: true`). nil: terminal and
    /// file path only. `vectors`: render charts and graphs as SVG too.
    public static func setSink(_ sink: ((Item) -> Void)?, alsoShow: Bool = false, vectors: Bool = false, for interpreter: Interpreter) {
        interpreter.extensions["display.sink"] = sink.map { SinkBox($0, alsoShow: alsoShow, vectors: vectors) }
    }

    private final class SinkBox {
        let send: (Item) -> Void
        let alsoShow: Bool
        let vectors: Bool
        init(_ send: @escaping (Item) -> Void, alsoShow: Bool, vectors: Bool) {
            self.send = send
            self.alsoShow = alsoShow
            self.vectors = vectors
        }
    }

    /// The picture of an image, chart or graph; nil for any other value.
    /// `svg`: also render charts and graphs as SVG.
    public static func picture(of value: Value, svg: Bool) throws(NativeError) -> Item? {
        switch value {
        case .object(let o as GraphValue):
            let dot = o.graph.dot()
            do {
                let renderer = try GraphvizRenderer.shared()
                let vector = svg ? String(decoding: try renderer.render(dot: dot, format: .svg), as: UTF8.self) : nil
                return Item(png: try renderer.render(dot: dot, format: .png), svg: vector, label: o.summary, kind: "graph")
            } catch {
                throw NativeError("show: \(error)")
            }
        case .object(let o as ChartValue):
            let vector = svg ? String(decoding: try o.render(.svg), as: UTF8.self) : nil
            return Item(png: try o.render(.png), svg: vector, label: o.summary, kind: "chart")
        case .object(let o as ImageValue):
            // Text pages are ink 1 on 0: show them as dark ink on white, as on paper.
            let shown = o.image.channels == 1 ? o.image.inverted() : o.image
            return Item(png: try libraryCall { () throws(VisionError) in try shown.pngData() }, svg: nil, label: o.summary, kind: "image")
        default:
            return nil
        }
    }

    /// How a notebook or the kernel shows a cell's value: a picture for
    /// images, charts and graphs (text when one cannot be drawn), else its
    /// echoed text with an HTML table when it reads better as one.
    public static func output(for value: Value, svg: Bool) -> NotebookOutput {
        if let item = try? picture(of: value, svg: svg) { return .image(png: item.png, svg: item.svg, label: item.label) }
        return .value(value.repr, html: ValueTable.html(value))
    }

    static func show(_ value: Value, _ interpreter: Interpreter) throws(NativeError) {
        if case .string(let s) = value {
            interpreter.output(s + "\n")
            return
        }
        let sink = interpreter.extensions["display.sink"] as? SinkBox
        guard let item = try picture(of: value, svg: sink?.vectors ?? false) else {
            interpreter.output(value.repr + "\n")
            return
        }
        if let sink {
            sink.send(item)
            if !sink.alsoShow { return }
        }
        let path = newFilePath(prefix: item.kind, ext: "png")
        try fileOp { () throws(FileError) in try AtomicFile.write(item.png, to: path) }
        // Drawn inline when the terminal can (see TerminalImage), then the path.
        let method = TerminalImage.detect()
        if method != .none, let image = try? Image.decodePNG(item.png) {
            interpreter.output(TerminalImage.render(image, png: item.png, method: method))
        }
        interpreter.output("\(item.label) → \(path)\n")
    }

    nonisolated(unsafe) private static var counter = 0

    /// A fresh file path in `$DVS_DISPLAY_DIR` (default: a `dvs-show` folder in the temporary directory).
    static func newFilePath(prefix: String, ext: String) -> String {
        let base =
            ProcessInfo.processInfo.environment["DVS_DISPLAY_DIR"]
            ?? (NSTemporaryDirectory() as NSString).appendingPathComponent("dvs-show")
        try? Folders.make(base)  // if this fails, saving into it names the problem
        counter += 1
        return (base as NSString).appendingPathComponent("\(prefix)-\(getpid())-\(counter).\(ext)")
    }
}
