import DVSRender
import Foundation
import XCTest

@testable import DVSTensor

final class CaptureTests: XCTestCase {
    func testCaptureRecordsOpsLeavesAndShapes() throws {
        let (loss, w) = try Fixtures.matmulLoss()
        XCTAssertNotNil(w.grad)
        let g = ComputationGraph.capture(loss)
        XCTAssertEqual(g.nodes.map(\.kind), [.constant, .parameter, .op, .op])
        XCTAssertEqual(g.nodes.compactMap(\.op), ["matmul", "sum"])
        let param = g.nodes[1]
        XCTAssertEqual(param.name, "w")
        XCTAssertEqual(param.shape, [3, 4])
        XCTAssertTrue(param.requiresGrad)
        XCTAssertTrue(param.hasGrad)
        XCTAssertEqual(g.outputID, 3)
        XCTAssertTrue(g.nodes[3].isOutput)
        XCTAssertTrue(g.nodes[3].isReleased, "backward ran")
        XCTAssertEqual(g.edges.map { [$0.from, $0.to, $0.argument] }, [[0, 2, 0], [1, 2, 1], [2, 3, 0]])
        XCTAssertEqual(g.edges.map(\.shape), [[2, 3], [3, 4], [2, 4]])
        XCTAssertFalse(g.nodes.contains { $0.hasNonFinite })
    }

    func testScopesAndLeafPlacement() throws {
        let loss = try Fixtures.lossComposition()
        let g = ComputationGraph.capture(loss)
        let mul = try XCTUnwrap(g.nodes.first { $0.op == "mul" && $0.scope == ["loss"] })
        XCTAssertEqual(mul.detail, "× 0.5")
        XCTAssertEqual(g.nodes[g.outputID].op, "add")
        XCTAssertEqual(g.nodes[g.outputID].scope, ["loss"])
        // A parameter sits in the scope of its users; one used by two scopes at the top.
        XCTAssertEqual(g.nodes.first { $0.name == "lm.head.w" }?.scope, ["text"])
        XCTAssertEqual(g.nodes.first { $0.name == "vision.proj.w" }?.scope, ["vision"])
        XCTAssertEqual(g.nodes.first { $0.name == "hidden" }?.scope, [])
        XCTAssertEqual(g.nodes.first { $0.scalarValue == 0.5 }?.kind, .constant)
        // The text branch reuses `head` twice: one node, two matmul edges.
        XCTAssertEqual(g.nodes.filter { $0.name == "lm.head.w" }.count, 1)
    }

    func testTenThousandOpChainIsIterativeAndFast() throws {
        let w = try Tensor(shape: [4], values: [1, 2, 3, 4])
        w.requiresGrad = true
        w.name = "w"
        let c = Tensor(scalar: 1.0001)
        var x = w
        for _ in 0..<10_000 { x = try x.mul(c) }
        let start = Date()
        let g = ComputationGraph.capture(x)
        let captureTime = Date().timeIntervalSince(start)
        XCTAssertEqual(g.opCount, 10_000)
        XCTAssertEqual(g.nodes.count, 10_002)
        XCTAssertEqual(g.edges.count, 20_000)
        XCTAssertEqual(g.nodes[g.outputID].id, 10_001)
        // Bounds catch a quadratic blow-up (100× slower), not speed: benchmarks measure speed.
        XCTAssertLessThan(captureTime, 15, "capture of 10,000 ops took \(captureTime) s")
        let dotStart = Date()
        let dot = g.dot()
        XCTAssertLessThan(Date().timeIntervalSince(dotStart), 15)
        XCTAssertEqual(dot.components(separatedBy: " -> ").count - 1, 10_000, "the shared constant is folded into '× 1.0001'")
        let collapsed = g.collapsingRepeats()
        XCTAssertEqual(collapsed, g, "no scopes, nothing to collapse")
    }

    func testNaNAndInfFlags() throws {
        let x = try Tensor(shape: [3], values: [1, -1, 2])
        x.requiresGrad = true
        let logged = try x.log()  // log(-1) = NaN
        let divided = try x.div(Tensor(shape: [3], values: [1, 1, 0]))  // 2/0 = Inf
        let loss = try logged.add(divided).sum()
        let g = ComputationGraph.capture(loss)
        let log = try XCTUnwrap(g.nodes.first { $0.op == "log" })
        XCTAssertTrue(log.hasNaN)
        XCTAssertFalse(log.hasInf)
        let div = try XCTUnwrap(g.nodes.first { $0.op == "div" })
        XCTAssertFalse(div.hasNaN)
        XCTAssertTrue(div.hasInf)
        XCTAssertFalse(g.nodes.first { $0.kind == .parameter }!.hasNonFinite)
        XCTAssertTrue(g.nodes[g.outputID].hasNaN)
        // Strided views are checked element by element in their own layout.
        let big = try Tensor(shape: [2, 3], values: [1, 2, .infinity, 4, 5, 6])
        XCTAssertTrue(ComputationGraph.nonFiniteFlags(try big.transpose(0, 1)).inf)
        XCTAssertFalse(ComputationGraph.nonFiniteFlags(try big.slice(axis: 1, start: 0, end: 2)).inf)
    }

