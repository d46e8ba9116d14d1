import DVSLang
import Foundation

/// `show(x)`: how a value is displayed. Graphs (and later images and charts)
/// are rendered to a PNG in the session's display folder and its path is
/// printed; strings print as text; other values print as the REPL echoes them.
enum Display {
    static func show(_ value: Value, _ interpreter: Interpreter) throws(NativeError) {
        switch value {
        case .string(let s):
            interpreter.output(s + "\n")
        case .object(let o as GraphValue):
            let path = try o.renderForDisplay()
            interpreter.output("\(o.summary) → \(path)\n")
        default:
            interpreter.output(value.repr + "\n")
        }
    }

    nonisolated(unsafe) private static var counter = 0

    /// A fresh file path in `$DVS_DISPLAY_DIR` (default: a `dvs-show` folder in the temporary directory).
    static func newFilePath(prefix: String, ext: String) -> String {
        let base = ProcessInfo.processInfo.environment["DVS_DISPLAY_DIR"]
            ?? (NSTemporaryDirectory() as NSString).appendingPathComponent("dvs-show")
        try? FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        counter += 1
        return (base as NSString).appendingPathComponent("\(prefix)-\(getpid())-\(counter).\(ext)")
    }
}
