import XCTest

@testable import DVSRender

final class NotebookMarkdownTests: XCTestCase {
    func testHeadingsAndParagraphs() {
        XCTAssertEqual(
            Markdown.render("# Title\n## Sub ##\n###### Six\n####### seven"),
            "<h1>Title</h1>\n<h2>Sub</h2>\n<h6>Six</h6>\n<p>####### seven</p>\n")
        XCTAssertEqual(Markdown.render("#hashtag"), "<p>#hashtag</p>\n", "a heading needs a space")
        XCTAssertEqual(Markdown.render("one\ntwo\n\n\nthree"), "<p>one\ntwo</p>\n<p>three</p>\n")
        XCTAssertEqual(Markdown.render("para\n# head"), "<p>para</p>\n<h1>head</h1>\n")
        XCTAssertEqual(Markdown.render(""), "")
    }

    func testEmphasisAndCode() {
        XCTAssertEqual(
            Markdown.inline("*em* and **strong** and ***both***"),
            "<em>em</em> and <strong>strong</strong> and <strong><em>both</em></strong>")
        XCTAssertEqual(Markdown.inline("_em_ __strong__ snake_case_name"), "<em>em</em> <strong>strong</strong> snake_case_name")
        XCTAssertEqual(Markdown.inline("**bold *and em* inside**"), "<strong>bold <em>and em</em> inside</strong>")
        XCTAssertEqual(Markdown.inline("2 * 3 * 4"), "2 * 3 * 4", "a delimiter before a space opens nothing")
        XCTAssertEqual(Markdown.inline("*unclosed"), "*unclosed")
        XCTAssertEqual(Markdown.inline("`x * y` and ``a ` b``"), "<code>x * y</code> and <code>a ` b</code>")
        XCTAssertEqual(Markdown.inline("*a `*` b*"), "<em>a <code>*</code> b</em>", "code spans hide delimiters")
        XCTAssertEqual(Markdown.inline("`<b>` & <i>"), "<code>&lt;b&gt;</code> &amp; &lt;i&gt;")
        XCTAssertEqual(Markdown.inline("\\*not em\\* \\`x\\`"), "*not em* `x`")
        XCTAssertEqual(Markdown.inline("hard  \nbreak\\\nagain"), "hard<br>\nbreak<br>\nagain")
    }

    func testLinks() {
        XCTAssertEqual(
            Markdown.inline("[DVS *docs*](https://example.com/a_(b)?x=1&y=2)"),
            "<a href=\"https://example.com/a_(b)?x=1&amp;y=2\">DVS <em>docs</em></a>")
        XCTAssertEqual(
            Markdown.inline("[mail](mailto:a@b.c) [rel](docs/LANGUAGE.md#strings) [top](#cell-3)"),
            "<a href=\"mailto:a@b.c\">mail</a> <a href=\"docs/LANGUAGE.md#strings\">rel</a> <a href=\"#cell-3\">top</a>")
        XCTAssertEqual(Markdown.inline("[x](javascript:alert(1))"), "[x](javascript:alert(1))", "unsafe links stay text")
        XCTAssertEqual(Markdown.inline("[x](JavaScript:alert(1))"), "[x](JavaScript:alert(1))")
        XCTAssertEqual(Markdown.inline("[x](data:text/html,<b>)"), "[x](data:text/html,&lt;b&gt;)")
        XCTAssertEqual(Markdown.inline("[x](\" onmouseover=\"alert(1))"), "[x](&quot; onmouseover=&quot;alert(1))")
        XCTAssertEqual(Markdown.inline("[not a link] (x)"), "[not a link] (x)")
        XCTAssertEqual(Markdown.inline("[a](b\"c)"), "<a href=\"b&quot;c\">a</a>", "quotes cannot leave the attribute")
    }

    func testLists() {
        XCTAssertEqual(
            Markdown.render("- one\n- two\n  continued\n* three"),
            "<ul>\n<li>one</li>\n<li>two\ncontinued</li>\n<li>three</li>\n</ul>\n")
        XCTAssertEqual(Markdown.render("3. three\n4) four"), "<ol start=\"3\">\n<li>three</li>\n<li>four</li>\n</ol>\n")
        XCTAssertEqual(
            Markdown.render("1. a\n   - a1\n   - a2\n2. b\n\nafter"),
            "<ol>\n<li>a\n<ul>\n<li>a1</li>\n<li>a2</li>\n</ul>\n</li>\n<li>b</li>\n</ol>\n<p>after</p>\n")
        XCTAssertEqual(
            Markdown.render("- a\n\n  more about a\n- b"),
            "<ul>\n<li>a\n<p>more about a</p>\n</li>\n<li>b</li>\n</ul>\n")
        XCTAssertEqual(Markdown.render("- a\n1. b"), "<ul>\n<li>a</li>\n</ul>\n<ol>\n<li>b</li>\n</ol>\n")
        XCTAssertEqual(Markdown.render("text\n- item"), "<p>text</p>\n<ul>\n<li>item</li>\n</ul>\n")
        XCTAssertEqual(Markdown.render("2024. was a year"), "<ol start=\"2024\">\n<li>was a year</li>\n</ol>\n")
        XCTAssertEqual(
            Markdown.render("It ended in\n2024. Then\n1. one"), "<p>It ended in\n2024. Then</p>\n<ol>\n<li>one</li>\n</ol>\n",
            "only \"1.\" starts a list inside a paragraph")
        XCTAssertEqual(Markdown.render("-not a list"), "<p>-not a list</p>\n")
    }

