import XCTest

@testable import DVSTensor

final class InitTests: XCTestCase {
    override func setUp() { RandomGenerator.shared.reseed(1234) }

    private func stats(_ t: Tensor) -> (mean: Double, std: Double, min: Float, max: Float) {
        let x = t.values
        let mean = x.reduce(0.0) { $0 + Double($1) } / Double(x.count)
        let variance = x.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(x.count)
        return (mean, variance.squareRoot(), x.min()!, x.max()!)
    }

    func testFans() throws {
        XCTAssertTrue(try Init.fans([64, 196]) == (196, 64))
        XCTAssertTrue(try Init.fans([8, 4, 3, 3]) == (36, 72))  // conv: receptive field 9
        XCTAssertTrue(try Init.fans([5, 0]) == (0, 5))
        XCTAssertThrowsError(try Init.kaimingNormal(Tensor.zeros([5]))) { error in
            XCTAssertEqual((error as? TensorError)?.message, "kaimingNormal: fan in and fan out need a tensor with at least 2 dimensions, got shape [5]")
        }
    }

    func testGains() {
        XCTAssertEqual(Nonlinearity.linear.gain, 1)
        XCTAssertEqual(Nonlinearity.tanh.gain, 5.0 / 3)
        XCTAssertEqual(Nonlinearity.relu.gain, 2.0.squareRoot())
        XCTAssertEqual(Nonlinearity.leakyRelu(slope: 0).gain, 2.0.squareRoot())
        XCTAssertEqual(Nonlinearity.leakyRelu(slope: 0.2).gain, (2 / (1 + Double(Float(0.2)) * Double(Float(0.2)))).squareRoot())
        XCTAssertEqual(Nonlinearity.selu.gain, 0.75)
    }

    func testKaimingNormalStatistics() throws {
        let w = try Init.kaimingNormal(Tensor.zeros([512, 1024]))
        let s = stats(w)
        let std = (2.0 / 1024).squareRoot()
        XCTAssertEqual(s.mean, 0, accuracy: 5 * std / (512.0 * 1024).squareRoot())
        XCTAssertEqual(s.std, std, accuracy: 0.01 * std)

        let out = try Init.kaimingNormal(Tensor.zeros([256, 64, 3, 3]), mode: .fanOut, nonlinearity: .leakyRelu(slope: 0.2))
        let expected = Nonlinearity.leakyRelu(slope: 0.2).gain / Double(256 * 9).squareRoot()
        XCTAssertEqual(stats(out).std, expected, accuracy: 0.01 * expected)
    }

    func testKaimingUniformBoundsAndStatistics() throws {
        let w = try Init.kaimingUniform(Tensor.zeros([300, 1000]))
        let bound = Float((6.0 / 1000).squareRoot())
        let s = stats(w)
        XCTAssertGreaterThanOrEqual(s.min, -bound)
        XCTAssertLessThan(s.max, bound)
        XCTAssertGreaterThan(s.max, 0.99 * bound)
        XCTAssertLessThan(s.min, -0.99 * bound)
        XCTAssertEqual(s.std, Double(bound) / 3.0.squareRoot(), accuracy: 0.01 * Double(bound))
        XCTAssertEqual(s.mean, 0, accuracy: 0.01 * Double(bound))
    }

    func testXavier() throws {
        let u = try Init.xavierUniform(Tensor.zeros([400, 600]), gain: 2)
        let a = 2 * (6.0 / 1000).squareRoot()
        let su = stats(u)
        XCTAssertGreaterThanOrEqual(su.min, -Float(a))
        XCTAssertLessThan(su.max, Float(a))
        XCTAssertEqual(su.std, a / 3.0.squareRoot(), accuracy: 0.01 * a)

        let n = try Init.xavierNormal(Tensor.zeros([400, 600]))
        XCTAssertEqual(stats(n).std, (2.0 / 1000).squareRoot(), accuracy: 0.01 * (2.0 / 1000).squareRoot())
    }

    func testNormalUniformConstants() throws {
        let n = try Init.normal(Tensor.zeros([200_000]), mean: 3, std: 0.5)
        let sn = stats(n)
        XCTAssertEqual(sn.mean, 3, accuracy: 0.01)
        XCTAssertEqual(sn.std, 0.5, accuracy: 0.005)

        let u = try Init.uniform(Tensor.zeros([200_000]), low: -0.25, high: 0.75)
        let su = stats(u)
        XCTAssertGreaterThanOrEqual(su.min, -0.25)
        XCTAssertLessThan(su.max, 0.75)
        XCTAssertEqual(su.mean, 0.25, accuracy: 0.005)
        XCTAssertEqual(try Init.uniform(Tensor.zeros([3]), low: 2, high: 2).values, [2, 2, 2])

        XCTAssertEqual(try Init.ones(Tensor.zeros([2, 2])).values, [1, 1, 1, 1])
        XCTAssertEqual(try Init.zeros(Tensor.ones([3])).values, [0, 0, 0])
        XCTAssertEqual(try Init.constant(Tensor.zeros([2]), 0.5).values, [0.5, 0.5])
        XCTAssertEqual(try Init.kaimingUniform(Tensor.zeros([0, 4])).count, 0)
    }

    func testReseedRepeatsBitForBit() throws {
        func draw() throws -> [UInt32] {
            let a = try Init.kaimingUniform(Tensor.zeros([16, 8]))
            let b = try Init.xavierNormal(Tensor.zeros([8, 4]))
            let c = try Init.normal(Tensor.zeros([7]), std: 0.02)
            return (a.values + b.values + c.values).map(\.bitPattern)
        }
        RandomGenerator.shared.reseed(7)
        let first = try draw()
        RandomGenerator.shared.reseed(7)
        XCTAssertEqual(try draw(), first)
        RandomGenerator.shared.reseed(8)
        XCTAssertNotEqual(try draw(), first)
    }

    func testFillsViewsInTheirOwnRowMajorOrder() throws {
        RandomGenerator.shared.reseed(3)
        let plain = try Init.normal(Tensor.zeros([3, 4]))
        RandomGenerator.shared.reseed(3)
        let base = try Tensor.zeros([4, 3])
        let view = try base.transpose()
        try Init.normal(view)
        XCTAssertEqual(view.values, plain.values)
        XCTAssertEqual(try base.transpose().values, plain.values)

        XCTAssertThrowsError(try Init.normal(Tensor.zeros([1, 3]).expandTo([2, 3]))) { error in
            XCTAssertEqual((error as? TensorError)?.message, "normal: cannot fill an expanded tensor of shape [2,3] in place (its elements share memory)")
        }
    }

    func testErrors() throws {
        func check(_ message: String, line: UInt = #line, _ body: () throws -> Tensor) {
            XCTAssertThrowsError(try body(), line: line) { error in
                XCTAssertEqual((error as? TensorError)?.message, message, line: line)
            }
        }
        check("normal: needs a finite mean and a finite std ≥ 0, got mean 0.0, std -1.0") { try Init.normal(Tensor.zeros([2]), std: -1) }
        check("uniform: needs finite bounds with low ≤ high, got low 1.0, high 0.0") { try Init.uniform(Tensor.zeros([2]), low: 1, high: 0) }
        check("xavierUniform: gain must be a finite number ≥ 0, got -1.0") { try Init.xavierUniform(Tensor.zeros([2, 2]), gain: -1) }
        let ints = try Tensor.zeros([2, 2])
        ints.dtype = .int64
        check("kaimingUniform: needs a float tensor, got one of integers (i64)") { try Init.kaimingUniform(ints) }
    }
}
