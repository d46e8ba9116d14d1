import DVSVision
import Foundation
import XCTest

@testable import DVSRender

final class NotebookHTMLTests: XCTestCase {
    /// A 2×2 RGB PNG (red, green / blue, white), fixed bytes so the snapshot
    /// does not depend on the PNG encoder's version.
    static let tinyPNG: [UInt8] = [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
        0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02, 0x08, 0x02, 0x00, 0x00, 0x00, 0xFD, 0xD4, 0x9A,
        0x73, 0x00, 0x00, 0x00, 0x12, 0x49, 0x44, 0x41, 0x54, 0x78, 0xDA, 0x63, 0xF8, 0xCF, 0xC0, 0xC0,
        0x00, 0xC2, 0x0C, 0xFF, 0x81, 0x00, 0x00, 0x1F, 0xEE, 0x05, 0xFB, 0xF1, 0xAB, 0xBA, 0x77, 0x00,
        0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ]

    static let chartSVG = """
        <svg xmlns="http://www.w3.org/2000/svg" width="240" height="160" viewBox="0 0 240 160">\
        <rect width="240" height="160" fill="#f4f7fb"/>\
        <polyline points="10,150 60,90 110,110 160,40 230,20" fill="none" stroke="#1f6feb" stroke-width="4"/>\
        <script>alert("svg")</script><text x="12" y="20" onclick="alert(2)">loss</text></svg>
        """

    static let divisionError = """
        cell 4:1:3: error: division by zero
          1 / 0
            ^
        """

    static let scriptText = "<script>alert(1)</script>"

    /// Every kind of cell and output, in a fixed order.
    static func fixture(generator: String = "dvs 0.1.0 (test)") -> NotebookDocument {
        NotebookDocument(
            title: "Training <run> & notes",
            cells: [
                NotebookCell(
                    kind: .markdown, source: "# Loss curves\nA *first* look at `sgd`, see [the docs](https://example.com/dvs?a=1&b=2).\n\n- one\n- two"),
                NotebookCell(
                    kind: .code, source: "let xs = [1, 2, 3]\nprint(\"n is {xs.len}\")  # count",
                    outputs: [.text("n is 3\n")], duration: 0.012, number: 1),
                NotebookCell(
                    kind: .code, source: "fn sq(x) { x * x }\nxs.map(sq)",
                    outputs: [.value("[1, 4, 9]")], duration: 0.0004, number: 2),
                NotebookCell(
                    kind: .code, source: "show(img)\nshow(chart)",
                    outputs: [.image(png: tinyPNG, label: "pixels \"2×2\""), .svg(chartSVG, label: "loss")],
                    duration: 1.5, number: 3),
                NotebookCell(kind: .code, source: "1 / 0", outputs: [.error(divisionError)], duration: 0.001, number: 4),
                NotebookCell(
                    kind: .code, source: "for i in 0..<100 { print(i) }",
                    outputs: [.text((0..<100).map { "\($0)\n" }.joined())], duration: 0.2, number: 5),
                NotebookCell(kind: .code, source: "print(\"\(scriptText)\")", outputs: [.text(scriptText + "\n")], number: 6),
            ], generator: generator)
    }

    func testPageMatchesSnapshot() {
        assertPageSnapshot(NotebookHTML.render(Self.fixture()), named: "notebook.html")
    }

    func testSnapshotComparisonIgnoresOnlyTheGenerator() {
        let a = NotebookHTML.render(Self.fixture(generator: "dvs 0.1.0, 2026-11-29 04:59 UTC"))
        let b = NotebookHTML.render(Self.fixture(generator: "dvs 0.2.0, 2027-01-01 00:00 UTC"))
        XCTAssertNotEqual(a, b)
        XCTAssertEqual(maskingGenerator(a), maskingGenerator(b))
        XCTAssertTrue(a.contains("<footer class=\"dvs-footer\">dvs 0.1.0, 2026-11-29 04:59 UTC</footer>"))
    }