    func testCaptureKeepsNoTensorStorage() throws {
        weak var storage: TensorStorage?
        let graph: ComputationGraph = try {
            let x = try Tensor.ones([64, 64])
            x.requiresGrad = true
            storage = x.storage
            return ComputationGraph.capture(try x.mul(x).sum())
        }()
        XCTAssertNil(storage, "the graph must hold metadata only")
        XCTAssertEqual(graph.nodes.count, 3)
    }

    func testCollapseRepeatedBlocks() throws {
        let loss = try Fixtures.fourBlocks()
        let full = ComputationGraph.capture(loss)
        XCTAssertEqual(full.opCount, 4 * 3 + 1)
        let g = ComputationGraph.capture(loss, collapseRepeats: true)
        XCTAssertEqual(g.opCount, 3 + 1)
        XCTAssertEqual(g.repeatedScopes.map(\.label), ["block0 … block3 (×4)"])
        XCTAssertEqual(g.repeatedScopes.first?.path, ["lm", "block0"])
        XCTAssertEqual(Set(g.nodes.compactMap(\.name)), ["x", "lm.block{0…3}.w", "lm.block{0…3}.b"])
        // Wiring: x -> matmul (rep), rep relu -> sum (the output).
        let relu = try XCTUnwrap(g.nodes.first { $0.op == "relu" })
        let sum = g.nodes[g.outputID]
        XCTAssertEqual(sum.op, "sum")
        XCTAssertTrue(g.edges.contains { $0.from == relu.id && $0.to == sum.id })
        let x = try XCTUnwrap(g.nodes.first { $0.name == "x" })
        XCTAssertTrue(g.edges.contains { $0.from == x.id && g.nodes[$0.to].op == "matmul" })
        XCTAssertFalse(g.edges.contains { $0.from == relu.id && g.nodes[$0.to].op == "matmul" }, "chain edges inside the run are dropped")
        for e in g.edges { XCTAssertTrue(g.nodes.indices.contains(e.from) && g.nodes.indices.contains(e.to)) }
        XCTAssertEqual(g.nodes.map(\.id), Array(g.nodes.indices))
    }

    func testBlocksThatDifferDoNotCollapse() throws {
        var h = try Tensor.ones([2, 3])
        let w = try Tensor.ones([3, 3])
        w.requiresGrad = true
        for i in 0..<3 {
            h = try GradMode.withScope("block\(i)") {
                i == 1 ? try h.matmul(w).tanh() : try h.matmul(w).relu()
            }
        }
        let g = ComputationGraph.capture(try h.sum(), collapseRepeats: true)
        XCTAssertTrue(g.repeatedScopes.isEmpty)
        XCTAssertEqual(g.opCount, 7)
    }

    func testNestedRepeatsCollapse() throws {
        var h = try Tensor.ones([2, 3])
        h.name = "x"
        for b in 0..<3 {
            h = try GradMode.withScope("block\(b)") {
                var sum = h
                for head in 0..<2 {
                    let w = try Tensor.ones([3, 3])
                    w.requiresGrad = true
                    w.name = "block\(b).head\(head).w"
                    sum = try GradMode.withScope("head\(head)") { try sum.add(h.matmul(w).tanh()) }
                }
                return sum
            }
        }
        let g = ComputationGraph.capture(try h.sum(), collapseRepeats: true)
        XCTAssertEqual(Set(g.repeatedScopes.map(\.label)), ["block0 … block2 (×3)", "head0 … head1 (×2)"])
        XCTAssertEqual(g.opCount, 3 + 1)
        XCTAssertEqual(g.nodes.compactMap(\.name).sorted(), ["block{0…2}.head{0…1}.w", "x"])
    }

    func testMergedNames() {
        XCTAssertEqual(ComputationGraph.mergedName(["lm.block0.wq", "lm.block1.wq", "lm.block2.wq"]), "lm.block{0…2}.wq")
        XCTAssertEqual(ComputationGraph.mergedName(["b12.w", "b13.w"]), "b{12…13}.w")
        XCTAssertEqual(ComputationGraph.mergedName(["w", "w"]), "w")
        XCTAssertEqual(ComputationGraph.mergedName(["a", "ab"]), "a{…b}")
        XCTAssertEqual(ComputationGraph.splitTrailingNumber("block12")?.0, "block")
        XCTAssertEqual(ComputationGraph.splitTrailingNumber("block12")?.1, 12)
        XCTAssertNil(ComputationGraph.splitTrailingNumber("12"))
        XCTAssertNil(ComputationGraph.splitTrailingNumber("vision"))
    }
}

final class CaptureEdgeCaseTests: XCTestCase {
    func testLeafRoot() throws {
        let w = try Tensor(shape: [2], values: [1, .nan])
        w.requiresGrad = true
        w.name = "w"
        let g = ComputationGraph.capture(w)
        XCTAssertEqual(g.nodes.count, 1)
        XCTAssertEqual(g.nodes[0].kind, .parameter)
        XCTAssertTrue(g.nodes[0].isOutput)
        XCTAssertTrue(g.nodes[0].hasNaN)
        XCTAssertTrue(g.edges.isEmpty)
        let c = ComputationGraph.capture(Tensor(scalar: 2))
        XCTAssertEqual(c.nodes.map(\.kind), [.constant])
        XCTAssertTrue(c.dot().contains("n0 [label=<2>"), "an output constant is drawn even when scalar")
    }

