import DVSLang
import DVSRender
import Foundation
import Synchronization
import XCTest

@testable import DVSRuntime

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
            let r = NotebookRunner.run(NotebookRunner.split(script), in: Runtime.makeInterpreter(), sourceName: "nb.dvs")
            return (r.cells, r.failed)
        }
        XCTAssertTrue(result.1)
        XCTAssertEqual(result.0.count, 3, "the cell after the error does not run")
        guard case .text(let printed) = result.0[1].outputs[0], case .value(let value, _) = result.0[1].outputs[1] else {
            return XCTFail("expected printed text then a value")
        }
        XCTAssertEqual(printed, "a is 20\n")
        XCTAssertEqual(value, "40")
        guard case .error(let message, _, _) = result.0[2].outputs.last else { return XCTFail("expected an error") }
        XCTAssertTrue(message.hasPrefix("nb.dvs:6:1: error: unknown name 'nope'"), message)
        let all = runOnLargeStack {
            NotebookRunner.run(
                NotebookRunner.split(script), in: Runtime.makeInterpreter(), sourceName: "nb.dvs",
                options: .init(allowErrors: true)
            ).cells
        }
        XCTAssertEqual(all.count, 4, "allowErrors runs every cell")
    }

    func testInputInANotebookIsNil() {
        let outcome = run("input(\"never asked \") == nil")
        guard case .value(let value, _)? = outcome.cells.first?.outputs.last else { return XCTFail("expected a value") }
        XCTAssertEqual(value, "true")
    }

    func testExitEndsTheRunWithoutAnError() {
        let outcome = run("print(1)\n# %%\ntry { exit(0) } finally { print(\"finally\") }\n# %%\nprint(3)", options: .init(allowErrors: true))
        XCTAssertFalse(outcome.failed)
        XCTAssertEqual(outcome.cells.count, 2, "the cell after exit does not run")
        XCTAssertEqual(outcome.cellsNotRun, 1)
        guard case .text(let printed)? = outcome.cells[1].outputs.first else { return XCTFail("expected the finally block's output") }
        XCTAssertEqual(printed, "finally\n")
        XCTAssertEqual(errorText(outcome.cells[1]), "")
    }

    /// Runs `script` on a large stack, as `dvs notebook` does.
    private func run(
        _ script: String, options: NotebookRunner.Options = .init(), prepare: (Interpreter) -> Void = { _ in },
        abandon: @escaping (NotebookRunner.Outcome) -> Void = { _ in }
    ) -> NotebookRunner.Outcome {
        let interpreter = Runtime.makeInterpreter()
        prepare(interpreter)
        return runOnLargeStack {
            NotebookRunner.run(NotebookRunner.split(script), in: interpreter, sourceName: "nb.dvs", options: options, abandon: abandon)
        }
    }

    private func errorText(_ cell: NotebookCell) -> String {
        guard case .error(let text, _, _)? = cell.outputs.last else { return "" }
        return text
    }

    /// `sleep_native(s)`: a native call that never checks for interruption.
    private func defineSleep(_ interpreter: Interpreter) {
        interpreter.define(
            NativeFunction("sleep_native", [.init("seconds", .number)], help: "") { args in
                Thread.sleep(forTimeInterval: try args.number(0))
                return .null
            })
    }

    func testCellMarkersCarryNumbers() {
        let cells = NotebookRunner.split("# %% In [3]\n1\n# %%\n2\n# %% In [ 9 ]\n3\n# %% In [x]\n4")
        XCTAssertEqual(cells.map(\.number), [3, nil, 9, nil])
    }

    func testUnderscoreAndOutAreAsInTheREPL() {
        let result = run("1 + 1\n# %%\n_ * 10\n# %%\nlet quiet = 5;\n# %%\n_ + Out[1]\n# %% In [7]\n100;\n# %%\nOut[7] + Out[4]\n# %%\nOut.len")
        XCTAssertFalse(result.failed, result.cells.map(errorText).joined())
        let values = result.cells.map { cell -> String in
            guard case .value(let v, _)? = cell.outputs.last else { return "-" }
            return v
        }
        XCTAssertEqual(values, ["2", "20", "-", "22", "-", "122", "9"])
        XCTAssertEqual(result.cells.map(\.number), [1, 2, 3, 4, 7, 8, 9], "a marker's number is kept; later cells count on from it")
    }

    func testTimeoutStopsTheCellAndTheRun() {
        let started = Date()
        let result = run("let a = 1\n# %%\nprint(\"start\")\nwhile true { }\n# %%\na", options: .init(timeout: 0.2))
        XCTAssertLessThan(Date().timeIntervalSince(started), 2)
        XCTAssertEqual(result.cells.count, 2)
        XCTAssertEqual(result.cellsNotRun, 1)
        XCTAssertTrue(result.timedOut)
        XCTAssertNil(result.signal)
        XCTAssertEqual(result.cells[1].stop, .timedOut(limit: 0.2))
        XCTAssertTrue(errorText(result.cells[1]).hasPrefix("nb.dvs:4:1: error: timed out after 0.2 s"), errorText(result.cells[1]))
        guard case .text("start\n") = result.cells[1].outputs.first else { return XCTFail("what it printed is kept") }
        XCTAssertFalse(Interrupt.isRequested)
    }

    func testTimeoutWithAllowErrorsRunsTheNextCells() {
        let result = run("while true { }\n# %%\n1 + 1", options: .init(allowErrors: true, timeout: 0.1))
        XCTAssertEqual(result.cells.count, 2)
        XCTAssertEqual(result.cells[0].outcome, "timed out")
        XCTAssertNil(result.cells[1].outcome, errorText(result.cells[1]))
    }

    func testACellThatEndsBeforeNoticingTheLimitRanWhole() {
        // The native call outlives the limit but returns before the grace ends;
        // the stop request it never saw must not stop the next cell.
        let result = run(
            "sleep_native(0.15)\n7\n# %%\nvar n = 0\nwhile n < 1000 { n += 1 }\nn",
            options: .init(timeout: 0.05), prepare: defineSleep)
        XCTAssertFalse(result.failed, result.cells.map(errorText).joined())
        XCTAssertEqual(result.cells.count, 2)
    }

    func testANativeCallThatReportsItsInterruptionIsMarkedTimedOut() {
        let result = run("wait_checking()", options: .init(timeout: 0.05)) { interpreter in
            interpreter.define(
                NativeFunction("wait_checking", help: "") { _ in
                    while !Interrupt.isRequested { Thread.sleep(forTimeInterval: 0.005) }
                    Interrupt.clear()
                    throw NativeError("wait_checking: interrupted")
                })
        }
        XCTAssertEqual(result.cells[0].stop, .timedOut(limit: 0.05))
        XCTAssertTrue(
            errorText(result.cells[0]).hasPrefix("nb.dvs:1:1: error: timed out after 0.05 s: wait_checking: interrupted"),
            errorText(result.cells[0]))
    }

    func testAStopSignalInterruptsTheCellAndEndsTheRun() {
        let signal = Mutex<Int32?>(nil)
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) { signal.withLock { $0 = SIGTERM } }
        var options = NotebookRunner.Options(allowErrors: true)
        options.pendingSignal = { signal.withLock { $0 } }
        let result = run("1\n# %%\nwhile true { }\n# %%\n2", options: options)
        XCTAssertEqual(result.signal, SIGTERM)
        XCTAssertEqual(result.cells.count, 2, "a signal ends the run even with allowErrors")
        XCTAssertEqual(result.cells[1].stop, .interrupted(signal: "SIGTERM"))
        XCTAssertTrue(errorText(result.cells[1]).contains("error: interrupted by SIGTERM"), errorText(result.cells[1]))
        XCTAssertEqual(result.cellsNotRun, 1)
    }

    func testACellThatDoesNotStopIsAbandonedWithTheCellsSoFar() {
        let abandoned = Mutex<(NotebookRunner.Outcome, Date)?>(nil)
        let started = Date()
        var options = NotebookRunner.Options(timeout: 0.1)
        options.grace = 0.2
        let result = run(
            "let a = 41\na + 1\n# %%\nprint(\"waiting\")\nsleep_native(1.0)\n# %%\n3", options: options,
            prepare: defineSleep
        ) { outcome in abandoned.withLock { $0 = (outcome, Date()) } }
        guard let (outcome, when) = abandoned.withLock({ $0 }) else { return XCTFail("abandon was not called") }
        XCTAssertLessThan(when.timeIntervalSince(started), 0.8, "abandoned after the limit and the grace, not when the call ended")
        XCTAssertEqual(outcome.cells.count, 2)
        XCTAssertEqual(outcome.cellsNotRun, 1)
        XCTAssertTrue(outcome.timedOut)
        XCTAssertEqual(outcome.cells[1].stop, .timedOut(limit: 0.1))
        guard case .text("waiting\n") = outcome.cells[1].outputs.first else { return XCTFail("what it printed is kept") }
        XCTAssertTrue(
            errorText(outcome.cells[1]).contains("timed out after 0.1 s; the cell did not stop within 0.2 s"),
            errorText(outcome.cells[1]))
        XCTAssertEqual(result.cells.count, 2, "the run ends after the abandoned cell")
        Interrupt.clear()
    }
}