    func testCellsAndOutputsKeepTheirOrder() throws {
        let page = NotebookHTML.render(Self.fixture())
        let marks = [
            "<h1>Training &lt;run&gt; &amp; notes</h1>",
            "id=\"cell-1\"", "<h1>Loss curves</h1>",
            "id=\"cell-2\"", "In [1]", "<span class=\"dvs-time\">12 ms</span>", "<pre>n is 3</pre>",
            "id=\"cell-3\"", "In [2]", "<span class=\"dvs-time\">0.4 ms</span>", "Out[2]", "<pre>[1, 4, 9]</pre>",
            "id=\"cell-4\"", "In [3]", "1.50 s", "id=\"fig-1\"", "data:image/png;base64,", "id=\"fig-2\"", "data:image/svg+xml;base64,",
            "id=\"cell-5\"", "In [4]", "dvs-error",
            "id=\"cell-6\"", "In [5]", "<details class=\"dvs-more\">",
            "id=\"cell-7\"", "In [6]",
            "<footer class=\"dvs-footer\">",
        ]
        var from = page.startIndex
        for mark in marks {
            let found = try XCTUnwrap(page.range(of: mark, range: from..<page.endIndex), "\(mark) missing or out of order")
            from = found.upperBound
        }
        XCTAssertEqual(page.components(separatedBy: "<section class=\"dvs-cell").count - 1, 7)
        XCTAssertEqual(page.components(separatedBy: "<figure class=\"dvs-figure\"").count - 1, 2)
        XCTAssertTrue(page.contains("<p class=\"dvs-summary\">6 code cells, 1 text cell · ran in 1.71 s · "))
    }

    func testErrorCellKeepsTheDiagnosticAndCaretColumns() {
        let page = NotebookHTML.render(Self.fixture())
        XCTAssertTrue(page.contains("<section class=\"dvs-cell dvs-code dvs-failed\" id=\"cell-5\">"))
        XCTAssertTrue(
            page.contains(
                "<div class=\"dvs-output dvs-error\"><div class=\"dvs-gutter\"></div><div class=\"dvs-body\"><pre>"
                    + "cell 4:1:3: error: division by zero\n  1 / 0\n    ^</pre></div></div>"))
        XCTAssertTrue(page.contains("failed: <a href=\"#cell-5\">In [4]</a>"), "the summary links the failed cell")
        XCTAssertEqual(page.components(separatedBy: "dvs-failed\"").count - 1, 1, "only the failing cell is marked")
    }

    func testStoppedCellsAreMarkedInThePageAndSummary() {
        let doc = NotebookDocument(
            title: "run",
            cells: [
                NotebookCell(kind: .code, source: "1", outputs: [.value("1")], duration: 0.001, number: 1),
                NotebookCell(
                    kind: .code, source: "train()", outputs: [.text("epoch 1\n"), .error("x.dvs:2:1: error: timed out after 2 s\n")],
                    duration: 2.01, number: 2, stop: .timedOut(limit: 2)),
                NotebookCell(
                    kind: .code, source: "spin()", outputs: [.error("x.dvs:3:1: error: interrupted by SIGTERM\n")],
                    duration: 0.5, number: 3, stop: .interrupted(signal: "SIGTERM")),
            ], generator: "test", cellsNotRun: 2)
        let page = NotebookHTML.render(doc)
        XCTAssertTrue(page.contains("<section class=\"dvs-cell dvs-code\" id=\"cell-1\">"), "a cell that ran is not marked")
        XCTAssertTrue(page.contains("<section class=\"dvs-cell dvs-code dvs-failed dvs-stopped\" id=\"cell-2\">"))
        XCTAssertTrue(page.contains("<span class=\"dvs-time\">2.01 s</span><span class=\"dvs-status\">timed out</span>"))
        XCTAssertTrue(page.contains("<span class=\"dvs-status\">interrupted</span>"))
        XCTAssertTrue(page.contains("<pre>epoch 1</pre>"), "what the stopped cell printed is kept")
        XCTAssertTrue(page.contains("timed out: <a href=\"#cell-2\">In [2]</a></span>"))
        XCTAssertTrue(page.contains("interrupted: <a href=\"#cell-3\">In [3]</a></span>"))
        XCTAssertTrue(page.contains("<span class=\"dvs-failed-list\">2 code cells not run</span></p>"))
        XCTAssertFalse(page.contains("failed: <a"), "stopped cells are listed as stopped, not as failed")
        XCTAssertEqual(NotebookCell.Stop.timedOut(limit: 0.5).message, "timed out after 0.5 s")
    }