    func testSameInputTwiceGivesTwoEdges() throws {
        let x = try Tensor(shape: [2], values: [1, 2])
        x.requiresGrad = true
        let g = ComputationGraph.capture(try x.mul(x))
        XCTAssertEqual(g.nodes.count, 2)
        XCTAssertEqual(g.edges.map(\.argument), [0, 1])
        XCTAssertNil(g.nodes[1].detail)
    }
}

final class CollapseScaleTests: XCTestCase {
    /// A transformer-shaped stack: each block has attention with 4 heads
    /// (scopes "head0" … "head3") and an MLP, both with residuals.
    static func stack(blocks: Int, width: Int = 8, heads: Int = 4) throws -> Tensor {
        var h = try Tensor(shape: [3, width], values: (0..<(3 * width)).map { Float($0 % 5) / 5 })
        h.name = "tokens"
        func param(_ name: String, _ shape: [Int]) throws -> Tensor {
            let p = try Tensor.full(shape, 0.01)
            p.requiresGrad = true
            p.name = name
            return p
        }
        let d = width / heads
        try GradMode.withScope("lm") {
            for b in 0..<blocks {
                h = try GradMode.withScope("block\(b)") {
                    let x = h
                    let attn = try GradMode.withScope("attn") {
                        var outs: [Tensor] = []
                        for i in 0..<heads {
                            outs.append(
                                try GradMode.withScope("head\(i)") {
                                    let q = try x.matmul(param("lm.block\(b).attn.head\(i).wq", [width, d]))
                                    let k = try x.matmul(param("lm.block\(b).attn.head\(i).wk", [width, d]))
                                    let v = try x.matmul(param("lm.block\(b).attn.head\(i).wv", [width, d]))
                                    return try q.matmul(k.transpose(0, 1)).mul(Tensor(scalar: 0.5)).tanh().matmul(v)
                                })
                        }
                        return try Tensor.concat(outs, axis: 1).matmul(param("lm.block\(b).attn.wo", [width, width]))
                    }
                    let y = try x.add(attn)
                    let mlp = try GradMode.withScope("mlp") {
                        try y.matmul(param("lm.block\(b).mlp.w1", [width, 2 * width])).relu()
                            .matmul(param("lm.block\(b).mlp.w2", [2 * width, width]))
                    }
                    return try y.add(mlp)
                }
            }
        }
        return try GradMode.withScope("loss") { try h.mul(h).mean() }
    }

    func testTransformerShapedStackCollapses() throws {
        let loss = try Self.stack(blocks: 4)
        let g = ComputationGraph.capture(loss, collapseRepeats: true)
        XCTAssertEqual(Set(g.repeatedScopes.map(\.label)), ["block0 … block3 (×4)", "head0 … head3 (×4)"])
        XCTAssertEqual(g.repeatedScopes.first { $0.names.count == 4 && $0.path.last == "head0" }?.path, ["lm", "block0", "attn", "head0"])
        let names = Set(g.nodes.compactMap(\.name))
        XCTAssertTrue(
            names.isSuperset(of: ["tokens", "lm.block{0…3}.attn.head{0…3}.wq", "lm.block{0…3}.attn.wo", "lm.block{0…3}.mlp.w2"]), "\(names.sorted())")
        XCTAssertFalse(g.nodes.contains { $0.scope.contains("block1") || $0.scope.contains("head2") })
        // The concat still has four inputs (one per head); the residual path survives.
        let concat = try XCTUnwrap(g.nodes.first { $0.op == "concat" })
        XCTAssertEqual(g.edges.filter { $0.to == concat.id }.map(\.argument), [0, 1, 2, 3])
        XCTAssertEqual(g.nodes[g.outputID].scope, ["loss"])
        let dot = g.dot()
        XCTAssertTrue(dot.contains("block0 … block3 (×4)") && dot.contains("head0 … head3 (×4)"))
        XCTAssertNoThrow(try GraphvizRenderer.shared().render(dot: dot, format: .svg))
    }

    func testTenThousandOpStackCapturesAndCollapsesFast() throws {
        let loss = try Self.stack(blocks: 260)
        let start = Date()
        let full = ComputationGraph.capture(loss)
        let captured = Date()
        let g = full.collapsingRepeats()
        let done = Date()
        XCTAssertGreaterThan(full.opCount, 10_000)
        XCTAssertEqual(Set(g.repeatedScopes.map(\.label)), ["block0 … block259 (×260)", "head0 … head3 (×4)"])
        XCTAssertLessThan(g.nodes.count, 60)
        // Bounds catch a quadratic blow-up on a loaded 2-core machine, not speed.
        XCTAssertLessThan(captured.timeIntervalSince(start), 15, "capture")
        XCTAssertLessThan(done.timeIntervalSince(captured), 25, "collapse")
    }
}
