import DVSLang
import DVSRuntime
import Foundation
import XCTest

/// `load` of checkpoints whose tensor names do not nest cleanly: every tensor
/// comes back with `nested: false`, and nested loading is an error naming the
/// names (never a tensor dropped). The files are written byte by byte here.
final class LoadNamesTests: XCTestCase {
    private var folder: String!

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "dvs-load-names-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if let folder { try? FileManager.default.removeItem(atPath: folder) }
    }

    /// A file with one F32 scalar-like tensor (shape [1]) per name, holding 1, 2, 3…
    private func file(_ names: [String], metadata: String? = nil) throws -> String {
        var members = metadata.map { ["\"__metadata__\":\($0)"] } ?? []
        var data: [UInt8] = []
        for (i, name) in names.enumerated() {
            let quoted = String(data: try JSONSerialization.data(withJSONObject: name, options: .fragmentsAllowed), encoding: .utf8)!
            members.append("\(quoted):{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[\(4 * i),\(4 * i + 4)]}")
            withUnsafeBytes(of: Float(i + 1).bitPattern.littleEndian) { data += $0 }
        }
        let header = Array(("{" + members.joined(separator: ",") + "}").utf8)
        var bytes: [UInt8] = []
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { bytes += $0 }
        bytes += header + data
        let path = folder + "/names-\(UUID().uuidString).safetensors"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Runs `code` (with `p` bound to `path`); returns what it printed, or the error message.
    private func run(_ code: String, path: String) -> String {
        runOnLargeStack {
            let interpreter = Runtime.makeInterpreter()
            var printed = ""
            interpreter.output = { printed += $0 }
            do throws(Diagnostic) {
                try interpreter.run(Source(name: "<test>", text: "let p = \(Value.string(path).repr)\n" + code))
            } catch {
                return "error: " + error.message
            }
            return printed.trimmingCharacters(in: .newlines)
        }
    }

    private func nestError(_ a: String, _ b: String, _ path: String) -> String {
        "error: load: the names \"\(a)\" and \"\(b)\" cannot both be nested: \"\(a)\" would be a value and a record; "
            + "load('\(path)', nested: false) gives every tensor under its name as written"
    }

    func testANameThatIsAlsoAPrefixIsAnErrorInEitherOrderAndFlatKeepsBoth() throws {
        for names in [["a.b", "a"], ["a", "a.b"], ["x", "a.b.c", "a.b"]] {
            let p = try file(names)
            let prefix = names.contains("a") ? "a" : "a.b"
            let longer = names.contains("a.b.c") ? "a.b.c" : "a.b"
            XCTAssertEqual(run("load(p)", path: p), nestError(prefix, longer, p), "\(names)")
            XCTAssertEqual(
                run("let r = load(p, nested: false)\nprint(keys(r), keys(r).map(fn(k) { r[k].item() }))", path: p),
                "\(Value.list(names.map { .string($0) }).repr) \(Value.list(names.indices.map { .number(Double($0 + 1)) }).repr)")
        }
    }

    func testEmptyPartsAreAnErrorNestedAndKeptFlat() throws {
        for name in ["", "a..b", ".a", "a."] {
            let p = try file(["w", name])
            XCTAssertEqual(
                run("load(p)", path: p),
                "error: load: the name \(Value.string(name).repr) cannot be nested: it has an empty part between dots; "
                    + "load('\(p)', nested: false) gives every tensor under its name as written")
            XCTAssertEqual(
                run("let r = load(p, nested: false)\nprint(keys(r), r[\(Value.string(name).repr)].item())", path: p),
                "[\"w\", \(Value.string(name).repr)] 2")
        }
    }

    func testNumericPartsNestAsRecordFields() throws {
        let p = try file(["0.1", "layers.0.w", "layers.1.w"])
        XCTAssertEqual(
            run("let r = load(p)\nprint(keys(r), keys(r.layers), r[\"0\"][\"1\"].item(), r.layers[\"1\"].w.item())", path: p),
            "[\"0\", \"layers\"] [\"0\", \"1\"] 1 3")
    }

    func testMetadataClashesWithANestedNameButNotAFlatOne() throws {
        let p = try file(["__metadata__.x"], metadata: "{\"step\":\"3\"}")
        XCTAssertEqual(run("load(p)", path: p), nestError("__metadata__", "__metadata__.x", p))
        XCTAssertEqual(
            run("let r = load(p, nested: false)\nprint(keys(r), r.__metadata__.step)", path: p),
            "[\"__metadata__.x\", \"__metadata__\"] 3")
    }
}
