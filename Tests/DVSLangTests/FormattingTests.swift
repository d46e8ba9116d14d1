import XCTest

@testable import DVSLang

final class FormattingTests: XCTestCase {
    func testNumbersPrintPlainly() {
        XCTAssertEqual(formatNumber(3), "3")
        XCTAssertEqual(formatNumber(-12), "-12")
        XCTAssertEqual(formatNumber(-0.0), "0")
        XCTAssertEqual(formatNumber(0.1), "0.1")
        XCTAssertEqual(formatNumber(1e-5), "1e-05")
        XCTAssertEqual(formatNumber(1e16), "1e+16")
        XCTAssertEqual(formatNumber(.nan), "nan")
        XCTAssertEqual(formatNumber(-.infinity), "-inf")
    }

    func format(_ v: Value, _ spec: String) -> String {
        do { return try formatValue(v, spec: spec) } catch { return "error: \(error.message)" }
    }

    func testFormatSpecs() {
        XCTAssertEqual(format(.number(3.14159), ".2f"), "3.14")
        XCTAssertEqual(format(.number(42), ">6"), "    42")
        XCTAssertEqual(format(.number(42), "<6"), "42    ")
        XCTAssertEqual(format(.number(42), "*^7"), "**42***")
        XCTAssertEqual(format(.number(-5), "05"), "-0005")
        XCTAssertEqual(format(.number(1234567.891), ",.1f"), "1,234,567.9")
        XCTAssertEqual(format(.number(0.125), ".1%"), "12.5%")
        XCTAssertEqual(format(.number(255), "x"), "ff")
        XCTAssertEqual(format(.number(7), "+d"), "+7")
        XCTAssertEqual(format(.number(12345.678), ".3e"), "1.235e+04")
        XCTAssertEqual(format(.string("ab"), ">4"), "  ab")
        XCTAssertEqual(format(.string("abcdef"), ".3"), "abc")
        XCTAssertEqual(format(.number(1.5), "d"), "error: format 'd' needs a whole number, got 1.5")
        XCTAssertEqual(format(.string("a"), "f"), "error: format 'f' needs a number, got string")
        XCTAssertTrue(format(.number(1), "zz").hasPrefix("error: bad format spec 'zz'"))
    }

    func testReprQuotesAndHandlesCycles() {
        let list = ListObject([.string("a\"b"), .number(1)])
        list.items.append(.list(list))
        XCTAssertEqual(Value.list(list).repr, "[\"a\\\"b\", 1, […]]")
        XCTAssertEqual(Value.record([("name", .string("x")), ("two words", .bool(true))]).repr, "{name: \"x\", \"two words\": true}")
    }

    func testClosestNameSuggestions() {
        XCTAssertEqual(closestName(to: "lenght", in: ["length", "len", "left"]), "length")
        XCTAssertEqual(closestName(to: "prnt", in: ["print", "sort"]), "print")
        XCTAssertNil(closestName(to: "zebra", in: ["print", "sort"]))
        XCTAssertNil(closestName(to: "", in: ["a"]))
    }
}