    func testFencedCodeRulesAndQuotes() {
        XCTAssertEqual(
            Markdown.render("```dvs\nlet x = \"<{x}>\"\n```"),
            "<pre class=\"dvs-source\"><code><span class=\"hl-kw\">let</span> x = <span class=\"hl-str\">&quot;&lt;</span>"
                + "<span class=\"hl-ip\">{</span>x<span class=\"hl-ip\">}</span><span class=\"hl-str\">&gt;&quot;</span></code></pre>\n")
        XCTAssertEqual(
            Markdown.render("```\n<b>*x*</b>\n\n# no heading\n```\nafter"),
            "<pre><code>&lt;b&gt;*x*&lt;/b&gt;\n\n# no heading</code></pre>\n<p>after</p>\n")
        XCTAssertEqual(Markdown.render("~~~~ python extra\nx\n~~~\n~~~~"), "<pre><code>x\n~~~</code></pre>\n")
        XCTAssertEqual(Markdown.render("```\nunclosed"), "<pre><code>unclosed</code></pre>\n")
        XCTAssertEqual(Markdown.render("---\n* * *\n___"), "<hr>\n<hr>\n<hr>\n")
        XCTAssertEqual(
            Markdown.render("> quoted *text*\n> - item\n\nafter"),
            "<blockquote>\n<p>quoted <em>text</em></p>\n<ul>\n<li>item</li>\n</ul>\n</blockquote>\n<p>after</p>\n")
        XCTAssertEqual(Markdown.render("> > nested"), "<blockquote>\n<blockquote>\n<p>nested</p>\n</blockquote>\n</blockquote>\n")
    }

    func testRawHTMLIsEscaped() {
        XCTAssertEqual(Markdown.render("<script>alert(1)</script>"), "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n")
        XCTAssertEqual(Markdown.render("# <img src=x onerror=alert(1)>"), "<h1>&lt;img src=x onerror=alert(1)&gt;</h1>\n")
        XCTAssertEqual(Markdown.render("- <i>x</i>\n\n> <b>"), "<ul>\n<li>&lt;i&gt;x&lt;/i&gt;</li>\n</ul>\n<blockquote>\n<p>&lt;b&gt;</p>\n</blockquote>\n")
        XCTAssertEqual(Markdown.render("a\r\nb\r\n"), "<p>a\nb</p>\n")
    }

    func testPathologicalInputStaysFastAndBounded() {
        let stars = String(repeating: "*a ", count: 20_000)
        let start = Date()
        XCTAssertFalse(Markdown.render(stars).isEmpty)
        XCTAssertFalse(Markdown.render(String(repeating: "[", count: 20_000) + "x").isEmpty)
        XCTAssertFalse(Markdown.render(String(repeating: "**a ", count: 5_000) + String(repeating: "a**", count: 5_000)).isEmpty)
        XCTAssertFalse(Markdown.render(String(repeating: "> ", count: 5_000) + "deep").isEmpty)
        XCTAssertFalse(Markdown.render(String(repeating: "`", count: 20_000)).isEmpty)
        XCTAssertLessThan(Date().timeIntervalSince(start), 20, "no quadratic blow-up")
    }

    /// Random text from the characters Markdown and HTML care about: the
    /// output may only hold the tags this renderer writes, balanced, and no
    /// link to anything but http(s), mailto or a relative URL.
    func testRandomInputGivesOnlyKnownBalancedTags() throws {
        let alphabet = Array("<>&\"'*_`[]()#->\\ \n\n  1.:/ajvscript:http")
        let allowed = try NSRegularExpression(
            pattern:
                "</?(p|h[1-6]|em|strong|code|pre|ul|ol|li|blockquote)>|<hr>|<br>|<ol start=\"\\d+\">|<a href=\"[^\"<>]*\">|</a>"
                + "|<pre class=\"dvs-source\">|<span class=\"hl-[a-z]+\">|</span>")
        var seed = XorShift()
        for _ in 0..<3000 {
            var text = ""
            for _ in 0..<Int.random(in: 1...60, using: &seed) { text.append(alphabet[Int.random(in: 0..<alphabet.count, using: &seed)]) }
            let html = Markdown.render(text)
            let stripped = allowed.stringByReplacingMatches(in: html, range: NSRange(html.startIndex..., in: html), withTemplate: "")
            XCTAssertFalse(stripped.contains("<") || stripped.contains(">"), "stray markup for \(text.debugDescription): \(html)")
            for tag in ["p", "em", "strong", "code", "pre", "ul", "ol", "li", "blockquote", "a", "span"] {
                let opens = html.components(separatedBy: "<\(tag)>").count + html.components(separatedBy: "<\(tag) ").count - 2
                XCTAssertEqual(opens, html.components(separatedBy: "</\(tag)>").count - 1, "unbalanced <\(tag)> for \(text.debugDescription): \(html)")
            }
            for match in html.components(separatedBy: "<a href=\"").dropFirst() {
                let url = String(match.prefix { $0 != "\"" })
                XCTAssertFalse(url.lowercased().contains("script:"), "unsafe link in \(html)")
            }
        }
    }
}

/// A small deterministic random generator, so a failure repeats.
private struct XorShift: RandomNumberGenerator {
    var state: UInt64 = 0x2545F4914F6CDD1D

    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }
}
