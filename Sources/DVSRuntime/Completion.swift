import DVSLang
import Foundation

/// Tab completion for the REPL and the Jupyter kernel: globals and keywords,
/// members after `.` (of names, record fields, modules, and calls of built-ins
/// whose result type is known), REPL commands after `:`, file paths after
/// `:load`/`:save` and inside string literals, and module names after
/// `import "` or `from "`.
public struct Completer {
    public let interpreter: Interpreter
    /// The REPL's commands (`help`, `load`…), offered after `:`; none in the kernel.
    public let commands: [String]

    public init(interpreter: Interpreter, commands: [String] = []) {
        self.interpreter = interpreter
        self.commands = commands
    }

    /// Characters that end the word being completed (readline's word breaks).
    public static let wordBreaks = " \t\n\"'`@$><=;|&{}()[],+-*/%!"

    public enum Result: Equatable {
        /// Complete the word with these candidates.
        case words([String])
        /// The cursor is inside a string: complete a file path.
        case path
    }

    /// Candidates for `word`, the text being completed, given the line up to it.
    public func complete(word: String, lineBefore: String) -> Result {
        if insideString(lineBefore) {
            if let module = moduleNames(lineBefore) { return .words(module.filter { $0.hasPrefix(word) }.sorted()) }
            return .path
        }
        let trimmed = lineBefore.trimmingCharacters(in: .whitespaces)
        if trimmed == ":load" || trimmed == ":save" { return .path }
        if lineBefore.isEmpty, word.hasPrefix(":") {
            return .words(commands.map { ":" + $0 }.filter { $0.hasPrefix(word) }.sorted())
        }
        if let dot = word.lastIndex(of: ".") {
            let written = String(word[..<dot])
            let base = written.isEmpty ? trailingCall(lineBefore) ?? "" : written
            let partial = String(word[word.index(after: dot)...])
            return .words(members(of: base).filter { $0.hasPrefix(partial) }.sorted().map { written + "." + $0 })
        }
        let names = Set(interpreter.globalNames + Keyword.allCases.map(\.rawValue))
        return .words(names.filter { $0.hasPrefix(word) }.sorted())
    }

    /// Module names (stdlib and `.dvs` files in the current folder) when the
    /// open string is the path of `import "` or `from "`; nil otherwise.
    private func moduleNames(_ lineBefore: String) -> [String]? {
        let text = lineBefore.trimmingCharacters(in: .whitespaces)
        guard text.hasSuffix("import \"") || text.hasSuffix("from \"") else { return nil }
        var names: [String] = []
        for folder in interpreter.moduleSearchPaths + ["."] {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            names += files.filter { $0.hasSuffix(".dvs") }.map { String($0.dropLast(4)) }
        }
        return Array(Set(names))
    }

    /// The call `name(…)` that `text` ends with (brackets balanced), if any:
    /// readline splits `zeros([2]).sh` at the brackets, so the word is `.sh`.
    private func trailingCall(_ text: String) -> String? {
        let chars = Array(text)
        guard chars.last == ")" else { return nil }
        var depth = 0
        var i = chars.count - 1
        while i >= 0 {
            if chars[i] == ")" || chars[i] == "]" { depth += 1 }
            if chars[i] == "(" || chars[i] == "[" { depth -= 1 }
            if depth == 0 { break }
            i -= 1
        }
        guard i > 0, chars[i] == "(" else { return nil }
        var start = i
        while start > 0, chars[start - 1] == "_" || chars[start - 1].isLetter || chars[start - 1].isNumber { start -= 1 }
        return start < i ? String(chars[start..<chars.count]) : nil
    }

    /// Completions of `code` at `cursor` (an offset in Unicode code points, as
    /// Jupyter counts), as the kernel answers them: the candidates and the
    /// range of code points they replace. Inside a string, the text after the
    /// quote is a path (or a module name after `import "`).
    public func complete(code: String, cursor: Int) -> (matches: [String], start: Int, end: Int) {
        let before = Array(code.unicodeScalars.prefix(max(0, cursor)))
        func text(_ part: ArraySlice<Unicode.Scalar>) -> String { String(String.UnicodeScalarView(part)) }
        let end = before.count
        if insideString(text(before[...])) {
            var start = end
            while start > 0, before[start - 1] != "\"" { start -= 1 }
            let lineBefore = text(before[..<start]), written = text(before[start...])
            if let modules = moduleNames(lineBefore) { return (modules.filter { $0.hasPrefix(written) }.sorted(), start, end) }
            return (paths(completing: written), start, end)
        }
        var start = end
        while start > 0, !Self.wordBreaks.unicodeScalars.contains(before[start - 1]) { start -= 1 }
        guard case .words(let words) = complete(word: text(before[start...]), lineBefore: text(before[..<start])) else {
            return ([], start, end)
        }
        return (words, start, end)
    }

    /// Files and folders whose path starts with `written` (folders end in "/");
    /// dot files only when the name written starts with a dot.
    public func paths(completing written: String) -> [String] {
        let slash = written.lastIndex(of: "/")
        let folderPart = slash.map { String(written[...$0]) } ?? ""
        let namePart = slash.map { String(written[written.index(after: $0)...]) } ?? written
        let folder = folderPart.isEmpty ? "." : (folderPart as NSString).expandingTildeInPath
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasPrefix(namePart) && (namePart.hasPrefix(".") || !$0.hasPrefix(".")) }.sorted().map { name in
            var isFolder: ObjCBool = false
            FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent(name), isDirectory: &isFolder)
            return folderPart + name + (isFolder.boolValue ? "/" : "")
        }
    }

    /// True when the cursor is inside an open string literal.
    func insideString(_ text: String) -> Bool {
        var inString = false, escaped = false
        for c in text {
            if escaped { escaped = false; continue }
            if c == "\\" { escaped = inString; continue }
            if c == "\"" { inString.toggle() }
        }
        return inString
    }

    /// Members offered after `base.`: a record's fields, an object's members, and
    /// the built-ins that take that type first (method sugar).
    public func members(of base: String) -> [String] {
        guard let value = lookup(base) else { return [] }
        var names: [String] = []
        switch value {
        case .record(let r): names = r.keys + library("record")
        case .list, .range: names = library("list") + ["len"]
        case .string: names = library("string") + ["len", "split", "contains", "reverse", "slice"]
        case .number: names = library("math")
        case .object(let o): names = o.memberNames + interpreter.methodNames(for: value)
        default: break
        }
        return Array(Set(names))
    }

    private func library(_ name: String) -> [String] {
        Runtime.libraries.first { $0.name == name }?.functions.map(\.name) ?? []
    }

    /// The value of a dotted path of globals, record fields and module members
    /// (`cfg.model`, `nn.apply_linear`), read without running anything; for a
    /// call of a built-in that returns a tensor or an image (`zeros([2])`), a
    /// value of that type, so its members can be offered.
    private func lookup(_ path: String) -> Value? {
        if path.hasSuffix(")"), let open = path.firstIndex(of: "("),
            case .function(let f)? = interpreter.global(String(path[..<open])), let native = f as? NativeFunction
        {
            return Runtime.exampleValue(ofType: native.returns)
        }
        let parts = path.split(separator: ".").map(String.init)
        guard let first = parts.first, var value = interpreter.global(first) else { return nil }
        for part in parts.dropFirst() {
            switch value {
            case .record(let r):
                guard let next = r[part] else { return nil }
                value = next
            case .object(let o) where o.typeName == "module":
                guard let next = try? o.member(part) else { return nil }
                value = next
            default:
                return nil
            }
        }
        return value
    }
}