    func testLargeOutputIsFoldedWithoutLosingText() throws {
        let text = (0..<100).map { "line \($0)" }.joined(separator: "\n")
        let html = NotebookHTML.textBlock(text + "\n")
        XCTAssertTrue(html.hasPrefix("<pre>line 0\n"))
        XCTAssertTrue(html.contains("line 19</pre><details class=\"dvs-more\"><summary>80 more lines (789 characters in all)</summary><pre>line 20\n"))
        XCTAssertTrue(html.hasSuffix("line 99</pre></details>"))
        XCTAssertEqual(preTexts(html).joined(separator: "\n"), text, "head and rest together are the whole output")

        let small = NotebookHTML.textBlock((0..<40).map { "\($0)" }.joined(separator: "\n"))
        XCTAssertFalse(small.contains("<details"), "40 lines stay open")

        let wide = String(repeating: "0123456789", count: 450)  // one 4,500-character line
        let folded = NotebookHTML.textBlock(wide)
        XCTAssertTrue(folded.contains("<summary>1 more line (4500 characters in all)</summary>"))
        XCTAssertEqual(preTexts(folded).joined(), wide)
    }

    func testFoldedTextKeepsALeadingBlankLine() {
        let text = (0..<20).map { "\($0)" }.joined(separator: "\n") + "\n\n" + (0..<30).map { "x\($0)" }.joined(separator: "\n")
        let html = NotebookHTML.textBlock(text)
        XCTAssertTrue(html.contains("<pre>\n\nx0"), "a line feed right after <pre> is dropped by parsers, so it is doubled")
    }

    func testEverythingFromCellsIsEscaped() {
        let doc = NotebookDocument(
            title: "<b>t</b>",
            cells: [
                NotebookCell(kind: .markdown, source: "<script>alert(1)</script> and <img src=x onerror=alert(1)>"),
                NotebookCell(
                    kind: .code, source: "print(\"</code></pre><script>alert(1)</script>\")",
                    outputs: [
                        .text(Self.scriptText), .value(Self.scriptText), .error(Self.scriptText),
                        .image(png: Self.tinyPNG, label: "\" onerror=\"alert(1)"),
                        .svg(Self.chartSVG, label: "<script>"),
                    ],
                    number: 1),
            ], generator: "<script>gen</script>")
        let page = NotebookHTML.render(doc)
        XCTAssertFalse(page.lowercased().contains("<script"), "the page has no script element at all")
        XCTAssertFalse(page.contains("<b>t"))
        XCTAssertFalse(page.contains("<img src=x"))
        XCTAssertFalse(page.contains("onerror=\"alert"))
        XCTAssertTrue(page.contains("<pre>&lt;script&gt;alert(1)&lt;/script&gt;</pre>"))
        XCTAssertTrue(page.contains("alt=\"&quot; onerror=&quot;alert(1)\""))
        XCTAssertTrue(page.contains("&lt;/code&gt;&lt;/pre&gt;&lt;script&gt;"))
        XCTAssertTrue(page.contains("&lt;script&gt;gen&lt;/script&gt;</footer>"))
    }

