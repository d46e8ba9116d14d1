import DVSLang
import DVSRuntime
import Foundation
import XCTest

/// Runs every `.dvs` file under `Tests/lang/` and checks its inline expectations:
///
///     print(1 + 2)      # expect: 3
///     xs[9]             # expect error: 4:3: index 9 out of range
///
/// `# expect:` lines give the printed output, in order. One `# expect error:`
/// gives the line:column and (part of) the message of the error that ends the
/// run; without one the file must run without error.
final class LanguageTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("lang")

    struct Expectations {
        var output: [String] = []
        var error: (line: Int, column: Int, message: String)?
    }

    static func expectations(in text: String) -> Expectations {
        var e = Expectations()
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if let r = line.range(of: "# expect: ") {
                e.output.append(String(line[r.upperBound...]))
            } else if line.hasSuffix("# expect:") {
                e.output.append("")
            } else if let r = line.range(of: "# expect error: ") {
                let spec = line[r.upperBound...]
                let parts = spec.split(separator: ":", maxSplits: 2)
                if parts.count == 3, let l = Int(parts[0]), let c = Int(parts[1]) {
                    e.error = (l, c, parts[2].trimmingCharacters(in: .whitespaces))
                }
            }
        }
        return e
    }

    /// Runs one file; returns a description of each mismatch.
    static func check(_ file: URL) -> [String] {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return ["cannot read"] }
        let expected = expectations(in: text)
        return runOnLargeStack {
            let interpreter = Runtime.makeInterpreter()
            var printed = ""
            interpreter.output = { printed += $0 }
            var problems: [String] = []
            var failure: Diagnostic?
            do throws(Diagnostic) {
                try interpreter.run(Source(name: file.path, text: text))
            } catch {
                failure = error
            }
            var lines = printed.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if lines.last == "" { lines.removeLast() }
            if lines != expected.output {
                problems.append("output:\n  expected \(expected.output)\n  got      \(lines)")
            }
            switch (expected.error, failure) {
            case (nil, nil): break
            case (nil, let d?): problems.append("unexpected error: \(d.render())")
            case (let e?, nil): problems.append("expected error \(e.line):\(e.column): \(e.message), but the run succeeded")
            case (let e?, let d?):
                let line = Int(d.range?.start.line ?? 0), column = Int(d.range?.start.column ?? 0)
                if line != e.line || column != e.column || !d.message.contains(e.message) {
                    problems.append("expected error \(e.line):\(e.column): \(e.message)\n  got \(line):\(column): \(d.message)")
                }
            }
            return problems
        }
    }

    /// A file's path under Tests/lang (`imports/import_plain.dvs`).
    static func relativePath(_ file: URL) -> String {
        file.path.replacingOccurrences(of: root.path + "/", with: "")
    }

    static func allFiles() -> [URL] {
        let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
        var files: [URL] = []
        while let url = walker?.nextObject() as? URL {
            if url.pathExtension == "dvs" { files.append(url) }
        }
        return files.sorted { $0.path < $1.path }
    }

    /// `DVS_LANG_FILTER=imports swift test --filter LanguageTests` runs only the
    /// files whose path under Tests/lang contains the filter text.
    func testLanguageFiles() throws {
        let filter = ProcessInfo.processInfo.environment["DVS_LANG_FILTER"] ?? ""
        let files = LanguageTests.allFiles().filter { filter.isEmpty || LanguageTests.relativePath($0).contains(filter) }
        if filter.isEmpty {
            XCTAssertGreaterThanOrEqual(files.count, 150, "the language suite should cover every construct")
        } else {
            XCTAssertFalse(files.isEmpty, "DVS_LANG_FILTER=\(filter) matches no file under Tests/lang")
        }
        var failures = 0
        for file in files {
            let problems = LanguageTests.check(file)
            if !problems.isEmpty {
                failures += 1
                XCTFail("\(LanguageTests.relativePath(file)): \(problems.joined(separator: "\n"))")
            }
        }
        print("language tests: \(files.count - failures) of \(files.count) files passed")
        // scripts/test counts each file as a test: it reads "passed failed" from this file.
        if let path = ProcessInfo.processInfo.environment["DVS_LANGUAGE_SUMMARY"], !path.isEmpty {
            try "\(files.count - failures) \(failures)\n".write(toFile: path, atomically: true, encoding: .utf8)
        }
    }
}
