import DVSLang
import DVSRender
import Foundation

/// What one code cell printed and showed while it ran, then its value or
/// error, in order: the record behind a notebook cell, for `dvs notebook`
/// and the REPL's `:save`. While open, it captures the interpreter's printed
/// text and `show`n pictures; `passThrough` lets them reach the terminal too
/// (the REPL); `vectors` asks for SVGs of charts and graphs too (.ipynb).
/// Safe to read from another thread (`cell`), so a watchdog can
/// save a cell that never ends.
public final class CellRecording: @unchecked Sendable {
    public let source: String
    private let interpreter: Interpreter
    private let savedOutput: (String) -> Void
    private let lock = NSLock()
    private var outputs: [NotebookOutput] = []
    private var printed = ""
    private let start = DispatchTime.now()

    public init(_ interpreter: Interpreter, source: String, passThrough: Bool, vectors: Bool = false) {
        self.source = source
        self.interpreter = interpreter
        let original = interpreter.output
        savedOutput = original
        interpreter.output = { [unowned self] text in
            if passThrough { original(text) }
            self.locked { self.printed += text }
        }
        Display.setSink(
            { [unowned self] item in
                self.append(.image(png: item.png, svg: item.svg, label: item.label))
            }, alsoShow: passThrough, vectors: vectors, for: interpreter)
    }

    public func addValue(_ text: String) { append(.value(text)) }
    /// A cell's value as `Display.output(for:svg:)` gives it.
    public func add(_ output: NotebookOutput) { append(output) }
    public func addError(_ text: String) { append(.error(text)) }

    /// Stops capturing: printing and `show` work as before the recording.
    public func close() {
        interpreter.output = savedOutput
        Display.setSink(nil, for: interpreter)
    }

    /// The cell as recorded so far, timed from the start of the recording.
    public func cell(number: Int?, stop: NotebookCell.Stop? = nil) -> NotebookCell {
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        let all = locked { outputs + (printed.isEmpty ? [] : [.text(printed)]) }
        return NotebookCell(kind: .code, source: source, outputs: all, duration: seconds, number: number, stop: stop)
    }

    private func append(_ output: NotebookOutput) {
        locked {
            if !printed.isEmpty { outputs.append(.text(printed)); printed = "" }
            outputs.append(output)
        }
    }

    private func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }
}
