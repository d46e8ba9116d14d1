import DVSFiles
import DVSLang
import DVSRender
import DVSRuntime
import Foundation
import Synchronization

/// What the kernel answers on the shell channel, and how it runs cells: the
/// REPL's session rules (`CellSession`: a failing cell leaves the bindings as
/// they were; `_` and `Out[n]`), its completion engine (`Completer`) and its
/// help (`Help`), with printed text, pictures, values and errors sent as
/// Jupyter messages. Runs on the thread that runs DVS code.
final class KernelRequests {
    let interpreter: Interpreter
    private let cells: CellSession
    private let iopub: IOPub
    private let output: OutputCapture
    private let version: String
    var stdin: StdinChannel?
    private let history = KernelHistory()
    /// The number the next cell run with store_history gets (IPython's rule).
    private var nextCount = 1
    /// The execute_request running, and whether it allows input.
    private var running: (request: JupyterMessage, allowStdin: Bool)?
    private let busy = Atomic<Bool>(false)

    /// Whether a cell is running (asked from the control thread).
    var isRunningCell: Bool { busy.load(ordering: .relaxed) }

    init(interpreter: Interpreter, iopub: IOPub, output: OutputCapture, version: String) {
        self.interpreter = interpreter
        self.iopub = iopub
        self.output = output
        self.version = version
        cells = CellSession(interpreter)
        // Printed text goes straight to fd 1, which the kernel captures: no stdio buffer to hold it back.
        interpreter.output = { text in
            var rest = Array(text.utf8)[...]
            while !rest.isEmpty {
                let n = rest.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
                if n < 0 { if errno == EINTR { continue } else { return } }
                rest = rest.dropFirst(n)
            }
        }
        interpreter.progressOutput = nil
        interpreter.readInputLine = { [unowned self] in
            guard let running, running.allowStdin, let stdin else { return nil }
            output.flush()
            return stdin.readLine(for: running.request)
        }
        Display.setSink(
            { [unowned self] item in
                guard let running else { return }
                publish(.image(png: item.png, svg: item.svg, label: item.label), count: nil, parent: running.request)
            }, vectors: true, for: interpreter)
    }

    /// The reply's content for a shell request; nil for messages without a reply (comms).
    func handle(_ request: JupyterMessage) -> JSONValue? {
        switch request.type {
        case "execute_request": return execute(request)
        case "complete_request": return complete(request.content)
        case "inspect_request": return inspect(request.content)
        case "is_complete_request": return isComplete(request.content)
        case "history_request": return ok([("history", history.reply(to: request.content))])
        case "comm_info_request": return ok([("comms", .emptyObject)])
        case "comm_open", "comm_msg", "comm_close": return nil  // DVS has no comms
        default:
            KernelLog.write("ignored \(request.type) on shell")
            return nil
        }
    }

    func kernelInfo() -> JSONValue {
        ok([
            ("protocol_version", .string(JupyterMessage.protocolVersion)),
            ("implementation", .string("dvs")),
            ("implementation_version", .string(version)),
            ("language_info", Kernelspec.languageInfo(version: version)),
            ("banner", .string("DVS \(version): a small language for direct vision supervision research. help() lists the built-ins.")),
            ("help_links", .array([])),
            ("debugger", .bool(false)),
        ])
    }

    private func ok(_ members: [(key: String, value: JSONValue)]) -> JSONValue {
        .object([("status", .string("ok"))] + members)
    }

    // MARK: - execute

