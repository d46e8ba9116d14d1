/// Every error DVS reports to a user: lexing, parsing, resolving and running.
/// One type and one printer (`render`) so the format is the same everywhere:
///
///     file:line:col: error: message
///         source line
///         ^
///     stack (innermost first):
///       at f (file:line:col)
public struct Diagnostic: Error, Sendable, CustomStringConvertible {
    public enum Phase: Sendable {
        case syntax, runtime, interrupt
        /// Internal: carries `break`/`continue`/`return` out of an expression to
        /// the statement that contains it (see `ControlBoundaryNode`); never reported.
        case control
        /// `exit(code)`: ends the program (or the REPL session) with `exitCode`;
        /// not an error, never caught, never reported.
        case exit
    }

    public let phase: Phase
    public let message: String
    public let range: SourceRange?
    /// The DVS call stack at the failure, innermost first (runtime errors only).
    public var stack: [StackEntry]
    /// True when a syntax error only says the input ended too early: the REPL
    /// then asks for another line instead of reporting it.
    public let isIncompleteInput: Bool
    /// The status `exit(code)` asked for (phase `.exit` only).
    public let exitCode: Int32

    public init(
        _ phase: Phase, _ message: String, at range: SourceRange?,
        stack: [StackEntry] = [], incompleteInput: Bool = false, exitCode: Int32 = 0
    ) {
        self.phase = phase
        self.message = message
        self.range = range
        self.stack = stack
        self.isIncompleteInput = incompleteInput
        self.exitCode = exitCode
    }

    public var description: String { render() }

    /// The full multi-line report. `color` adds ANSI colors for terminals.
    public func render(color: Bool = false) -> String {
        let red = color ? "\u{1B}[1;31m" : "", bold = color ? "\u{1B}[1m" : ""
        let green = color ? "\u{1B}[32m" : "", reset = color ? "\u{1B}[0m" : ""
        var out = ""
        if let range {
            out += "\(bold)\(range.description):\(reset) \(red)error:\(reset) \(bold)\(message)\(reset)\n"
            let text = range.source.lineText(Int(range.start.line))
            if !text.isEmpty {
                let shown = Diagnostic.clip(text, around: Int(range.start.column))
                out += "    \(shown.text)\n"
                out += "    " + String(repeating: " ", count: max(0, shown.caretColumn - 1)) + "\(green)^\(reset)\n"
            }
        } else {
            out += "\(red)error:\(reset) \(bold)\(message)\(reset)\n"
        }
        if !stack.isEmpty {
            out += "stack (innermost first):\n"
            for entry in stack {
                out += entry.location.isEmpty ? "  \(entry.function)\n" : "  at \(entry.function) (\(entry.location))\n"
            }
        }
        return out
    }

    /// Very long lines are shown as a window around the caret; tabs as spaces
    /// and other control characters as their pictures (NUL as ␀), one column each.
    static func clip(_ line: String, around column: Int) -> (text: String, caretColumn: Int) {
        let chars = line.map { c -> Character in
            guard c.unicodeScalars.count == 1, let s = c.unicodeScalars.first, s.properties.generalCategory == .control else { return c }
            if s == "\t" { return " " }
            return Character(Unicode.Scalar(s.value < 0x20 ? 0x2400 + s.value : 0x2421)!)
        }
        let width = 120
        guard chars.count > width else { return (String(chars), column) }
        let start = max(0, min(column - 1 - width / 2, chars.count - width))
        let end = min(chars.count, start + width)
        let prefix = start > 0 ? "…" : "", suffix = end < chars.count ? "…" : ""
        return (prefix + String(chars[start..<end]) + suffix, column - start + prefix.count)
    }
}

/// One frame of a DVS call stack, as shown in a runtime error.
public struct StackEntry: Sendable {
    public let function: String
    public let location: String
    public init(function: String, location: String) {
        self.function = function
        self.location = location
    }
}
