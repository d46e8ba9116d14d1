import DVSFiles
import DVSLang
import Foundation

/// Reading and writing text files, making folders for outputs, and asking
/// whether a path exists.
enum IOLibrary {
    static let functions: [NativeFunction] = [
        NativeFunction(
            "read_text", [.init("path", .string)], returns: "string",
            help: "The contents of a UTF-8 text file (or of /dev/stdin, /dev/fd/N)."
        ) { a in
            let path = try a.string(0)
            return .string(try fileOp { () throws(FileError) in try ReadFile.text(path) })
        },
        NativeFunction(
            "write_text", [.init("path", .string), .init("text", .string)], returns: "nil",
            help:
                "Writes `text` to a file, replacing it atomically (a temporary file is renamed into place); follows links, keeps the file's permissions, refuses folders and devices; /dev/stdout, /dev/stderr and /dev/fd/N are written directly."
        ) { a in
            let path = try a.string(0)
            let text = try a.string(1)
            try fileOp { () throws(FileError) in try AtomicFile.write(Array(text.utf8), to: path) }
            return .null
        },
        NativeFunction(
            "input", [.init("prompt", .string, default: .string(""))], returns: "string|nil",
            help:
                "Writes prompt, then reads one line of standard input and returns it without its newline; nil at the end of input (and in a notebook, which has no reader). In the REPL the line is typed at the terminal."
        ) { a in
            let prompt = try a.string(0)
            if !prompt.isEmpty { a.interpreter.output(prompt) }
            fflush(stdout)
            return a.interpreter.readInputLine().map { .string($0) } ?? .null
        },
        NativeFunction(
            "list_dir", [.init("path", .string, default: .string("."))], returns: "list",
            help: "The names in a folder (files and folders, not . and ..), sorted."
        ) { a in
            let path = try a.string(0)
            do {
                return .list(try FileManager.default.contentsOfDirectory(atPath: path).sorted().map { .string($0) })
            } catch {
                throw NativeError("list_dir: cannot read the folder '\(path)': it does not exist or is not a folder")
            }
        },
        NativeFunction(
            "make_dir", [.init("path", .string)], returns: "nil",
            help:
                "Creates a folder and any missing parents (like mkdir -p); a folder already there is fine. Make output folders before long work, so a bad path fails early."
        ) { a in
            let path = try a.string(0)
            try fileOp { () throws(FileError) in try Folders.make(path) }
            return .null
        },
        NativeFunction(
            "exists", [.init("path", .string)], returns: "bool",
            help: "True when a file or folder exists at path (a link counts when its target exists): skip work whose results are already written."
        ) { a in
            .bool(FileManager.default.fileExists(atPath: try a.string(0)))
        },
    ]
}

/// Runs file reading or writing, reporting its errors (path and reason) as `NativeError`s.
func fileOp<T>(_ body: () throws(FileError) -> T) throws(NativeError) -> T {
    do {
        return try body()
    } catch {
        throw NativeError(error.message)
    }
}
