import DVSTensor
import Foundation
import XCTest

/// Small graphs built from real tensor ops, shared by the tests.
enum Fixtures {
    /// loss = sum(x @ w), with `w` a named parameter; `backward` already run
    /// when `backwardDone`.
    static func matmulLoss(backwardDone: Bool = true) throws -> (loss: Tensor, w: Tensor) {
        let x = try Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
        let w = try Tensor(shape: [3, 4], values: (0..<12).map { Float($0) * 0.1 })
        w.requiresGrad = true
        w.name = "w"
        let loss = try x.matmul(w).sum()
        if backwardDone { try Autograd.backward(loss) }
        return (loss, w)
    }

    /// The loss-composition picture: loss = text + 0.5 · vision, each branch
    /// in its own scope, the sum in scope "loss".
    static func lossComposition() throws -> Tensor {
        let hidden = try Tensor(shape: [2, 4], values: [0.1, -0.2, 0.3, 0.4, -0.5, 0.6, 0.7, -0.8])
        hidden.name = "hidden"
        let head = try Tensor(shape: [4, 3], values: (0..<12).map { Float($0) / 12 - 0.5 })
        head.requiresGrad = true
        head.name = "lm.head.w"
        let proj = try Tensor(shape: [4, 4], values: (0..<16).map { Float($0 % 5) / 5 - 0.3 })
        proj.requiresGrad = true
        proj.name = "vision.proj.w"
        let text = try GradMode.withScope("text") {
            try hidden.matmul(head).mul(hidden.matmul(head)).mean()
        }
        let vision = try GradMode.withScope("vision") {
            try hidden.matmul(proj).tanh().sum(axis: 1).mean()
        }
        return try GradMode.withScope("loss") {
            try text.add(vision.mul(Tensor(scalar: 0.5)))
        }
    }

    /// Four identical blocks ("block0" … "block3") in scope "lm", each
    /// h = relu(h @ w_i + b_i), then a sum.
    static func fourBlocks(width: Int = 4) throws -> Tensor {
        var h = try Tensor(shape: [2, width], values: (0..<(2 * width)).map { Float($0) / Float(2 * width) })
        h.name = "x"
        try GradMode.withScope("lm") {
            for i in 0..<4 {
                let w = try Tensor(shape: [width, width], values: (0..<(width * width)).map { Float(($0 + i) % 7) / 7 - 0.4 })
                w.requiresGrad = true
                w.name = "lm.block\(i).w"
                let b = try Tensor.zeros([width])
                b.requiresGrad = true
                b.name = "lm.block\(i).b"
                h = try GradMode.withScope("block\(i)") { try h.matmul(w).add(b).relu() }
            }
        }
        return try GradMode.withScope("loss") { try h.sum() }
    }
}

/// Compares `text` to `Snapshots/<name>`; with DVS_UPDATE_SNAPSHOTS=1 in the
/// environment, (re)writes the snapshot instead.
func assertSnapshot(_ text: String, named name: String, file: StaticString = #filePath, line: UInt = #line) {
    let dir = URL(fileURLWithPath: "\(file)").deletingLastPathComponent().appendingPathComponent("Snapshots")
    let url = dir.appendingPathComponent(name)
    if ProcessInfo.processInfo.environment["DVS_UPDATE_SNAPSHOTS"] == "1" {
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url, options: .atomic)
        } catch {
            XCTFail("could not write snapshot \(url.path): \(error)", file: file, line: line)
        }
        return
    }
    guard let data = FileManager.default.contents(atPath: url.path) else {
        XCTFail("snapshot \(url.path) is missing; run the tests with DVS_UPDATE_SNAPSHOTS=1 to create it", file: file, line: line)
        return
    }
    let expected = String(decoding: data, as: UTF8.self)
    if expected != text {
        let a = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let b = text.split(separator: "\n", omittingEmptySubsequences: false)
        let firstDiff = (0..<Swift.min(a.count, b.count)).first { a[$0] != b[$0] } ?? Swift.min(a.count, b.count)
        let want = firstDiff < a.count ? String(a[firstDiff]) : "<end>"
        let got = firstDiff < b.count ? String(b[firstDiff]) : "<end>"
        XCTFail(
            """
            DOT differs from snapshot \(name) at line \(firstDiff + 1):
              expected: \(want)
              actual:   \(got)
            (run with DVS_UPDATE_SNAPSHOTS=1 to accept the new output)
            """, file: file, line: line)
    }
}