    func testControlCharactersAreShownNotEmitted() {
        let html = NotebookHTML.textBlock("a\u{1B}[31mred\u{0}\u{7F}")
        XCTAssertEqual(html, "<pre>a\u{241B}[31mred\u{2400}\u{2421}</pre>")
        XCTAssertEqual(NotebookHTML.textBlock("one\r\ntwo\r\n"), "<pre>one\ntwo</pre>")
    }

    func testPicturesAreDataURIs() throws {
        let page = NotebookHTML.render(Self.fixture())
        let png = try XCTUnwrap(attribute("src", after: "id=\"fig-1\"", in: page))
        XCTAssertEqual(Data(base64Encoded: String(png.dropFirst("data:image/png;base64,".count))).map { [UInt8]($0) }, Self.tinyPNG)
        XCTAssertTrue(
            page.contains("alt=\"pixels &quot;2×2&quot;\" class=\"dvs-pixelated\" width=\"32\" height=\"32\">"),
            "a tiny image is enlarged, at most ×16, pixels kept sharp")
        XCTAssertTrue(page.contains("<figcaption>pixels &quot;2×2&quot; <span class=\"dvs-dim\">2×2 px, shown ×16</span></figcaption>"))
        let svg = try XCTUnwrap(attribute("src", after: "id=\"fig-2\"", in: page))
        let decoded = Data(base64Encoded: String(svg.dropFirst("data:image/svg+xml;base64,".count))).map { String(decoding: $0, as: UTF8.self) }
        XCTAssertEqual(decoded, Self.chartSVG, "the SVG is carried unchanged: as an <img> it cannot run script")
        XCTAssertTrue(page.contains("<figcaption>loss</figcaption>"))
    }

    func testPageIsSelfContained() {
        let page = NotebookHTML.render(Self.fixture())
        for needle in ["<script", "<link", "src=\"http", "src=\"//", "@import", "url(", "<iframe", "<object", "<embed"] {
            XCTAssertFalse(page.contains(needle), "\(needle) would need the network or script")
        }
        XCTAssertTrue(page.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">"))
        XCTAssertTrue(page.contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"))
        XCTAssertTrue(page.contains("@media print{"))
        XCTAssertTrue(page.contains(".dvs-more::details-content{content-visibility:visible"), "printing opens folded outputs")
    }

    func testDurations() {
        XCTAssertEqual(NotebookHTML.formatDuration(0.00042), "0.4 ms")
        XCTAssertEqual(NotebookHTML.formatDuration(0.012), "12 ms")
        XCTAssertEqual(NotebookHTML.formatDuration(0.9996), "1.00 s")
        XCTAssertEqual(NotebookHTML.formatDuration(1.234), "1.23 s")
        XCTAssertEqual(NotebookHTML.formatDuration(12.34), "12.3 s")
        XCTAssertEqual(NotebookHTML.formatDuration(125), "2 min 05 s")
        XCTAssertNil(NotebookHTML.formatDuration(-1))
        XCTAssertNil(NotebookHTML.formatDuration(.nan))
    }

