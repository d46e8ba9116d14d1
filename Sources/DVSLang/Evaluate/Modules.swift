import DVSFiles
import Foundation

/// `import "name"`: finds `name.dvs` (the importing script's folder first, then
/// `Interpreter.moduleSearchPaths`, which holds the stdlib), runs it once in the
/// shared global scope, and yields a record of the names it declared.
struct ModuleLoader {
    /// Canonical path → the record of the module's top-level names.
    var loaded: [String: RecordObject] = [:]
    /// Modules being loaded, outermost first (for cycle errors).
    var loading: [String] = []

    /// The standardized path of `name` if it names an existing file (REPL cells
    /// and `-e` sources do not).
    func canonicalPath(_ name: String) -> String? {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: name, isDirectory: &isDir), !isDir.boolValue else { return nil }
        return (URL(fileURLWithPath: name).standardizedFileURL.path as NSString).standardizingPath
    }
}

final class ImportNode: Node {
    let path: String
    init(_ path: String, _ range: SourceRange) { self.path = path; super.init(range) }

    override func eval(_ f: Frame, _ I: Interpreter) throws(Diagnostic) -> Value {
        let file = try I.locateModule(path, from: range)
        if let exports = I.modules.loaded[file] { return .record(exports) }
        if I.modules.loading.contains(file) {
            let chain = (I.modules.loading.drop(while: { $0 != file }) + [file]).map { ($0 as NSString).lastPathComponent }
            throw I.error("import cycle: \(chain.joined(separator: " → "))", at: range)
        }
        let text: String
        do {
            text = try ReadFile.text(file)
        } catch {
            throw I.error("import: \(error.message)", at: range)
        }
        I.modules.loading.append(file)
        defer { I.modules.loading.removeLast() }
        let source = Source(name: file, text: text)
        let statements = try Parser.parse(source)
        let chunk = try Resolver.resolveChunk(statements, source: source, interpreter: I)
        _ = try I.execute(chunk)
        let exports = RecordObject(chunk.declaredGlobals.compactMap { name in I.global(name).map { (name, $0) } })
        I.modules.loaded[file] = exports
        return .record(exports)
    }
}

extension Interpreter {
    func locateModule(_ path: String, from range: SourceRange) throws(Diagnostic) -> String {
        let fm = FileManager.default
        let fileName = path.hasSuffix(".dvs") ? path : path + ".dvs"
        var folders: [String] = []
        let importer = range.source.name
        if fm.fileExists(atPath: importer) {
            folders.append((importer as NSString).deletingLastPathComponent)
        }
        folders.append(fm.currentDirectoryPath)
        if !path.hasPrefix("./"), !path.hasPrefix("../") { folders += moduleSearchPaths }
        if fileName.hasPrefix("/") {
            folders = [""]
        }
        var tried: [String] = []
        for folder in folders {
            let candidate = folder.isEmpty ? fileName : (folder as NSString).appendingPathComponent(fileName)
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: candidate, isDirectory: &isDir), !isDir.boolValue, let path = modules.canonicalPath(candidate) {
                return path
            }
            tried.append(folder.isEmpty ? candidate : folder)
        }
        throw error("cannot find module '\(path)': looked for \(fileName) in \(tried.joined(separator: ", "))", at: range)
    }
}
