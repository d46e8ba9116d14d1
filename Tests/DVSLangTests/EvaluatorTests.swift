import XCTest

@testable import DVSLang

/// The evaluator without the runtime library: a bare interpreter and one
/// native `out` that collects values.
final class EvaluatorTests: XCTestCase {
    func run(_ text: String) -> Result<[String], Diagnostic> {
        runOnLargeStack {
            let interpreter = Interpreter()
            var seen: [String] = []
            interpreter.define(
                NativeFunction("out", variadic: .init("values"), help: "test") { a in
                    seen.append(a.rest.map(\.repr).joined(separator: " "))
                    return .null
                })
            do throws(Diagnostic) {
                let result = try interpreter.run(Source(name: "t", text: text))
                if result.isExpression, case .null = result.value {} else if result.isExpression { seen.append(result.value.repr) }
                return .success(seen)
            } catch {
                return .failure(error)
            }
        }
    }

    func values(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> [String] {
        switch run(text) {
        case .success(let v): return v
        case .failure(let d):
            XCTFail(d.render(), file: file, line: line)
            return []
        }
    }

    func failure(_ text: String) -> String {
        switch run(text) {
        case .success: return "no error"
        case .failure(let d): return "\(d.range!.start): \(d.message)"
        }
    }

    func testArithmeticAndPrinting() {
        XCTAssertEqual(values("1 + 2 * 3"), ["7"])
        XCTAssertEqual(values("7 / 2"), ["3.5"])
        XCTAssertEqual(values("-7 % 3"), ["2"])
        XCTAssertEqual(values("7 % -3"), ["-2"])
        XCTAssertEqual(values("2 ** 0.5 > 1.41"), ["true"])
        XCTAssertEqual(values("1e20"), ["1e+20"])
        XCTAssertEqual(values("0.1 + 0.2"), ["0.30000000000000004"])
        XCTAssertEqual(values("\"a\" + \"b\""), ["\"ab\""])
        XCTAssertEqual(values("[1] + [2]"), ["[1, 2]"])
        XCTAssertEqual(values("\"ab\" * 3"), ["\"ababab\""])
    }

    func testClosuresShareMutableCaptures() {
        XCTAssertEqual(
            values(
                """
                fn counter() { var n = 0
                  fn() { n += 1
                  n } }
                let c = counter()
                c(); c()
                c()
                """), ["3"])
    }

    func testLoopClosuresCaptureEachIteration() {
        XCTAssertEqual(values("var fs = []\nfor i in 0..<3 { fs = fs + [fn() { i * 10 }] }\nout(fs[0](), fs[2]())"), ["0 20"])
    }

    func testRecursionAndReturn() {
        XCTAssertEqual(values("fn fact(n) { if n <= 1 { return 1 }\n n * fact(n - 1) }\nfact(10)"), ["3628800"])
    }

    func testNamedAndDefaultArguments() {
        XCTAssertEqual(values("fn area(w, h = 2) { w * h }\nout(area(3), area(3, h: 4), area(h: 5, w: 1))"), ["6 12 5"])
        XCTAssertEqual(failure("fn f(a) { a }\nf(b: 1)"), "2:1: f(a) has no parameter named 'b'")
        XCTAssertEqual(failure("fn f(a) { a }\nf()"), "2:1: missing argument 'a' in call to f(a)")
        XCTAssertEqual(failure("fn f(a) { a }\nf(1, 2)"), "2:1: f(a) takes 1 argument but 2 were given")
    }

    func testBreakContinueInNestedLoops() {
        XCTAssertEqual(
            values(
                """
                var s = 0
                for i in 0..<5 {
                  if i == 1 { continue }
                  var j = 0
                  while true { j += 1
                    if j > i { break } }
                  s += j
                }
                s
                """), ["13"])
    }

    func testIndexingSlicingAndMembers() {
        XCTAssertEqual(values("let xs = [1, 2, 3, 4]\nout(xs[-1], xs[1:3], xs[::2], xs[::-1])"), ["4 [2, 3] [1, 3] [4, 3, 2, 1]"])
        XCTAssertEqual(values("\"héllo\"[1]"), ["\"é\""])
        XCTAssertEqual(values("let r = {a: 1}\nr.b = 2\nr.a += 5\nr"), ["{a: 6, b: 2}"])
        XCTAssertEqual(values("let xs = [1, 2]\nxs[0] += 10\nxs"), ["[11, 2]"])
    }

    func testRuntimeErrorsCarryAStack() {
        guard case .failure(let d) = run("fn inner() { 1 / 0 }\nfn outer() { inner() }\nouter()") else { return XCTFail() }
        XCTAssertEqual(d.message, "division by zero")
        XCTAssertEqual(d.stack.map(\.function), ["inner", "outer", "<top level>"])
        XCTAssertEqual(d.stack.map(\.location), ["t:1:16", "t:2:14", "t:3:1"])
        XCTAssertTrue(d.render().contains("    fn inner() { 1 / 0 }\n                   ^\n"))
    }

    func testErrorMessages() {
        XCTAssertEqual(failure("let count = 1\ncout"), "2:1: unknown name 'cout'; did you mean 'count'?")
        XCTAssertEqual(failure("fn f() { let total = 1\ntotl }\nf()"), "2:1: unknown name 'totl'; did you mean 'total'?")
        XCTAssertEqual(failure("if 1 { 2 }"), "1:4: the if condition must be a bool (true or false), got number")
        XCTAssertEqual(failure("[1, 2][2]"), "1:7: index 2 out of range for list of length 2")
        XCTAssertEqual(failure("[1][1.5]"), "1:4: list index must be a whole number, got 1.5")
        XCTAssertEqual(failure("[1][nan]"), "1:5: unknown name 'nan'")
        XCTAssertEqual(failure("[1][1e300]"), "1:4: index 1e+300 out of range for list of length 1")
        XCTAssertEqual(failure("1 < \"a\""), "1:3: cannot compare number and string with '<'")
        XCTAssertEqual(failure("let x = 1\nx = 2"), "2:1: cannot assign to 'x': it was declared with 'let' (use 'var' for a variable)")
        XCTAssertEqual(failure("3(1)"), "1:1: cannot call number: it is not a function")
    }

    func testDeepRecursionIsADVSError() {
        XCTAssertEqual(
            failure("fn f(n) { f(n + 1) }\nf(0)"),
            "1:11: call stack too deep (more than 10000 nested calls): is there a recursion without a base case?")
        XCTAssertEqual(values("fn d(n) { if n == 0 { 0 } else { 1 + d(n - 1) } }\nd(9000)"), ["9000"])
    }

    func testInterruptStopsALoop() {
        Interrupt.request()
        XCTAssertEqual(failure("while true { }"), "1:1: interrupted")
        XCTAssertFalse(Interrupt.isRequested, "the flag is cleared once reported")
    }

    func testSnapshotRestoresGlobals() {
        let interpreter = Interpreter()
        _ = runOnLargeStack { try? interpreter.run(Source(name: "a", text: "var a = 1")) }
        let snap = interpreter.snapshot()
        _ = runOnLargeStack { try? interpreter.run(Source(name: "b", text: "a = 2\nlet b = 3")) }
        interpreter.restore(snap)
        guard case .number(1)? = interpreter.global("a") else { return XCTFail() }
        XCTAssertNil(interpreter.global("b"))
    }
}
