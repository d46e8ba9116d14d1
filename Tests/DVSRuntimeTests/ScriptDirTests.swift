import DVSLang
import DVSRuntime
import Foundation
import XCTest

/// `script_dir()` finds data next to a script whatever the working folder is.
final class ScriptDirTests: XCTestCase {
    private func run(_ text: String, as name: String) -> String {
        runOnLargeStack {
            let interpreter = Runtime.makeInterpreter()
            var printed = ""
            interpreter.output = { printed += $0 }
            do throws(Diagnostic) {
                try interpreter.run(Source(name: name, text: text))
            } catch {
                return "error: " + error.message
            }
            return printed
        }
    }

    func testAScriptFindsItsDataFromAnyWorkingFolder() throws {
        let folder = NSTemporaryDirectory() + "dvs-script-dir-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder + "/data", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "next to the script".write(toFile: folder + "/data/note.txt", atomically: true, encoding: .utf8)
        let script = "print(read_text(\"{script_dir()}/data/note.txt\"))\nprint(script_dir())"
        try script.write(toFile: folder + "/s.dvs", atomically: true, encoding: .utf8)
        XCTAssertNotEqual(FileManager.default.currentDirectoryPath, folder)
        let resolved = URL(fileURLWithPath: folder).standardizedFileURL.path
        XCTAssertEqual(run(script, as: folder + "/s.dvs"), "next to the script\n\(resolved)\n")
        // A relative script path resolves against the working folder, as `dvs run` does.
        XCTAssertEqual(run("print(script_dir())", as: "."), FileManager.default.currentDirectoryPath + "\n")
    }

    func testOutsideAFileItIsTheWorkingFolder() {
        XCTAssertEqual(run("print(script_dir())", as: "<-e>"), FileManager.default.currentDirectoryPath + "\n")
        XCTAssertEqual(run("print(script_dir())", as: "<cell 3>"), FileManager.default.currentDirectoryPath + "\n")
    }
}
