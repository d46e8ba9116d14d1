import DVSTensor
import XCTest

@testable import DVSRender

final class DOTTests: XCTestCase {
    func testMatmulLossSnapshot() throws {
        let (loss, _) = try Fixtures.matmulLoss()
        let dot = ComputationGraph.capture(loss).dot()
        assertSnapshot(dot, named: "matmul_loss.dot")
        XCTAssertTrue(dot.contains("<b>w</b>"))
        XCTAssertTrue(dot.contains("∇ grad"))
        XCTAssertTrue(dot.contains("label=\"2×4\""), "matmul output shape on the edge into sum")
        XCTAssertTrue(dot.contains("rankdir=TB"))
    }

    func testLossCompositionSnapshot() throws {
        let loss = try Fixtures.lossComposition()
        let dot = ComputationGraph.capture(loss).dot(options: DOTOptions(title: "loss = text + 0.5 · vision"))
        assertSnapshot(dot, named: "loss_composition.dot")
        // Both branches are clusters, the scalar weight reads "× 0.5" on the mul.
        for scope in ["text", "vision", "loss"] { XCTAssertTrue(dot.contains("label=<<b>\(scope)</b>>"), scope) }
        XCTAssertTrue(dot.contains("<b>mul</b><br/><font point-size=\"9\">× 0.5</font>"))
        // The 0.5 constant itself is not drawn as a node (the detail shows it).
        XCTAssertFalse(dot.contains("label=<0.5"))
    }

    func testCollapsedBlocksSnapshot() throws {
        let loss = try Fixtures.fourBlocks()
        let dot = ComputationGraph.capture(loss, collapseRepeats: true).dot()
        assertSnapshot(dot, named: "four_blocks_collapsed.dot")
        XCTAssertTrue(dot.contains("block0 … block3 (×4)"))
        XCTAssertTrue(dot.contains("lm.block{0…3}.w"))
        XCTAssertFalse(dot.contains("block1"))
    }

    func testBottomToTopAndHiddenConstants() throws {
        let loss = try Fixtures.lossComposition()
        let graph = ComputationGraph.capture(loss)
        let dot = graph.dot(options: DOTOptions(direction: .bottomToTop, showConstants: false))
        XCTAssertTrue(dot.contains("rankdir=BT"))
        let hidden = try XCTUnwrap(graph.nodes.first { $0.name == "hidden" })
        XCTAssertFalse(dot.contains("n\(hidden.id) "), "constants hidden on request")
        XCTAssertTrue(graph.dot().contains("n\(hidden.id) [label=<hidden"))
    }

    func testEscaping() {
        XCTAssertEqual(DOT.escapeHTML("a<b>&\"c\"\nd\u{7}"), "a&lt;b&gt;&amp;&quot;c&quot;<br/>d")
        XCTAssertEqual(DOT.quoted("say \"hi\"\\\n"), "\"say \\\"hi\\\"\\\\\\n\"")
        XCTAssertEqual(DOT.shapeLabel([32, 48, 512]), "32×48×512")
        XCTAssertEqual(DOT.shapeLabel([]), "scalar")
        XCTAssertEqual(DOT.tidyNumbers("× 0.5000"), "× 0.5")
        XCTAssertEqual(DOT.tidyNumbers("× 2.0000"), "× 2")
        XCTAssertEqual(DOT.tidyNumbers("** 1.2500e-05"), "** 1.25e-05")
        XCTAssertEqual(DOT.tidyNumbers("axis 1 0:10"), "axis 1 0:10")
        XCTAssertEqual(DOT.tidyNumbers("v1.0"), "v1")
    }

    func testNaNNodeIsRed() throws {
        let x = try Tensor(shape: [2], values: [1, -1])
        x.requiresGrad = true
        x.name = "x"
        let loss = try x.log().sum()
        let dot = ComputationGraph.capture(loss).dot()
        XCTAssertTrue(dot.contains("⚠ NaN"))
        XCTAssertTrue(dot.contains("fillcolor=\"#ffd9d9\""))
        XCTAssertTrue(dot.contains("color=\"#cc0000\", fontcolor=\"#cc0000\""), "edges out of a NaN node are red")
    }
}
