import DVSLang

/// `show(x)`: how a value is displayed. Strings print as text; other values
/// print as the REPL echoes them.
enum Display {
    static func show(_ value: Value, _ interpreter: Interpreter) throws(NativeError) {
        if case .string(let s) = value {
            interpreter.output(s + "\n")
        } else {
            interpreter.output(value.repr + "\n")
        }
    }
}
