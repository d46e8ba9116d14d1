import DVSLang
import DVSTensor
import DVSVision
import Foundation

/// The built-in library of DVS: opens every library table into an interpreter
/// and points `import` at the stdlib. Adding a built-in touches one library file.
public enum Runtime {
    /// DVS's version (`dvs --version`, shard manifests).
    public static let version = "0.1.0"

    /// Every library, in the order they are opened.
    public static let libraries: [(name: String, functions: [NativeFunction])] = [
        ("core", CoreLibrary.functions),
        ("math", MathLibrary.functions),
        ("list", ListLibrary.functions),
        ("string", StringLibrary.functions + RegexLibrary.functions),
        ("record", RecordLibrary.functions),
        ("io", IOLibrary.functions + JSONLibrary.functions),
        ("tensor", TensorLibrary.functions + DecodingFunctions.all),
        ("train", TrainLibrary.functions),
        ("graph", GraphLibrary.functions),
        ("plot", ChartLibrary.functions),
        (
            "vision",
            ImageLibrary.functions + TextLibrary.functions + OCRLibrary.functions + BoxLibrary.functions + TokenizerLibrary.functions + LabelLibrary.functions
                + Qwen2VLLibrary.functions + ShardLibrary.functions
        ),
        ("files", SaveLoadLibrary.functions),
    ]

    /// A new interpreter with all built-ins defined and the stdlib on the import path.
    public static func makeInterpreter(arguments: [String] = []) -> Interpreter {
        let interpreter = Interpreter()
        install(into: interpreter)
        interpreter.arguments = arguments
        if let stdlib = stdlibDirectory() { interpreter.moduleSearchPaths = [stdlib] }
        return interpreter
    }

    /// Defines every built-in function and constant, and lets long native
    /// work (large matrix products, OCR…) stop at Ctrl-C: `Cancellation`
    /// asks the interpreter's `Interrupt` flag.
    public static func install(into interpreter: Interpreter) {
        Cancellation.install { Interrupt.isRequested }
        for library in libraries {
            for fn in library.functions { interpreter.define(fn) }
        }
        for (name, value) in MathLibrary.constants { interpreter.define(name, .number(value)) }
        interpreter.defineMethods(TensorMethods.all, for: "tensor")
        interpreter.defineMethods(ImageMethods.all, for: "image")
        interpreter.defineMethods(BoxMethods.all, for: "box")
        interpreter.defineMethods(GridMethods.all, for: "grid")
        interpreter.defineMethods(TokenizerMethods.all, for: "tokenizer")
        interpreter.defineMethods(OptimizerMethods.all, for: "optimizer")
        interpreter.defineMethods(ChartMethods.all, for: "chart")
    }

    /// A small value of a built-in type ("tensor", "image"), for completing the
    /// members of an expression of that type without evaluating it; nil for others.
    public static func exampleValue(ofType type: String) -> Value? {
        switch type {
        case "tensor": return TensorValue.wrap(Tensor(scalar: 0))
        case "image": return (try? Image(tensor: Tensor.zeros([1, 1]))).map(ImageValue.wrap)
        default: return nil
        }
    }

    /// The built-in named `name`, if any.
    public static func builtin(_ name: String) -> NativeFunction? {
        for library in libraries { if let fn = library.functions.first(where: { $0.name == name }) { return fn } }
        return nil
    }

    /// Finds the folder of DVS library modules: `$DVS_STDLIB`, else a `stdlib`
    /// folder next to the executable or up to four levels above it (a build
    /// tree inside the repository), else the one in this source checkout.
    public static func stdlibDirectory() -> String? {
        let fm = FileManager.default
        func isDir(_ path: String) -> Bool {
            var d: ObjCBool = false
            return fm.fileExists(atPath: path, isDirectory: &d) && d.boolValue
        }
        if let env = ProcessInfo.processInfo.environment["DVS_STDLIB"], isDir(env) { return env }
        var dir = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            for candidate in [dir.appendingPathComponent("stdlib"), dir.appendingPathComponent("share/dvs/stdlib")] where isDir(candidate.path) {
                return candidate.path
            }
            dir = dir.deletingLastPathComponent()
        }
        let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("stdlib")
        return isDir(checkout.path) ? checkout.path : nil
    }
}
