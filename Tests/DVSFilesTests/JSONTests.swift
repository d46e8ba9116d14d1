import DVSFiles
import XCTest

/// `JSONParser` and `JSONValue`: strict reading that keeps member order,
/// duplicates and number text; writing compact or indented.
final class JSONTests: XCTestCase {
    private func parse(_ text: String) throws -> JSONValue { try JSONParser.parse(Array(text.utf8)) }

    private func syntaxError(_ text: String) -> JSONSyntaxError? {
        do throws(JSONSyntaxError) {
            _ = try JSONParser.parse(Array(text.utf8))
            return nil
        } catch {
            return error
        }
    }

    func testMembersKeepOrderDuplicatesAndNumberText() throws {
        guard case .object(let members) = try parse(#"{"b": 3.0, "a": -3, "b": 1e400}"#) else { return XCTFail("not an object") }
        XCTAssertEqual(members.map(\.key), ["b", "a", "b"])
        guard case .number(let first) = members[0].value, case .number(let last) = members[2].value else { return XCTFail("not numbers") }
        XCTAssertEqual([first, last], ["3.0", "1e400"])
    }

    func testCompactAndIndentedText() throws {
        let value = try parse(#" {"a": [1, {"é": "x\ny"}], "e": {}, "n": null, "t": true} "#)
        XCTAssertEqual(value.text(), #"{"a":[1,{"é":"x\ny"}],"e":{},"n":null,"t":true}"#)
        XCTAssertEqual(
            value.text(indent: 2),
            """
            {
              "a": [
                1,
                {
                  "é": "x\\ny"
                }
              ],
              "e": {},
              "n": null,
              "t": true
            }
            """)
        XCTAssertEqual(value.compactText(limit: 12), #"{"a":[1,{"é"…"#)
        XCTAssertEqual(JSONValue.quoted("q\"\\\u{1}\t"), #""q\"\\\u0001\t""#)
    }

    func testSyntaxErrorsGiveOffsetLineAndColumn() {
        let e = syntaxError("{\n  \"é\": [1,]\n}")
        XCTAssertEqual(e?.description, "expected a value, found ']' at byte 13")
        XCTAssertEqual(e.map { [$0.line, $0.column] }, [2, 11], "columns count characters (é is 2 bytes)")
        XCTAssertEqual(syntaxError("[1] x")?.description, "unexpected 'x' after the end of the JSON value at byte 4")
        XCTAssertEqual(syntaxError("[01]")?.message, "numbers may not have leading zeros")
        XCTAssertEqual(syntaxError("\"\\ud800\"")?.message, "\\u escape is an unpaired surrogate")
    }

    func testNestingIsLimited() throws {
        let depth = JSONParser.maxDepth
        XCTAssertNoThrow(try parse(String(repeating: "[", count: depth) + String(repeating: "]", count: depth)))
        XCTAssertEqual(
            syntaxError(String(repeating: "[", count: depth + 1))?.description,
            "values nested more than \(depth) deep at byte \(depth)")
    }
}