    func testHighlighter() {
        XCTAssertEqual(
            DVSHighlighter.html("let n = 4  # four"),
            "<span class=\"hl-kw\">let</span> n = <span class=\"hl-num\">4</span>  <span class=\"hl-com\"># four</span>")
        XCTAssertEqual(
            DVSHighlighter.html("fn area(w, h = 1.5e-3) { w * h }"),
            "<span class=\"hl-kw\">fn</span> <span class=\"hl-fn\">area</span>(w, h = <span class=\"hl-num\">1.5e-3</span>) { w * h }")
        XCTAssertEqual(
            DVSHighlighter.html("\"n is {len(xs):>4}\\n\""),
            "<span class=\"hl-str\">&quot;n is </span><span class=\"hl-ip\">{</span><span class=\"hl-fn\">len</span>(xs)"
                + "<span class=\"hl-ip\">:</span><span class=\"hl-spec\">&gt;4</span><span class=\"hl-ip\">}</span>"
                + "<span class=\"hl-str\"><span class=\"hl-esc\">\\n</span>&quot;</span>")
        XCTAssertEqual(
            DVSHighlighter.html("\"{a}{b}\""),
            "<span class=\"hl-str\">&quot;</span><span class=\"hl-ip\">{</span>a<span class=\"hl-ip\">}</span>"
                + "<span class=\"hl-ip\">{</span>b<span class=\"hl-ip\">}</span><span class=\"hl-str\">&quot;</span>")
        XCTAssertEqual(
            DVSHighlighter.html("\"{} \\{x\\} {:.2f}\""),
            "<span class=\"hl-str\">&quot;{} <span class=\"hl-esc\">\\{</span>x<span class=\"hl-esc\">\\}</span> {:.2f}&quot;</span>",
            "format placeholders and escaped braces are string text")
        XCTAssertEqual(DVSHighlighter.html("0..<n"), "<span class=\"hl-num\">0</span>..&lt;n")
        XCTAssertEqual(DVSHighlighter.html("1...5"), "<span class=\"hl-num\">1</span>...<span class=\"hl-num\">5</span>")
        XCTAssertEqual(DVSHighlighter.html("2.sqrt()"), "<span class=\"hl-num\">2</span>.<span class=\"hl-fn\">sqrt</span>()")
        XCTAssertEqual(
            DVSHighlighter.html("x = nil or not true"),
            "x = <span class=\"hl-lit\">nil</span> <span class=\"hl-kw\">or</span> <span class=\"hl-kw\">not</span> <span class=\"hl-lit\">true</span>")
        XCTAssertEqual(DVSHighlighter.html("größe1 = \"a # b\""), "größe1 = <span class=\"hl-str\">&quot;a # b&quot;</span>")
        XCTAssertEqual(DVSHighlighter.html("\"open {x"), "<span class=\"hl-str\">&quot;open {x</span>", "unterminated input is shown as is")
        XCTAssertEqual(
            DVSHighlighter.html("\"{f(\"<b>\")}\""),
            "<span class=\"hl-str\">&quot;</span><span class=\"hl-ip\">{</span><span class=\"hl-fn\">f</span>(<span class=\"hl-str\">&quot;&lt;b&gt;&quot;</span>)"
                + "<span class=\"hl-ip\">}</span><span class=\"hl-str\">&quot;</span>")
        let deep = String(repeating: "\"{", count: 200) + "x" + String(repeating: "}\"", count: 200)
        XCTAssertFalse(DVSHighlighter.html(deep).isEmpty, "deeply nested interpolation does not recurse without bound")
    }

