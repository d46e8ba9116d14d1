import DVSLang
import DVSRuntime
import XCTest

/// Ctrl-C during one long native call: the runtime's `Cancellation` hook asks
/// `Interrupt`, and the native's interruption becomes the interpreter's own
/// "interrupted" diagnostic, as between calls.
final class InterruptTests: XCTestCase {
    override func tearDown() { Interrupt.clear() }

    private func interrupted(_ code: String, file: StaticString = #filePath, line: UInt = #line) {
        let interpreter = Runtime.makeInterpreter()
        Interrupt.request()
        do {
            let result = try interpreter.run(Source(name: "t.dvs", text: code))
            XCTFail("ran to the end: \(result.value.repr)", file: file, line: line)
        } catch {
            XCTAssertEqual(error.phase, .interrupt, "\(error.message)", file: file, line: line)
            XCTAssertEqual(error.message, "interrupted", file: file, line: line)
            XCTAssertEqual(error.range?.start.line, 1, file: file, line: line)
        }
        XCTAssertFalse(Interrupt.isRequested, "the flag is cleared once reported", file: file, line: line)
    }

    func testLongNativeCallsReportTheInterrupt() {
        interrupted("randn([3000, 3000])")  // a fill of 9·10⁶ values: checks between chunks
        interrupted("zeros([3000, 3000]) + 1")  // an operator on a tensor object
        interrupted("exp(zeros([3000, 3000]))")
    }

    func testShortCallsAreUnaffected() throws {
        let interpreter = Runtime.makeInterpreter()
        Interrupt.request()
        XCTAssertNoThrow(
            try interpreter.run(Source(name: "t.dvs", text: "sum(exp(ones([1000])) @ ones([1000, 10]))")),
            "small tensor work never asks (the interpreter notices at the next call or loop)")
    }
}
