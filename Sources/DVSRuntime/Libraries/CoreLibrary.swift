import DVSLang
import Foundation

/// Printing, types and conversions, assertions, help, and the session's
/// script arguments and environment.
enum CoreLibrary {
    /// Argument 0 of int/float as a number: numbers as they are, bools as 1
    /// and 0, strings in decimal (with exponent), inf or nan, spaces around allowed.
    private static func number(_ a: Arguments) throws(NativeError) -> Double {
        switch a[0] {
        case .number(let n): return n
        case .bool(let b): return b ? 1 : 0
        case .string(let s):
            let t = s.trimmingCharacters(in: .whitespaces)
            switch t.lowercased() {
            case "inf", "+inf", "infinity", "+infinity": return .infinity
            case "-inf", "-infinity": return -.infinity
            case "nan": return .nan
            default:
                if !t.contains(where: { $0.isLetter && $0 != "e" && $0 != "E" }), let d = Double(t) { return d }
                throw NativeError("\(a.function.name): cannot convert \(a[0].repr) to a number")
            }
        default: throw a.unexpected(0)
        }
    }

    static let functions: [NativeFunction] = [
        NativeFunction(
            "print",
            [
                .init("sep", .string, default: .string(" "), namedOnly: true),
                .init("end", .string, default: .string("\n"), namedOnly: true),
            ],
            variadic: .init("values"), returns: "nil",
            help: "Prints the values separated by sep (a space), then end (a newline). Strings print without quotes: print(a, b, sep: \", \", end: \"\")."
        ) { a in
            a.interpreter.output(a.rest.map(\.printed).joined(separator: try a.string(0)) + (try a.string(1)))
            return .null
        },
        NativeFunction(
            "progress", [.init("text")], returns: "nil",
            help:
                "Shows a status line (\"run 3/12: step 400, loss 2.31\"). When `dvs` prints to a terminal, each call rewrites the same line in place and the next other output starts on a fresh line; elsewhere (pipes, logs, notebooks) it prints the text and a newline, like print."
        ) { a in
            let text = a[0].printed
            if let line = a.interpreter.progressOutput { line(text) } else { a.interpreter.output(text + "\n") }
            return .null
        },
        NativeFunction(
            "exit", [.init("code", .whole(in: 0...255), default: .number(0))], returns: "nil",
            help:
                "Ends the program with exit status `code` (0–255; 0 means success), after running any pending `finally` blocks; in the REPL it ends the session, in a notebook the remaining cells do not run."
        ) { a in
            let code = try a.int(0)
            throw NativeError(wrapping: Diagnostic(.exit, "exit(\(code))", at: nil, exitCode: Int32(code)))
        },
        NativeFunction(
            "show", [.init("value")], returns: "nil",
            help: "Displays a value: images, charts and graphs are drawn (where supported); other values print as the REPL echoes them."
        ) { a in
            try Display.show(a[0], a.interpreter)
            return .null
        },
        NativeFunction(
            "len", [.init("x", .oneOf([.list, .string, .record, .range]))], returns: "number",
            help: "Number of items in a list, characters in a string, fields in a record, or numbers in a range."
        ) { a in
            switch a[0] {
            case .list(let l): return .number(Double(l.items.count))
            case .string(let s): return .number(Double(s.count))
            case .record(let r): return .number(Double(r.count))
            case .range(let r): return .number(Double(r.count))
            default: throw a.unexpected(0)
            }
        },
        NativeFunction(
            "type", [.init("x")], returns: "string",
            help:
                "The type of a value as a string: \"nil\", \"bool\", \"number\", \"string\", \"list\", \"record\", \"range\", \"function\", or an object type such as \"tensor\"."
        ) { a in
            .string(a[0].typeName)
        },
        NativeFunction(
            "str", [.init("x")], returns: "string",
            help: "The printed form of a value as a string (str(3) == \"3\", str([1, \"a\"]) == \"[1, \\\"a\\\"]\")."
        ) { a in
            .string(a[0].printed)
        },
        NativeFunction(
            "repr", [.init("x")], returns: "string",
            help: "The form of a value as the REPL echoes it: strings quoted and escaped."
        ) { a in
            .string(a[0].repr)
        },
        NativeFunction(
            "int", [.init("x", .oneOf([.string, .number, .bool]))], returns: "number",
            help:
                "A whole number, truncating toward zero as Python does: int(2.7) == 2, int(-2.7) == -2, int(\"42\") == 42, int(true) == 1. (float converts without truncating.)"
        ) { a in
            let x = try number(a)
            guard x.isFinite else { throw NativeError("int: \(formatNumber(x)) has no whole-number value") }
            return .number(x.rounded(.towardZero))
        },
        NativeFunction(
            "float", [.init("x", .oneOf([.string, .number, .bool]))], returns: "number",
            help:
                "Converts to a number, as Python's float: \"3.5\" → 3.5, \"1e-3\" → 0.001, \"inf\", \"nan\", true → 1. A string that is not a decimal number is an error."
        ) { a in
            .number(try number(a))
        },
        NativeFunction(
            "assert", [.init("condition", .bool), .init("message", .string, default: .string("assertion failed"))], returns: "nil",
            help: "Stops with an error carrying `message` unless `condition` is true."
        ) { a in
            guard try a.bool(0) else { throw NativeError(a[1].printed) }
            return .null
        },
        NativeFunction(
            "error", [.init("message")], returns: "never",
            help: "Stops the program with a runtime error whose message is `message`."
        ) { a in
            throw NativeError(a[0].printed)
        },
        NativeFunction(
            "range", [.init("start", .number), .init("stop", .number, default: .null), .init("step", .number, default: .number(1))], returns: "range",
            help: "range(n) is 0..<n; range(a, b) is a..<b; range(a, b, step) counts by step (which may be negative, not 0)."
        ) { a in
            var start = try a.number(0), stop: Double
            if a.isNil(1) { stop = start; start = 0 } else { stop = try a.number(1) }
            let step = try a.number(2)
            return .range(try RangeObject(start: start, end: stop, step: step, inclusive: false))
        },
        NativeFunction(
            "help", [.init("topic", default: .null)], returns: "nil",
            help: "Help on a built-in, a function, or a topic: help(sqrt), help(\"sqrt\"), help(\"syntax\"), help() for the list."
        ) { a in
            a.interpreter.output(Help.text(for: a[0], in: a.interpreter) + "\n")
            return .null
        },
        NativeFunction(
            "time", returns: "number",
            help: "Seconds since 1970-01-01 UTC, with sub-microsecond resolution; subtract two readings to time code."
        ) { _ in
            .number(Date().timeIntervalSince1970)
        },
        NativeFunction(
            "args", returns: "list",
            help: "The arguments given after the script name: `dvs run s.dvs a b` gives [\"a\", \"b\"]."
        ) { a in
            .list(a.interpreter.arguments.map { .string($0) })
        },
        NativeFunction(
            "script_dir", returns: "string",
            help:
                "The folder of the script file this call is written in (for code in a module, the module's folder), as an absolute path: data next to a script is found from any working folder, as in load_image(\"{script_dir()}/data/page.png\"). In the REPL and -e, the current folder."
        ) { a in
            var isFolder: ObjCBool = false
            if let name = a.interpreter.callerSource?.name,
                FileManager.default.fileExists(atPath: name, isDirectory: &isFolder), !isFolder.boolValue
            {
                return .string(URL(fileURLWithPath: name).standardizedFileURL.deletingLastPathComponent().path)
            }
            return .string(FileManager.default.currentDirectoryPath)
        },
        NativeFunction(
            "env", [.init("name", .string), .init("default", default: .null)], returns: "string|nil",
            help: "The environment variable `name`, or `default` (nil) when it is not set."
        ) { a in
            let name = try a.string(0)
            return ProcessInfo.processInfo.environment[name].map { .string($0) } ?? a[1]
        },
    ]
}