    /// Writes a sample page with real pictures to $DVS_NOTEBOOK_SAMPLE for the
    /// browser test (Tests/browser/run); without the variable it only checks
    /// the page has its figures.
    func testWriteSample() throws {
        var photo = try Image(width: 160, height: 120, channels: 3)
        for y in 0..<120 {
            for x in 0..<160 {
                let inside = (x - 80) * (x - 80) + (y - 60) * (y - 60) < 40 * 40
                photo[0, y, x] = Float(x) / 159
                photo[1, y, x] = inside ? 0.9 : Float(y) / 119
                photo[2, y, x] = inside ? 0.1 : 0.6
            }
        }
        // Larger than the browser test's 300×200 cell: it is shrunk there. Fine stripes, like text on a page.
        var stripes = try Image(width: 700, height: 420, channels: 1, fill: 1)
        for y in 0..<420 where y % 12 < 4 {
            for x in 40..<660 where (x / 7 + y / 12) % 5 != 0 { stripes[0, y, x] = 0.1 }
        }
        var glyph = try Image(width: 12, height: 12, channels: 1)
        for y in 0..<12 { for x in 0..<12 where (x / 3 + y / 3) % 2 == 0 { glyph[0, y, x] = 1 } }
        var overlay = try Image(width: 100, height: 70, channels: 4)
        for y in 0..<70 {
            for x in 0..<100 {
                overlay[0, y, x] = 0.8
                overlay[1, y, x] = 0.2
                overlay[2, y, x] = 0.3
                overlay[3, y, x] = (x / 10 + y / 10) % 2 == 0 ? 1 : 0.25
            }
        }
        let bareSVG = """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 50"><rect x="2" y="2" width="96" height="46" rx="6" \
            fill="#2da44e"/><circle cx="25" cy="25" r="15" fill="#ffd33d"/></svg>
            """
        let doc = NotebookDocument(
            title: "Sample notebook",
            cells: [
                NotebookCell(kind: .markdown, source: "# Sample\nPictures drawn by **DVSVision** and inline SVG charts.\n\n```dvs\nshow(img)\n```"),
                NotebookCell(
                    kind: .code, source: "let img = gradient(160, 120)\nshow(img)",
                    outputs: [
                        .image(png: try photo.pngData(), label: "gradient with a disc, 160×120"),
                        .image(png: try stripes.pngData(), label: "a page of stripes, 700×420"),
                    ], duration: 0.034, number: 1),
                NotebookCell(
                    kind: .code, source: "show(checker(12))\nshow(overlay)",
                    outputs: [
                        .image(png: try glyph.pngData(), label: "checkerboard"),
                        .image(png: try overlay.pngData(), label: "RGBA, half transparent"),
                    ], duration: 0.002, number: 2),
                NotebookCell(
                    kind: .code, source: "plot(losses)",
                    outputs: [.svg(Self.chartSVG, label: "loss"), .svg(bareSVG, label: "SVG with a viewBox only")], duration: 0.05, number: 3),
                NotebookCell(
                    kind: .markdown,
                    source:
                        "## Errors and long output\n> A failing cell keeps its diagnostic.\n\n1. caret under the column\n2. see [LANGUAGE.md](docs/LANGUAGE.md)"
                ),
                NotebookCell(kind: .code, source: "1 / 0", outputs: [.error(Self.divisionError)], duration: 0.001, number: 4),
                NotebookCell(
                    kind: .code, source: "for i in 0..<100 { print(i) }",
                    outputs: [.text((0..<100).map { "\($0)\n" }.joined())], duration: 0.2, number: 5),
                NotebookCell(
                    kind: .code, source: "let widths = [\(Array(repeating: "128", count: 30).joined(separator: ", "))]  # one long line\nwidths",
                    outputs: [.value("[\(Array(repeating: "128", count: 30).joined(separator: ", "))]")], duration: 0.0001, number: 6),
            ], generator: "dvs sample")
        let page = NotebookHTML.render(doc)
        XCTAssertEqual(page.components(separatedBy: "<figure class=\"dvs-figure\"").count - 1, 6)
        guard let path = ProcessInfo.processInfo.environment["DVS_NOTEBOOK_SAMPLE"], !path.isEmpty else { return }
        try Data(page.utf8).write(to: URL(fileURLWithPath: path))
    }
}

// MARK: - Helpers

