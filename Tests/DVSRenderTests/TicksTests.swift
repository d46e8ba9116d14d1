import DVSRender
import XCTest

final class ChartTicksTests: XCTestCase {
    func testUnitRange() {
        let t = Ticks.linear(min: 0, max: 1)
        XCTAssertEqual(t.values, [0, 0.2, 0.4, 0.6, 0.8, 1])
        XCTAssertEqual(t.labels, ["0", "0.2", "0.4", "0.6", "0.8", "1"])
        XCTAssertEqual(t.lower, 0)
        XCTAssertEqual(t.upper, 1)
    }

    func testLooseRangeRoundsOutward() {
        let t = Ticks.linear(min: 0, max: 97)
        XCTAssertEqual(t.values, [0, 20, 40, 60, 80, 100])
        XCTAssertEqual(t.labels, ["0", "20", "40", "60", "80", "100"])
        XCTAssertEqual(t.upper, 100)
        let u = Ticks.linear(min: 3.2, max: 8.9)
        XCTAssertEqual(u.values, [2, 4, 6, 8, 10])
    }

    func testNiceNumbers() {
        XCTAssertEqual(Ticks.niceNumber(0.25, round: true), 0.2)
        XCTAssertEqual(Ticks.niceNumber(97, round: false), 100)
        XCTAssertEqual(Ticks.niceNumber(4, round: true), 5)
        XCTAssertEqual(Ticks.niceNumber(1.2, round: false), 2)
        XCTAssertEqual(Ticks.niceNumber(8, round: true), 10)
        XCTAssertEqual(Ticks.niceNumber(0, round: true), 1)
        XCTAssertEqual(Ticks.niceNumber(.nan, round: true), 1)
    }

    func testNoFloatNoise() {
        // 0.1 + 0.2 = 0.30000000000000004 must read 0.3, and ticks hit exact decimals.
        XCTAssertEqual(Ticks.label(0.1 + 0.2, step: 0.1), "0.3")
        let t = Ticks.linear(min: 0.1, max: 0.5)
        XCTAssertEqual(t.labels, ["0.1", "0.2", "0.3", "0.4", "0.5"])
        XCTAssertEqual(t.values, [0.1, 0.2, 0.3, 0.4, 0.5])
        for label in Ticks.linear(min: -0.37, max: 2.91, count: 8).labels {
            XCTAssertLessThanOrEqual(label.count, 4, label)
        }
    }

    func testNegativeRanges() {
        let t = Ticks.linear(min: -1, max: 1)
        XCTAssertEqual(t.values, [-1, -0.5, 0, 0.5, 1])
        XCTAssertEqual(t.labels, ["-1", "-0.5", "0", "0.5", "1"])
        let u = Ticks.linear(min: -97, max: -3)
        XCTAssertEqual(u.values, [-100, -80, -60, -40, -20, 0])
        XCTAssertEqual(u.labels.first, "-100")
        // Bounds given the wrong way round are accepted.
        XCTAssertEqual(Ticks.linear(min: 1, max: 0).values, [0, 0.2, 0.4, 0.6, 0.8, 1])
    }

    func testTinyRange() {
        let t = Ticks.linear(min: 1, max: 1.0001)
        XCTAssertEqual(t.labels, ["1", "1.00002", "1.00004", "1.00006", "1.00008", "1.0001"])
        XCTAssertEqual(Set(t.labels).count, t.labels.count, "labels must differ")
        XCTAssertEqual(t.lower, 1)
        XCTAssertEqual(t.upper, 1.0001, accuracy: 1e-15)
    }

    func testSingleValueRanges() {
        let zero = Ticks.linear(min: 0, max: 0)
        XCTAssertEqual(zero.values, [-1, -0.5, 0, 0.5, 1])
        let five = Ticks.linear(min: 5, max: 5)
        XCTAssertLessThanOrEqual(five.lower, 5)
        XCTAssertGreaterThanOrEqual(five.upper, 5)
        XCTAssertLessThan(five.lower, five.upper)
        XCTAssertTrue(five.values.count >= 3, "\(five.values)")
        XCTAssertEqual(Set(five.labels).count, five.labels.count, "\(five.labels)")
        let big = Ticks.linear(min: -3e6, max: -3e6)
        XCTAssertLessThan(big.lower, -3e6)
        XCTAssertGreaterThan(big.upper, -3e6)
        let log = Ticks.log(min: 10, max: 10)
        XCTAssertEqual(log.lower, 1)
        XCTAssertEqual(log.upper, 100)
    }

