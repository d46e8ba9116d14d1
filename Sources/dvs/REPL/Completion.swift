import DVSLang
import DVSRuntime
import Foundation

/// Tab completion for the REPL: globals and keywords, members after `.`,
/// REPL commands after `:`, and file paths inside string literals.
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
        if insideString(lineBefore) { return .path }
        if lineBefore.isEmpty, word.hasPrefix(":") {
            return .words(Session.commands.map { ":" + $0.name }.filter { $0.hasPrefix(word) }.sorted())
        }
        if let dot = word.lastIndex(of: ".") {
            let base = String(word[..<dot])
            let partial = String(word[word.index(after: dot)...])
            return .words(members(of: base).filter { $0.hasPrefix(partial) }.sorted().map { base + "." + $0 })
        }
        let names = Set(interpreter.globalNames + Keyword.allCases.map(\.rawValue))
        return .words(names.filter { $0.hasPrefix(word) }.sorted())
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
    /// (`cfg.model`, `nn.apply_linear`), read without running anything.
    private func lookup(_ path: String) -> Value? {
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