    private func execute(_ request: JupyterMessage) -> JSONValue {
        let content = request.content
        let code = content["code"]?.stringValue ?? ""
        let silent = content["silent"]?.boolValue ?? false
        let store = !silent && (content["store_history"]?.boolValue ?? true)
        let number = nextCount
        if store { nextCount += 1 }
        if !silent {
            iopub.publish("execute_input", .object([("code", .string(code)), ("execution_count", .int(number))]), parent: request)
        }
        running = (request, content["allow_stdin"]?.boolValue ?? true)
        output.setParent(request)
        busy.store(true, ordering: .relaxed)
        let outcome = cells.run(code, name: "<cell \(number)>", number: store ? number : nil)
        busy.store(false, ordering: .relaxed)
        output.flush()
        running = nil
        let count: (key: String, value: JSONValue) = ("execution_count", .int(nextCount - 1))
        switch outcome {
        case .ran(let value):
            if store { history.add(line: number, input: code, output: value?.repr) }
            if let value, !silent { publish(Display.output(for: value, svg: true), count: number, parent: request) }
            return ok([count, ("user_expressions", .emptyObject), ("payload", .array([]))])
        case .exited:
            if store { history.add(line: number, input: code, output: nil) }
            // As IPython's exit(): the frontend may end the session (jupyter console does).
            let exit = JSONValue.object([("source", .string("ask_exit")), ("keepkernel", .bool(false))])
            return ok([count, ("user_expressions", .emptyObject), ("payload", .array([exit]))])
        case .failed(let diagnostic):
            if store { history.add(line: number, input: code, output: nil) }
            let error = Self.errorContent(diagnostic)
            iopub.publish("error", .object(error), parent: request)
            return .object([("status", .string("error"))] + error + [count])
        }
    }

    /// display_data for pictures, execute_result (with its number) for values.
    private func publish(_ shown: NotebookOutput, count: Int?, parent: JupyterMessage) {
        guard let data = MIMEBundle.data(shown) else { return }
        output.flush()
        if let count, !MIMEBundle.isPicture(shown) {
            iopub.publish("execute_result", .object([("execution_count", .int(count)), ("data", data), ("metadata", .emptyObject)]), parent: parent)
        } else {
            iopub.publish("display_data", .object([("data", data), ("metadata", .emptyObject), ("transient", .emptyObject)]), parent: parent)
        }
    }

    /// ename, evalue and traceback: the DVS diagnostic (with colours, caret and stack) one line per entry.
    static func errorContent(_ d: Diagnostic) -> [(key: String, value: JSONValue)] {
        guard case .error(let text, let name, let value) = NotebookOutput.error(d, color: true) else { return [] }
        return MIMEBundle.errorMembers(text: text, name: name, value: value)
    }

    // MARK: - complete, inspect, is_complete

    private func complete(_ content: JSONValue) -> JSONValue {
        let code = content["code"]?.stringValue ?? ""
        let cursor = content["cursor_pos"]?.intValue ?? code.unicodeScalars.count
        let found = Completer(interpreter: interpreter).complete(code: code, cursor: cursor)
        return ok([
            ("matches", .strings(found.matches)), ("cursor_start", .int(found.start)),
            ("cursor_end", .int(found.end)), ("metadata", .emptyObject),
        ])
    }

    /// The help text of the name at (or just before) the cursor.
    private func inspect(_ content: JSONValue) -> JSONValue {
        let code = Array((content["code"]?.stringValue ?? "").unicodeScalars)
        let cursor = min(max(0, content["cursor_pos"]?.intValue ?? code.count), code.count)
        func isNameScalar(_ s: Unicode.Scalar) -> Bool { s == "_" || s.properties.isAlphabetic || ("0"..."9").contains(s) }
        var start = cursor, end = cursor
        while start > 0, isNameScalar(code[start - 1]) { start -= 1 }
        while end < code.count, isNameScalar(code[end]) { end += 1 }
        let name = String(String.UnicodeScalarView(code[start..<end]))
        guard !name.isEmpty, let text = Help.entry(for: name, in: interpreter) else {
            return ok([("found", .bool(false)), ("data", .emptyObject), ("metadata", .emptyObject)])
        }
        return ok([("found", .bool(true)), ("data", .object([("text/plain", .string(text))])), ("metadata", .emptyObject)])
    }

    private func isComplete(_ content: JSONValue) -> JSONValue {
        let code = content["code"]?.stringValue ?? ""
        switch CellSession.completeness(of: code) {
        case .complete: return .object([("status", .string("complete"))])
        case .invalid: return .object([("status", .string("invalid"))])
        case .incomplete:
            // The next line's indent: the last line's, one level deeper after an opening bracket.
            let last = code.split(separator: "\n", omittingEmptySubsequences: false).last ?? ""
            var indent = String(last.prefix { $0 == " " || $0 == "\t" })
            if let end = last.last(where: { !$0.isWhitespace }), "{([".contains(end) { indent += "    " }
            return .object([("status", .string("incomplete")), ("indent", .string(indent))])
        }
    }
}