    func testNonFiniteBoundsFallBack() {
        XCTAssertEqual(Ticks.linear(min: .nan, max: 1).values, [0, 0.2, 0.4, 0.6, 0.8, 1])
        XCTAssertEqual(Ticks.linear(min: 0, max: .infinity).values, [0, 0.2, 0.4, 0.6, 0.8, 1])
        XCTAssertEqual(Ticks.log(min: -1, max: 5).lower, 1)
    }

    func testLargeValuesUseUnits() {
        XCTAssertEqual(Ticks.linear(min: 0, max: 100_000).labels, ["0", "20k", "40k", "60k", "80k", "100k"])
        XCTAssertEqual(Ticks.linear(min: 0, max: 2_500_000).labels, ["0", "1M", "2M", "3M"])
        XCTAssertEqual(Ticks.linear(min: 0, max: 2_000_000).labels, ["0", "500k", "1M", "1.5M", "2M"])
        XCTAssertEqual(Ticks.linear(min: 0, max: 5e9).labels, ["0", "1G", "2G", "3G", "4G", "5G"])
        XCTAssertEqual(Ticks.linear(min: 0, max: 4e13).labels, ["0", "1e13", "2e13", "3e13", "4e13"])
        XCTAssertEqual(Ticks.linear(min: 0, max: 800).labels, ["0", "200", "400", "600", "800"])
        // A tiny step on a big value keeps its digits instead of "10.0002k".
        XCTAssertEqual(Ticks.linear(min: 10000, max: 10000.001).labels.last, "10000.001")
        XCTAssertEqual(Ticks.label(2000, step: 1000), "2k")
        XCTAssertEqual(Ticks.label(1_500_000, step: 500_000), "1.5M")
        XCTAssertEqual(Ticks.label(1500, step: 100), "1500")
    }

    func testSmallValuesUseExponents() {
        XCTAssertEqual(Ticks.linear(min: 0, max: 1e-4).labels, ["0", "2e-5", "4e-5", "6e-5", "8e-5", "1e-4"])
        XCTAssertEqual(Ticks.linear(min: 0, max: 0.01).labels, ["0", "0.002", "0.004", "0.006", "0.008", "0.01"])
        XCTAssertEqual(Ticks.labels([0, 1.5e-5, 3e-5], step: 5e-6), ["0", "1.5e-5", "3e-5"])
        // Exponent form is chosen per axis: values near 1 with a tiny step stay decimal.
        XCTAssertEqual(Ticks.labels([1, 1.00002], step: 2e-5), ["1", "1.00002"])
    }

    func testLogDecades() {
        let t = Ticks.log(min: 1e-3, max: 1e3)
        XCTAssertEqual(t.values, [1e-3, 1e-2, 1e-1, 1, 10, 100, 1000])
        XCTAssertEqual(t.labels, ["0.001", "0.01", "0.1", "1", "10", "100", "1k"])
        XCTAssertEqual(t.lower, 1e-3)
        XCTAssertEqual(t.upper, 1e3)
        XCTAssertEqual(t.minor.count, 6 * 8, "2…9 in each of six decades")
        XCTAssertTrue(t.minor.contains(where: { abs($0 - 0.002) < 1e-12 }))
    }

    func testLogRoundsOutToDecades() {
        let t = Ticks.log(min: 0.37, max: 420)
        XCTAssertEqual(t.lower, 0.1)
        XCTAssertEqual(t.upper, 1000)
        XCTAssertEqual(t.labels, ["0.1", "1", "10", "100", "1k"])
    }

    func testLogFewDecadesLabels125() {
        let t = Ticks.log(min: 2, max: 80)
        XCTAssertEqual(t.values, [1, 2, 5, 10, 20, 50, 100])
        XCTAssertEqual(t.labels, ["1", "2", "5", "10", "20", "50", "100"])
        XCTAssertFalse(t.minor.contains(2))
        XCTAssertTrue(t.minor.contains(3))
    }

    func testLogManyDecadesSkips() {
        let t = Ticks.log(min: 1e-12, max: 1e12)
        XCTAssertLessThanOrEqual(t.values.count, 9)
        XCTAssertTrue(t.values.contains(1))
        XCTAssertEqual(t.labels.first, "1e-12")
        XCTAssertEqual(t.labels.last, "1e12")
        XCTAssertTrue(t.minor.isEmpty)
        XCTAssertEqual(Ticks.log(min: 1e-8, max: 1e-6).labels.first, "1e-8")
    }

    func testInsideKeepsTheRange() {
        let t = Ticks.inside(min: 0.13, max: 0.91)
        XCTAssertEqual(t.lower, 0.13)
        XCTAssertEqual(t.upper, 0.91)
        XCTAssertEqual(t.values, [0.2, 0.4, 0.6, 0.8])
        XCTAssertEqual(t.labels, ["0.2", "0.4", "0.6", "0.8"])
    }
}
