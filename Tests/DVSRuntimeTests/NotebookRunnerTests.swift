import DVSLang
import DVSRender
@testable import DVSRuntime
import XCTest

final class NotebookRunnerTests: XCTestCase {
    func testSplitsCellsAndMarkdown() {
        let script = """
        let a = 1

        # %% [markdown]
        # # Title
        # Some *text*.
        # %%
        print(a)
        # %%

        a + 1
        """
        let cells = NotebookRunner.split(script)
        XCTAssertEqual(cells.map(\.kind), [.code, .markdown, .code, .code])
        XCTAssertEqual(cells[1].text, "# Title\nSome *text*.")
        XCTAssertEqual(cells[2].text, "print(a)")
        XCTAssertEqual(cells[2].firstLine, 7)
        XCTAssertEqual(cells[3].firstLine, 10)
    }

    func testRunsCellsInOneSessionAndStopsAtErrors() {
        let script = "let a = 20\n# %%\nprint(\"a is {a}\")\na * 2\n# %%\nnope + 1\n# %%\n5"
        let result = runOnLargeStack { () -> ([NotebookCell], Bool) in
            let r = NotebookRunner.run(NotebookRunner.split(script), in: Runtime.makeInterpreter(), sourceName: "nb.dvs", allowErrors: false)
            return (r.cells, r.failed)
        }
        XCTAssertTrue(result.1)
        XCTAssertEqual(result.0.count, 3, "the cell after the error does not run")
        guard case .text(let printed) = result.0[1].outputs[0], case .value(let value) = result.0[1].outputs[1] else {
            return XCTFail("expected printed text then a value")
        }
        XCTAssertEqual(printed, "a is 20\n")
        XCTAssertEqual(value, "40")
        guard case .error(let message) = result.0[2].outputs.last else { return XCTFail("expected an error") }
        XCTAssertTrue(message.hasPrefix("nb.dvs:6:1: error: unknown name 'nope'"), message)
        let all = runOnLargeStack { NotebookRunner.run(NotebookRunner.split(script), in: Runtime.makeInterpreter(), sourceName: "nb.dvs", allowErrors: true).cells }
        XCTAssertEqual(all.count, 4, "allowErrors runs every cell")
    }
}
