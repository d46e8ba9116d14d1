import DVSLang
import Foundation

/// Reading and writing text files.
enum IOLibrary {
    static let functions: [NativeFunction] = [
        NativeFunction("read_text", [.init("path", "string")], returns: "string",
                       help: "The contents of a UTF-8 text file.") { a in
            let path = try a.string(0)
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
                throw NativeError("cannot read '\(path)': no such file")
            }
            guard !isDir.boolValue else { throw NativeError("cannot read '\(path)': it is a folder") }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw NativeError("cannot read '\(path)': permission denied or unreadable")
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw NativeError("cannot read '\(path)': it is not UTF-8 text")
            }
            return .string(text)
        },
        NativeFunction("write_text", [.init("path", "string"), .init("text", "string")], returns: "nil",
                       help: "Writes `text` to a file (replacing it) atomically: a temporary file is renamed into place.") { a in
            let path = try a.string(0)
            let text = try a.string(1)
            do {
                try text.write(toFile: path, atomically: true, encoding: .utf8)
            } catch {
                throw NativeError("cannot write '\(path)': \((error as NSError).localizedDescription)")
            }
            return .null
        },
    ]
}
