import DVSLang
import DVSRuntime
import Foundation

/// Tab completion for the REPL: globals and keywords, members after `.`
/// (of names, record fields, modules, and calls of built-ins whose result type
/// is known), REPL commands after `:`, file paths after `:load`/`:save` and
/// inside string literals, and module names after `import "` or `from "`.
struct Completer {
    let interpreter: Interpreter

    enum Result: Equatable {
        /// Complete the word with these candidates.
        case words([String])
        /// The cursor is inside a string: complete a file path.
        case path
    }

    /// Candidates for `word`, the text being completed, given the line up to it.
    func complete(word: String, lineBefore: String) -> Result {
        if insideString(lineBefore) {
            if let module = moduleNames(lineBefore) { return .words(module.filter { $0.hasPrefix(word) }.sorted()) }
            return .path
        }
        let trimmed = lineBefore.trimmingCharacters(in: .whitespaces)
        if trimmed == ":load" || trimmed == ":save" { return .path }
        if lineBefore.isEmpty, word.hasPrefix(":") {
            return .words(Session.commands.map { ":" + $0.name }.filter { $0.hasPrefix(word) }.sorted())
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
    func members(of base: String) -> [String] {
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
           case .function(let f)? = interpreter.global(String(path[..<open])), let native = f as? NativeFunction {
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
