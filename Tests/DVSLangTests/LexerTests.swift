import XCTest

@testable import DVSLang

final class LexerTests: XCTestCase {
    func lex(_ text: String) throws(Diagnostic) -> [TokenKind] {
        var lexer = Lexer(source: Source(name: "t", text: text))
        return try lexer.tokenize().map(\.kind)
    }

    func testNumbersWithFractionsExponentsAndUnderscores() throws {
        XCTAssertEqual(try lex("0.5 1e-3 2E+2 1_000 .5"), [.number(0.5), .number(0.001), .number(200), .number(1000), .number(0.5), .eof])
    }

    func testRangeOperatorsAreNotFractions() throws {
        XCTAssertEqual(try lex("1..<3"), [.number(1), .symbol(.rangeExclusive), .number(3), .eof])
        XCTAssertEqual(try lex("1...3"), [.number(1), .symbol(.rangeInclusive), .number(3), .eof])
    }

    func testKeywordsIdentifiersAndSymbols() throws {
        XCTAssertEqual(
            try lex("let x = a |> f ** 2"),
            [
                .keyword(.let), .identifier("x"), .symbol(.assign), .identifier("a"), .symbol(.pipe),
                .identifier("f"), .symbol(.power), .number(2), .eof,
            ])
    }

    func testNewlinesAreTokensExceptInsideParensAndBrackets() throws {
        XCTAssertEqual(try lex("a\nb"), [.identifier("a"), .newline, .identifier("b"), .eof])
        XCTAssertEqual(try lex("(a\nb)"), [.symbol(.lparen), .identifier("a"), .identifier("b"), .symbol(.rparen), .eof])
        XCTAssertEqual(try lex("{a\nb}"), [.symbol(.lbrace), .identifier("a"), .newline, .identifier("b"), .symbol(.rbrace), .eof])
    }

    func testCommentsAreSkipped() throws {
        XCTAssertEqual(try lex("1 # one\n2"), [.number(1), .newline, .number(2), .eof])
    }

    func testStringEscapesAndInterpolation() throws {
        XCTAssertEqual(try lex(#""a\n\t\"\{\u{41}""#), [.string([.text("a\n\t\"{A")]), .eof])
        XCTAssertEqual(
            try lex(#""n is {n + 1}!""#),
            [
                .string([.text("n is "), .interpolation(source: "n + 1", spec: nil, line: 1, column: 8), .text("!")]), .eof,
            ])
        XCTAssertEqual(try lex(#""{x:.3f}""#), [.string([.interpolation(source: "x", spec: ".3f", line: 1, column: 3)]), .eof])
    }

    func testEmptyBracesStayLiteralForFormat() throws {
        XCTAssertEqual(try lex(#""{} and {:.2f}""#), [.string([.text("{} and {:.2f}")]), .eof])
    }

    func testColumnsCountCharactersNotBytes() throws {
        var lexer = Lexer(source: Source(name: "t", text: "\"héllo\" x"))
        let tokens = try lexer.tokenize()
        XCTAssertEqual(tokens[1].location, SourceLocation(line: 1, column: 9))
    }

    func testErrorsNameTheProblemAndPosition() {
        func message(_ text: String) -> (String, Int, Int, Bool) {
            do throws(Diagnostic) {
                _ = try lex(text)
                return ("no error", 0, 0, false)
            } catch {
                return (error.message, Int(error.range!.start.line), Int(error.range!.start.column), error.isIncompleteInput)
            }
        }
        XCTAssertEqual(message("\"abc").0, "unterminated string: expected a closing '\"'")
        XCTAssertTrue(message("\"abc").3, "an open string asks the REPL for more input")
        let bad = message("x = 1 $")
        XCTAssertEqual(bad.0, "unexpected character '$'")
        XCTAssertEqual([bad.1, bad.2], [1, 7])
        XCTAssertTrue(message(#""\q""#).0.hasPrefix("unknown escape '\\q'"))
        XCTAssertTrue(message("12abc").0.hasPrefix("malformed number"))
        XCTAssertEqual(message("'a'").0, "unexpected \"'\": strings use double quotes, as in \"text\"")
        XCTAssertFalse(message("'a'").3)
    }

    private func failure(_ text: String) -> Diagnostic? {
        do throws(Diagnostic) {
            _ = try lex(text)
            return nil
        } catch {
            return error
        }
    }

    func testControlAndInvisibleCharactersAreEscapedInErrors() {
        let nul = failure("let x = 1\0 + 2")
        XCTAssertEqual(nul?.message, "unexpected character '\\0'")
        XCTAssertEqual(nul.map { [$0.range!.start.line, $0.range!.start.column] }, [1, 10])
        // The quoted source line shows the NUL as its picture, keeping the caret under it.
        XCTAssertEqual(nul?.render().split(separator: "\n").dropFirst().prefix(2), ["    let x = 1\u{2400} + 2", "             ^"])
        XCTAssertEqual(failure("a\u{7}")?.message, "unexpected character '\\u{7}'")
        XCTAssertEqual(failure("a\u{200B}")?.message, "unexpected character '\\u{200B}'")
        XCTAssertEqual(failure("a\u{E000}")?.message, "unexpected character '\\u{E000}'")
        XCTAssertEqual(failure("a €")?.message, "unexpected character '€'")
    }

    func testNumbersTooLargeForADoubleAreErrors() throws {
        XCTAssertEqual(try lex("1.7e308 1e-400"), [.number(1.7e308), .number(0), .eof])
        XCTAssertEqual(failure("x = 1e309")?.message, "number '1e309' is too large: numbers are doubles, at most about 1.8e308")
        let long = failure("\n  " + String(repeating: "9", count: 100_000))
        XCTAssertEqual(long?.message, "number '9999999999999999…' (100000 characters) is too large: numbers are doubles, at most about 1.8e308")
        XCTAssertEqual(long.map { [$0.range!.start.line, $0.range!.start.column] }, [2, 3])
    }

    func testVeryLongLineLexes() throws {
        let text = "[" + Array(repeating: "1", count: 200_000).joined(separator: ",") + "]"
        XCTAssertEqual(try lex(text).count, 400_002)
    }
}