/// The texts of the `<pre>` elements in `html`, unescaped (`&lt; &gt; &amp;` only).
private func preTexts(_ html: String) -> [String] {
    html.components(separatedBy: "<pre>").dropFirst().map { part in
        var text = part.components(separatedBy: "</pre>")[0]
        if text.hasPrefix("\n") { text.removeFirst() }
        return text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}

/// The value of attribute `name` in the first tag after `marker`.
private func attribute(_ name: String, after marker: String, in page: String) -> String? {
    guard let start = page.range(of: marker),
        let open = page.range(of: " \(name)=\"", range: start.upperBound..<page.endIndex),
        let close = page.range(of: "\"", range: open.upperBound..<page.endIndex)
    else { return nil }
    return String(page[open.upperBound..<close.lowerBound])
}

/// The page with the footer line (the generator: version and date) blanked.
func maskingGenerator(_ page: String) -> String {
    page.split(separator: "\n", omittingEmptySubsequences: false)
        .map { $0.hasPrefix("<footer class=\"dvs-footer\">") ? "<footer class=\"dvs-footer\">…</footer>" : String($0) }
        .joined(separator: "\n")
}

/// Compares `page` with Snapshots/<name> except for the generator line;
/// DVS_UPDATE_SNAPSHOTS=1 rewrites the snapshot instead.
func assertPageSnapshot(_ page: String, named name: String, file: StaticString = #filePath, line: UInt = #line) {
    let url = URL(fileURLWithPath: "\(file)").deletingLastPathComponent().appendingPathComponent("Snapshots/\(name)")
    if ProcessInfo.processInfo.environment["DVS_UPDATE_SNAPSHOTS"] == "1" {
        XCTAssertNoThrow(try Data(page.utf8).write(to: url, options: .atomic), file: file, line: line)
        return
    }
    guard let data = FileManager.default.contents(atPath: url.path) else {
        XCTFail("snapshot \(url.path) is missing; run the tests with DVS_UPDATE_SNAPSHOTS=1 to create it", file: file, line: line)
        return
    }
    let want = maskingGenerator(String(decoding: data, as: UTF8.self)).split(separator: "\n", omittingEmptySubsequences: false)
    let got = maskingGenerator(page).split(separator: "\n", omittingEmptySubsequences: false)
    guard want != got else { return }
    let k = (0..<min(want.count, got.count)).first { want[$0] != got[$0] } ?? min(want.count, got.count)
    XCTFail(
        """
        page differs from snapshot \(name) at line \(k + 1):
          expected: \(k < want.count ? String(want[k].prefix(300)) : "<end>")
          actual:   \(k < got.count ? String(got[k].prefix(300)) : "<end>")
        (run with DVS_UPDATE_SNAPSHOTS=1 to accept the new page)
        """, file: file, line: line)
}

final class NotebookFigureTests: XCTestCase {
    func testSVGWithOnlyAViewBoxGetsItsSize() {
        XCTAssertTrue(NotebookFigure.viewBoxOnlySize("<svg viewBox=\"0 0 100 50\"><rect/></svg>")! == (100, 50))
        XCTAssertTrue(NotebookFigure.viewBoxOnlySize("<?xml version=\"1.0\"?>\n<svg xmlns=\"x\" viewBox='0,0,320.4,200'>")! == (320, 200))
        XCTAssertNil(NotebookFigure.viewBoxOnlySize("<svg width=\"62pt\" height=\"116pt\" viewBox=\"0 0 62 116\">"))
        XCTAssertTrue(NotebookFigure.viewBoxOnlySize("<svg stroke-width=\"2\" viewBox=\"0 0 10 10\">")! == (10, 10), "stroke-width is not width")
        XCTAssertNil(NotebookFigure.viewBoxOnlySize("<svg>"))
        XCTAssertNil(NotebookFigure.viewBoxOnlySize("<svg viewBox=\"0 0 nan 3\">"))
        XCTAssertTrue(
            NotebookFigure.svg("<svg viewBox=\"0 0 100 50\"/>", label: "", number: 7)
                .hasPrefix("<figure class=\"dvs-figure\" id=\"fig-7\"><img src=\"data:image/svg+xml;base64,"))
        XCTAssertTrue(
            NotebookFigure.svg("<svg viewBox=\"0 0 100 50\"/>", label: "", number: 7)
                .hasSuffix("\" alt=\"figure 7\" width=\"100\" height=\"50\"></figure>"), "no label: alt says which figure, no caption")
    }

    func testPNGSize() {
        XCTAssertTrue(NotebookFigure.pngSize(NotebookHTMLTests.tinyPNG)! == (2, 2))
        XCTAssertNil(NotebookFigure.pngSize([1, 2, 3]))
        XCTAssertTrue(
            NotebookFigure.png([0x42], label: "x", number: 1).contains("<img src=\"data:image/png;base64,Qg==\" alt=\"x\">"),
            "bytes that are no PNG are still embedded, without a size")
    }
}
