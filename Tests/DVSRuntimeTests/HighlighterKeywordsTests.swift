import DVSLang
import DVSRender
import XCTest

/// The notebook highlighter (DVSRender, which may not import DVSLang) keeps its
/// own keyword list; it must name exactly the lexer's keywords.
final class HighlighterKeywordsTests: XCTestCase {
    func testHighlighterKnowsEveryKeywordOfTheLexer() {
        let lexer = Set(Keyword.allCases.map(\.rawValue))
        XCTAssertEqual(DVSHighlighter.keywords.union(DVSHighlighter.literals), lexer)
        XCTAssertTrue(DVSHighlighter.keywords.isDisjoint(with: DVSHighlighter.literals))
    }
}
