import XCTest

@testable import DVSData

final class WordTokenizerTests: XCTestCase {
    func testEncodeDecodeWithSpecialsAndUnknowns() throws {
        let tok = try WordTokenizer(words: ["the", "cat", "sat", "the"])
        XCTAssertEqual(tok.size, 8, "5 specials + 3 distinct words")
        XCTAssertEqual(tok.encode("the cat  sat\ton mat"), TokenEncoding(ids: [5, 6, 7, 1, 1], offsets: [0..<3, 4..<7, 9..<12, 13..<15, 16..<19]))
        XCTAssertEqual(try tok.decode([2, 5, 6, 4]), "[BOS] the cat [EOS]")
        XCTAssertEqual(try tok.decode([2, 5, 6, 4], skipSpecials: true), "the cat")
        XCTAssertEqual(tok.pieces(of: "cat").map(\.id), [6])
        XCTAssertEqual(tok.pieces(of: "dog").first?.characters, 0..<3)
        XCTAssertThrowsError(try tok.decode([99])) { error in
            XCTAssertEqual("\(error)", "decode: id 99 is outside the vocabulary (0..<8)")
        }
    }

    func testBadConfiguration() {
        XCTAssertThrowsError(try WordTokenizer(words: ["a b"])) { error in
            XCTAssertTrue("\(error)".contains("without spaces"))
        }
        XCTAssertThrowsError(try WordTokenizer(words: ["a"], specials: ["[PAD]"])) { error in
            XCTAssertTrue("\(error)".contains("unknown token"))
        }
    }
}
