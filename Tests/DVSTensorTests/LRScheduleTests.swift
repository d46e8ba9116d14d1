import XCTest

@testable import DVSTensor

final class LRScheduleTests: XCTestCase {
    func testWarmupCosine() throws {
        let s = try LRSchedule.warmupCosine(peak: 1e-3, minLR: 1e-5, warmup: 100, total: 1000)
        XCTAssertEqual(s.lr(at: 0), 0)
        XCTAssertEqual(s.lr(at: -3), 0)
        XCTAssertEqual(s.lr(at: 50), Float(Double(Float(1e-3)) * 0.5))  // mid-warmup
        XCTAssertEqual(s.lr(at: 99), Float(Double(Float(1e-3)) * 0.99))
        XCTAssertEqual(s.lr(at: 100), 1e-3)  // end of warmup: peak
        let peak = Double(Float(1e-3)), floor = Double(Float(1e-5))
        XCTAssertEqual(s.lr(at: 550), Float(floor + (peak - floor) * 0.5))  // halfway through the decay
        XCTAssertEqual(s.lr(at: 325), Float(floor + (peak - floor) * 0.5 * (1 + cos(Double.pi / 4))))
        XCTAssertEqual(s.lr(at: 1000), 1e-5)  // end
        XCTAssertEqual(s.lr(at: 5000), 1e-5)
        // Monotone: up through warmup, down after.
        for step in 1...100 { XCTAssertGreaterThan(s.lr(at: step), s.lr(at: step - 1)) }
        for step in 101...1000 { XCTAssertLessThanOrEqual(s.lr(at: step), s.lr(at: step - 1)) }
    }

    func testOtherSchedules() throws {
        let c = try LRSchedule.constant(3e-4)
        XCTAssertEqual([0, 10, 1_000_000].map(c.lr(at:)), [3e-4, 3e-4, 3e-4])

        let w = try LRSchedule.linearWarmup(peak: 0.1, warmup: 10)
        XCTAssertEqual(w.lr(at: 0), 0)
        XCTAssertEqual(w.lr(at: 5), Float(Double(Float(0.1)) * 0.5))
        XCTAssertEqual(w.lr(at: 10), 0.1)
        XCTAssertEqual(w.lr(at: 11), 0.1)

        let k = try LRSchedule.cosine(peak: 1, minLR: 0.1, total: 100)
        XCTAssertEqual(k.lr(at: 0), 1)
        XCTAssertEqual(k.lr(at: 50), Float(0.1 + 0.9 * 0.5), accuracy: 1e-7)
        XCTAssertEqual(k.lr(at: 100), 0.1)
        XCTAssertEqual(k.lr(at: 200), 0.1)

        let noWarmup = try LRSchedule.warmupCosine(peak: 2, warmup: 0, total: 4)
        XCTAssertEqual((0...4).map(noWarmup.lr(at:)), [2, Float(1 + cos(Double.pi / 4)), 1, Float(1 + cos(3 * Double.pi / 4)), 0])
    }

    func testDrivesAnOptimizer() throws {
        let p = try Tensor.zeros([1])
        let opt = try SGD([p], lr: 0)
        let s = try LRSchedule.warmupCosine(peak: 1, warmup: 2, total: 4)
        var seen: [Float] = []
        for _ in 0..<5 {
            opt.lr = s.lr(at: opt.stepCount)
            seen.append(opt.lr)
            p.grad = try Tensor.ones([1])
            try opt.step()
        }
        XCTAssertEqual(seen, [0, 0.5, 1, 0.5, 0])
    }

    func testErrors() {
        func check(_ message: String, line: UInt = #line, _ body: () throws -> LRSchedule) {
            XCTAssertThrowsError(try body(), line: line) { error in
                XCTAssertEqual((error as? TensorError)?.message, message, line: line)
            }
        }
        check("warmupCosine schedule: total (100) must be greater than warmup (100)") { try .warmupCosine(peak: 1, warmup: 100, total: 100) }
        check("warmupCosine schedule: minLR must be a finite number in [0, peak 0.001], got 0.01") {
            try .warmupCosine(peak: 1e-3, minLR: 1e-2, warmup: 1, total: 10)
        }
        check("warmupCosine schedule: warmup must be ≥ 0 steps, got -1") { try .warmupCosine(peak: 1, warmup: -1, total: 10) }
        check("cosine schedule: total must be > 0 steps, got 0") { try .cosine(peak: 1, total: 0) }
        check("constant schedule: peak learning rate must be a finite number ≥ 0, got -1.0") { try .constant(-1) }
        check("linearWarmup schedule: peak learning rate must be a finite number ≥ 0, got nan") { try .linearWarmup(peak: .nan, warmup: 3) }
    }
}
