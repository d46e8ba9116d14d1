import DVSFiles
import DVSLang
import DVSRender
import DVSTensor
import DVSVision
import Foundation

/// `show(x)`: how a value is displayed. Graphs (and later images and charts)
/// are rendered to a PNG in the session's display folder and its path is
/// printed; strings print as text; other values print as the REPL echoes them.
public enum Display {
    /// Something `show` produced for a notebook: a PNG and a one-line label.
    public struct Item {
        public let png: [UInt8]
        public let label: String
    }

    /// Where shown pictures go: the notebook runner collects them instead of
    /// showing them (`alsoShow: false`); the REPL records them for `:save` and
    /// still shows them (`alsoShow: true`). nil: terminal and file path only.
    public static func setSink(_ sink: ((Item) -> Void)?, alsoShow: Bool = false, for interpreter: Interpreter) {
        interpreter.extensions["display.sink"] = sink.map { SinkBox($0, alsoShow: alsoShow) }
    }

    private final class SinkBox {
        let send: (Item) -> Void
        let alsoShow: Bool
        init(_ send: @escaping (Item) -> Void, alsoShow: Bool) {
            self.send = send
            self.alsoShow = alsoShow
        }
    }

    static func show(_ value: Value, _ interpreter: Interpreter) throws(NativeError) {
        switch value {
        case .string(let s):
            interpreter.output(s + "\n")
        case .object(let o as GraphValue):
            let path = try o.renderForDisplay()
            try showPNG(path: path, label: o.summary, interpreter)
        case .object(let o as ChartValue):
            let path = newFilePath(prefix: "chart", ext: "png")
            try libraryCall { () throws(ChartError) in try o.chart.write(to: path) }
            try showPNG(path: path, label: o.summary, interpreter)
        case .object(let o as ImageValue):
            let path = newFilePath(prefix: "image", ext: "png")
            // Text pages are ink 1 on 0: show them as dark ink on white, as on paper.
            let shown = o.image.channels == 1 ? o.image.inverted() : o.image
            try libraryCall { () throws(VisionError) in try shown.savePNG(path: path) }
            try showPNG(path: path, label: o.summary, interpreter)
        default:
            interpreter.output(value.repr + "\n")
        }
    }

    /// Draws a PNG inline when the terminal can (see TerminalImage), then prints its path.
    static func showPNG(path: String, label: String, _ interpreter: Interpreter) throws(NativeError) {
        if let sink = interpreter.extensions["display.sink"] as? SinkBox {
            let data = try fileOp { () throws(FileError) in try ReadFile.bytes(path) }
            sink.send(Item(png: data, label: label))
            if !sink.alsoShow { return }
        }
        let method = TerminalImage.detect()
        if method != .none, let data = try? ReadFile.bytes(path) {
            let image = try libraryCall { () throws(VisionError) in try Image.decodePNG(data) }
            interpreter.output(TerminalImage.render(image, png: data, method: method))
        }
        interpreter.output("\(label) → \(path)\n")
    }

    nonisolated(unsafe) private static var counter = 0

    /// A fresh file path in `$DVS_DISPLAY_DIR` (default: a `dvs-show` folder in the temporary directory).
    static func newFilePath(prefix: String, ext: String) -> String {
        let base = ProcessInfo.processInfo.environment["DVS_DISPLAY_DIR"]
            ?? (NSTemporaryDirectory() as NSString).appendingPathComponent("dvs-show")
        try? Folders.make(base)  // if this fails, saving into it names the problem
        counter += 1
        return (base as NSString).appendingPathComponent("\(prefix)-\(getpid())-\(counter).\(ext)")
    }
}
