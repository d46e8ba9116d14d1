import DVSRender
import DVSTensor
import Foundation
import XCTest

#if canImport(FoundationXML)
import FoundationXML
#endif

final class GraphvizRendererTests: XCTestCase {
    func testRendersPNG() throws {
        let dot = ComputationGraph.capture(try Fixtures.lossComposition()).dot()
        let png = try GraphvizRenderer.shared().render(dot: dot, format: .png)
        XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "PNG signature")
        XCTAssertGreaterThan(png.count, 33)
        XCTAssertEqual(String(decoding: png[12..<16], as: UTF8.self), "IHDR")
        func be32(_ at: Int) -> Int { png[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) } }
        let width = be32(16), height = be32(20)
        XCTAssertTrue((100...5000).contains(width), "width \(width)")
        XCTAssertTrue((100...5000).contains(height), "height \(height)")
    }

    func testRendersSVGThatParses() throws {
        let dot = ComputationGraph.capture(try Fixtures.lossComposition()).dot()
        let svg = try GraphvizRenderer.shared().render(dot: dot, format: "svg")
        let texts = try svgTexts(svg)
        for label in ["mul", "× 0.5", "add", "matmul", "tanh", "lm.head.w", "vision.proj.w", "hidden", "text", "vision", "loss", "2×4"] {
            XCTAssertTrue(texts.contains(label), "SVG text '\(label)' missing; has \(texts.sorted())")
        }
    }

    func testHostileNamesSurviveTheRoundTrip() throws {
        let w = try Tensor(shape: [2], values: [1, 2])
        w.requiresGrad = true
        w.name = "a<b>&\"c\"\\d}{"
        let loss = try GradMode.withScope("sc\"ope<1>") { try w.mul(w).sum() }
        let svg = try GraphvizRenderer.shared().render(dot: ComputationGraph.capture(loss).dot(), format: .svg)
        let texts = try svgTexts(svg)
        XCTAssertTrue(texts.contains("a<b>&\"c\"\\d}{"), "\(texts)")
        XCTAssertTrue(texts.contains("sc\"ope<1>"), "\(texts)")
    }

    func testRendersAThousandOpGraph() throws {
        let w = try Tensor(shape: [3], values: [1, 2, 3])
        w.requiresGrad = true
        var x = w
        for i in 0..<1000 { x = try GradMode.withScope("s\(i % 7)") { try x.tanh() } }
        let svg = try GraphvizRenderer.shared().render(dot: ComputationGraph.capture(x).dot(), format: .svg)
        XCTAssertGreaterThan(svg.count, 100_000)
    }

    func testBadDOTGivesGraphvizMessage() throws {
        XCTAssertThrowsError(try GraphvizRenderer.shared().render(dot: "digraph { a -> }", format: .svg)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.hasPrefix("graphviz: could not read the DOT text"), message)
            XCTAssertTrue(message.contains("syntax error"), message)
        }
        XCTAssertThrowsError(try GraphvizRenderer.shared().render(dot: "digraph { a }", format: "jpeg2000")) { error in
            XCTAssertEqual("\(error)", "graphviz: unknown format 'jpeg2000'; expected svg or png")
        }
        XCTAssertThrowsError(try GraphvizRenderer.shared().render(dot: "digraph { a }", format: .svg, layout: "nosuchlayout")) { error in
            let message = "\(error)"
            XCTAssertTrue(message.hasPrefix("graphviz: layout 'nosuchlayout' failed: Error: Layout type: \"nosuchlayout\" not recognized"), message)
            XCTAssertTrue(message.contains("run `dot -c` once"), message)
        }
        // The renderer still works afterwards.
        XCTAssertNoThrow(try GraphvizRenderer.shared().render(dot: "digraph { a -> b }", format: .svg))
    }

    func testWriteChoosesFormatFromExtensionAtomically() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dvs-graph-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let dot = ComputationGraph.capture(try Fixtures.matmulLoss().loss).dot()
        let renderer = try GraphvizRenderer.shared()
        for name in ["g.svg", "g.PNG", "g.dot"] {
            try renderer.write(dot: dot, to: dir.appendingPathComponent(name).path)
        }
        let png = try Data(contentsOf: dir.appendingPathComponent("g.PNG"))
        XCTAssertEqual(Array(png.prefix(4)), [0x89, 0x50, 0x4E, 0x47])
        XCTAssertEqual(try String(contentsOf: dir.appendingPathComponent("g.dot"), encoding: .utf8), dot)
        XCTAssertNoThrow(try svgTexts(Array(Data(contentsOf: dir.appendingPathComponent("g.svg")))))
        // Overwriting replaces the file whole.
        try renderer.write(dot: "digraph { only }", to: dir.appendingPathComponent("g.dot").path)
        XCTAssertEqual(try String(contentsOf: dir.appendingPathComponent("g.dot"), encoding: .utf8), "digraph { only }")
        XCTAssertThrowsError(try renderer.write(dot: dot, to: dir.appendingPathComponent("g.jpg").path)) { error in
            XCTAssertTrue("\(error)".contains("use a .svg, .png or .dot file name"), "\(error)")
        }
        XCTAssertThrowsError(try renderer.write(dot: "digraph { a -> }", to: dir.appendingPathComponent("bad.svg").path))
        XCTAssertThrowsError(try renderer.write(dot: dot, to: dir.appendingPathComponent("missing/g.svg").path)) { error in
            XCTAssertTrue("\(error)".hasPrefix("graphviz: cannot write"), "\(error)")
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        XCTAssertEqual(left, ["g.PNG", "g.dot", "g.svg"], "no temporary files or failed outputs left behind")
    }

    /// The text content of every <text> element of an SVG (which must parse as XML).
    private func svgTexts(_ svg: [UInt8]) throws -> Set<String> {
        let parser = XMLParser(data: Data(svg))
        let collector = TextCollector()
        parser.delegate = collector
        guard parser.parse() else {
            XCTFail("SVG does not parse: \(parser.parserError.map { "\($0)" } ?? "?")"); return []
        }
        XCTAssertEqual(collector.root, "svg")
        return collector.texts
    }
}

private final class TextCollector: NSObject, XMLParserDelegate {
    var root: String?
    var texts = Set<String>()
    private var current: String?

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        if root == nil { root = name }
        if name == "text" { current = "" }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        current? += string
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text", let c = current { texts.insert(c); current = nil }
    }
}
