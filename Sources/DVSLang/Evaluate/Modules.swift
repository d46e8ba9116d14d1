import DVSFiles
import Foundation

/// `import "name"`: finds `name.dvs` (the importing script's folder first, then
/// `Interpreter.moduleSearchPaths`, which holds the stdlib), runs it once per
/// session in a namespace of its own, and yields the module value.
struct ModuleLoader {
    /// Canonical path → the loaded module.
    var loaded: [String: ModuleObject] = [:]
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
        .object(try module(I))
    }

    /// The module, loaded on first use.
    func module(_ I: Interpreter) throws(Diagnostic) -> ModuleObject {
        let file = try I.locateModule(path, from: range)
        if let module = I.modules.loaded[file] { return module }
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
        let namespace = Namespace(name: Parser.fileStem(file), builtins: I.builtins)
        let chunk = try Resolver.resolveChunk(statements, source: source, namespace: namespace)
        _ = try I.execute(chunk)
        let module = ModuleObject(namespace: namespace, path: file)
        I.modules.loaded[file] = module
        return module
    }
}

/// One name of `from "module" import a, b`: the module's value of it.
final class ImportedNameNode: Node {
    let module: ImportNode
    let name: String
    init(_ module: ImportNode, _ name: String, _ range: SourceRange) { self.module = module; self.name = name; super.init(range) }

    override func eval(_ f: Frame, _ I: Interpreter) throws(Diagnostic) -> Value {
        let m = try module.module(I)
        if let slot = m.namespace.slots[name], slot.isDefined { return slot.value }
        let hint = closestName(to: name, in: m.namespace.ownNames).map { "; did you mean '\($0)'?" } ?? ""
        throw I.error("module '\(m.namespace.name)' has no name '\(name)'\(hint)", at: range)
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
