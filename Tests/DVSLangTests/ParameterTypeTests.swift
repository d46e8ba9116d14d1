import XCTest

@testable import DVSLang

/// Declared parameter types: what each accepts, how help and errors word it,
/// and that the interpreter checks arguments before a native's body runs.
final class ParameterTypeTests: XCTestCase {
    func testWholeNumbersAndRanges() {
        let byte = ParameterType.whole(in: 0...255)
        XCTAssertTrue(byte.accepts(.number(255)))
        for bad: Double in [256, -1, 1.5, .nan, .infinity] { XCTAssertFalse(byte.accepts(.number(bad)), "\(bad)") }
        XCTAssertTrue(ParameterType.whole.accepts(.number(9_007_199_254_740_992)))
        XCTAssertFalse(ParameterType.whole.accepts(.number(9_007_199_254_740_994)))
        XCTAssertFalse(ParameterType.whole.accepts(.string("1")))
        XCTAssertEqual(byte.name, "int 0…255")
        XCTAssertEqual(ParameterType.whole(atLeast: 1).name, "int ≥ 1")
        XCTAssertEqual(ParameterType.whole.name, "int")
        XCTAssertEqual(
            byte.rejection(function: "exit", parameter: "code", .number(300)).message,
            "exit: argument 'code' must be a whole number from 0 to 255, got 300")
        XCTAssertEqual(
            ParameterType.whole.rejection(function: "seed", parameter: "n", .number(1e300)).message,
            "seed: argument 'n' must be a whole number in [-2^53, 2^53], got 1e+300")
        XCTAssertEqual(
            ParameterType.whole.rejection(function: "seed", parameter: "n", .number(0.5)).message,
            "seed: argument 'n' must be a whole number, got 0.5")
    }

    func testListsChoicesAndUnions() {
        let ids = ParameterType.list(of: .whole(atLeast: 0))
        XCTAssertTrue(ids.accepts(.list([.number(0), .number(3)])))
        XCTAssertTrue(ids.accepts(.list([])))
        XCTAssertFalse(ids.accepts(.list([.number(0), .number(-3)])))
        XCTAssertEqual(ids.name, "list of int ≥ 0")
        XCTAssertEqual(
            ids.rejection(function: "decode", parameter: "ids", .list([.number(1), .string("x")])).message,
            "decode: argument 'ids' must be a list of whole numbers ≥ 0, got a list whose item 1 is string")
        XCTAssertEqual(
            ids.rejection(function: "decode", parameter: "ids", .string("x")).message,
            "decode: argument 'ids' must be a list of whole numbers ≥ 0, got string")
        let mode = ParameterType.choice(["mean", "sum"])
        XCTAssertTrue(mode.accepts(.string("sum")))
        XCTAssertFalse(mode.accepts(.string("Sum")))
        XCTAssertEqual(mode.name, #""mean"|"sum""#)
        XCTAssertEqual(
            mode.rejection(function: "f", parameter: "m", .string("avg")).message,
            #"f: argument 'm' must be one of "mean", "sum", got "avg""#)
        let text = ParameterType.oneOf([.list, .string, .bool])
        XCTAssertTrue(text.accepts(.bool(true)))
        XCTAssertFalse(text.accepts(.number(1)))
        XCTAssertEqual(text.name, "list|string|bool")
        XCTAssertEqual(text.phrase, "a list, a string or a bool")
    }

    func testValueTypesNameTheirPhraseWithAnArticle() {
        final class Thing: DVSObject {
            var typeName: String { "image" }
            func member(_ name: String) throws(NativeError) -> Value? { nil }
        }
        let image = ParameterType.value(.objects(of: Thing.self, "image"))
        XCTAssertTrue(image.accepts(.object(Thing())))
        XCTAssertFalse(image.accepts(.list([])))
        XCTAssertEqual(image.phrase, "an image")
        XCTAssertEqual(ParameterType.list(of: image).phrase, "a list of images")
    }

    /// Runs `text` with `f(n: int 1…3, tag: string = nil, rest…: number)` defined;
    /// the body counts its runs, so a rejected call must not have run it.
    private func call(_ text: String) -> (String, Int) {
        var runs = 0
        let f = NativeFunction(
            "f", [.init("n", .whole(in: 1...3)), .init("tag", .string, default: .null)],
            variadic: .init("rest", .number), help: "test"
        ) { _ in
            runs += 1
            return .null
        }
        return runOnLargeStack {
            let interpreter = Interpreter()
            interpreter.define(f)
            do throws(Diagnostic) {
                try interpreter.run(Source(name: "t", text: text))
                return ("ok", runs)
            } catch {
                return (error.message, runs)
            }
        }
    }

    func testTheInterpreterChecksBeforeTheBodyRuns() {
        XCTAssertEqual(call("f(2)\nf(3, nil)\nf(1, \"a\", 1, 2)").0, "ok")
        XCTAssertEqual(call("f(2)\nf(3, nil)\nf(1, \"a\", 1, 2)").1, 3)
        XCTAssertEqual(call("f(4)").0, "f: argument 'n' must be a whole number from 1 to 3, got 4")
        XCTAssertEqual(call("f(4)").1, 0)
        XCTAssertEqual(call("f(1, 2)").0, "f: argument 'tag' must be a string, got number")
        XCTAssertEqual(call("f(1, \"a\", 1, \"b\")").0, "f: argument 'rest' must be a number, got string")
        XCTAssertEqual(call("f(n: 0)").0, "f: argument 'n' must be a whole number from 1 to 3, got 0")
        XCTAssertEqual(
            NativeFunction(
                "f", [.init("n", .whole(in: 1...3)), .init("tag", .string, default: .null)],
                variadic: .init("rest", .number), help: ""
            ) { _ in .null }.signature,
            "f(n: int 1…3, tag: string = nil, rest…: number) -> any")
    }
}
