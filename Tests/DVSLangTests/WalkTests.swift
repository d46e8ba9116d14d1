import XCTest

@testable import DVSLang

/// `Value.walk`: shared data is visited once per path, a container inside
/// itself is an error, and the error names the argument as written at the call.
final class WalkTests: XCTestCase {
    /// The checkpoint-style paths of the leaves the walk visits, or the error message.
    private func leaves(_ value: Value) -> String {
        var out: [String] = []
        do {
            try value.walk(function: "count", argument: 0, parameter: "data") { v, path in
                switch v {
                case .list, .record: return true
                default:
                    out.append(pathText("data", path))
                    return false
                }
            }
        } catch {
            return error.message
        }
        return out.joined(separator: " ")
    }

    func testSharedDataIsVisitedAtEachPathAndCyclesAreErrors() {
        let shared = RecordObject([("w", .number(1))])
        let root = RecordObject([("a", .record(shared)), ("b", .list([.record(shared), .string("s")])), ("c d", .record(shared))])
        XCTAssertEqual(leaves(.record(root)), #"data.a.w data.b[0].w data.b[1] data["c d"].w"#)
        shared["back"] = .list([.record(root)])
        XCTAssertEqual(leaves(.record(root)), "count: the record data contains itself at data.a.back[0]")
        let list = ListObject([.number(1)])
        list.items.append(.record(RecordObject([("again", .list(list))])))
        XCTAssertEqual(leaves(.list(list)), "count: the list data contains itself at data[1].again")
        let inner = RecordObject()
        inner["me"] = .record(inner)
        XCTAssertEqual(leaves(.record(RecordObject([("x", .record(inner))]))), "count: the record data.x contains itself at data.x.me")
    }

    /// A holder object with the method `check(data)` (from its type's method table).
    private final class Holder: DVSObject {
        var typeName: String { "holder" }
        func member(_ name: String) throws(NativeError) -> Value? { nil }
    }

    /// `check(data)` (and `check(holder, data)` as a method): walks its last argument.
    private static let check = NativeFunction("check", [.init("holder"), .init("data")], help: "test") { a in
        try a.walk(1) { _, _ in true }
        return .null
    }

    private static let walkFirst = NativeFunction("walk_first", [.init("data")], help: "test") { a in
        try a.walk(0) { _, _ in true }
        return .null
    }

    private func failure(_ text: String) -> String {
        runOnLargeStack {
            let interpreter = Interpreter()
            interpreter.define(WalkTests.walkFirst)
            interpreter.defineMethods([WalkTests.check], for: "holder")
            interpreter.define("h", .object(Holder()))
            do throws(Diagnostic) {
                try interpreter.run(Source(name: "t", text: text))
                return "no error"
            } catch {
                return error.message
            }
        }
    }

    func testTheRootIsNamedAsWrittenAtTheCall() {
        let cycle = "let r = {x: {}}\nr.x.y = r\n"
        XCTAssertEqual(failure(cycle + "walk_first(r)"), "walk_first: the record r contains itself at r.x.y")
        XCTAssertEqual(failure(cycle + "walk_first(r.x)"), "walk_first: the record r.x contains itself at r.x.y.x")
        XCTAssertEqual(failure(cycle + "r.walk_first()"), "walk_first: the record r contains itself at r.x.y")
        XCTAssertEqual(failure(cycle + "r |> walk_first()"), "walk_first: the record r contains itself at r.x.y")
        XCTAssertEqual(failure(cycle + "h.check(r)"), "check: the record r contains itself at r.x.y")
        XCTAssertEqual(failure(cycle + "walk_first([r][0])"), "walk_first: the record data contains itself at data.x.y")
        // Locals, captured locals and upvalues are named too.
        XCTAssertEqual(failure("fn f() { let m = {}\nm.m = m\nwalk_first(m) }\nf()"), "walk_first: the record m contains itself at m.m")
        XCTAssertEqual(
            failure("fn f() { let m = {}\nm.m = m\nlet g = fn() { m }\nwalk_first(m) }\nf()"),
            "walk_first: the record m contains itself at m.m")
        XCTAssertEqual(failure("fn f() { let m = {}\nm.m = m\nfn() { walk_first(m) } }\nf()()"), "walk_first: the record m contains itself at m.m")
    }
}
