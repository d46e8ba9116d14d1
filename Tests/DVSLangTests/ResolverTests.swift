import XCTest

@testable import DVSLang

final class ResolverTests: XCTestCase {
    func resolve(_ text: String) throws(Diagnostic) -> FunctionProto {
        let source = Source(name: "t", text: text)
        return try Resolver.resolveChunk(try Parser.parse(source), source: source, namespace: Interpreter().main)
    }

    func error(_ text: String) -> String {
        do throws(Diagnostic) {
            _ = try resolve(text)
            return "no error"
        } catch {
            return "\(error.range!.start): \(error.message)"
        }
    }

    func testTopLevelNamesAreGlobalsAndBlockNamesAreSlots() throws {
        let chunk = try resolve("let a = 1\nif true { let b = 2\nlet c = 3 }\nif true { let d = 4 }")
        XCTAssertEqual(chunk.declaredGlobals, ["a"])
        XCTAssertEqual(chunk.frameSize, 2, "sibling blocks reuse slots")
    }

    func testCapturedVariablesLiveInCells() throws {
        let chunk = try resolve("fn outer(x, y) { let z = 1\nfn() { x + z } }")
        guard let global = (chunk.body as? BlockNode)?.statements.first as? GlobalDeclare,
            let fnNode = global.value as? FunctionNode
        else {
            return XCTFail("unexpected shape")
        }
        let params = fnNode.proto.parameters
        XCTAssertEqual(params.map(\.isCaptured), [true, false], "x is captured, y is not")
        let inner = ((fnNode.proto.body as! BlockNode).statements[1] as! FunctionNode).proto
        XCTAssertEqual(inner.captures.count, 2)
    }

    func testNestedCapturesChainThroughUpvalues() throws {
        let chunk = try resolve("fn a() { let v = 1\nfn() { fn() { v } } }")
        let outer = (((chunk.body as! BlockNode).statements[0] as! GlobalDeclare).value as! FunctionNode).proto
        let middle = ((outer.body as! BlockNode).statements[1] as! FunctionNode).proto
        let inner = (middle.body as! FunctionNode).proto
        guard case .local = middle.captures[0], case .upvalue(0) = inner.captures[0] else {
            return XCTFail("expected local then upvalue capture")
        }
    }

    func testResolveErrors() {
        XCTAssertEqual(error("fn f() { let x = 1\nx = 2 }"), "2:1: cannot assign to 'x': it was declared with 'let' (use 'var' for a variable)")
        XCTAssertEqual(error("break"), "1:1: 'break' outside of a loop")
        XCTAssertEqual(error("while true { fn() { continue } }"), "1:21: 'continue' outside of a loop")
        XCTAssertEqual(error("return 1"), "1:1: 'return' outside of a function")
        XCTAssertEqual(error("let a = 1\nlet a = 2"), "2:1: 'a' is already declared at the top level")
        XCTAssertEqual(error("fn f() { let a = 1\nvar a = 2 }"), "2:1: 'a' is already declared in this scope")
    }
}
