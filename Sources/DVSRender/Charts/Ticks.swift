import Foundation

/// Tick marks of one axis: where the labelled ticks go, their labels, the
/// unlabelled minor ticks (log axes), and the range the axis spans.
public struct TickSet: Equatable, Sendable {
    /// Positions of the labelled ticks, ascending, in data units.
    public var values: [Double]
    /// One label per value (see `Ticks.label(_:step:)`).
    public var labels: [String]
    /// Unlabelled ticks (log axes: 2…9 × each decade when the axis spans few decades).
    public var minor: [Double]
    /// The span the axis should cover: a loose range that starts and ends on a
    /// tick (Heckbert's "loose labeling"), or the data range for `inside` ticks.
    public var lower: Double
    public var upper: Double
}

/// "Nice numbers" tick placement (Heckbert, *Graphics Gems* 1990): steps are
/// 1, 2 or 5 × 10^k, and labels carry just the decimals the step needs.
///
/// Rules:
/// - Linear: the step is `nice(nice(max − min) / (count − 1))`, rounded to
///   1, 2, 5 or 10 × 10^k; the axis runs from `floor(min / step) · step` to
///   `ceil(max / step) · step`. `0…1` gives 0, 0.2, …, 1; `0…97` gives 0, 20, …, 100.
/// - A single value `v` (or a span below 1e-12·|v|) is widened to `v ± |v|/10`
///   (`−1…1` for 0); non-finite bounds fall back to `0…1`; bounds beyond
///   ±1e307 are clamped there.
/// - Log: ticks on decades from `10^floor(log10 min)` to `10^ceil(log10 max)`;
///   more than `count + 2` decades keep every k-th decade; with at most two
///   decades, 2 and 5 × 10^k are labelled too. Decades get minor ticks at
///   2…9 × 10^k when the axis spans up to 6 decades. Bounds must be positive
///   (non-positive ones fall back to `1…10`).
/// - Labels: tick values are computed as `i · step` (never accumulated) and
///   printed with the step's decimals, trailing zeros dropped, so 0.1 + 0.2
///   shows "0.3". Values of 10,000 and more (1,000 and more when the step is
///   at least 1,000) use k (thousands), M (millions) and G (billions) when the
///   step is at least a hundredth of that unit: "20k", "1.5M", but
///   "10000.0002"; 10^12 and more, or axes whose largest tick is below 0.001,
///   use exponent form: "2e-5", "1.5e12".
public enum Ticks {
    /// Heckbert's nice number: a 1, 2, 5 or 10 × 10^k near `x`; `round` picks
    /// the closest, otherwise the smallest nice number ≥ `x`.
    public static func niceNumber(_ x: Double, round: Bool) -> Double {
        guard x > 0, x.isFinite else { return 1 }
        let exponent = Foundation.floor(Foundation.log10(x))
        let power = Foundation.pow(10, exponent)
        let fraction = x / power
        let nice: Double
        if round {
            nice = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10
        } else {
            nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
        }
        return nice * power
    }

    /// Ticks for a linear axis covering `min…max`, about `count` of them
    /// (Heckbert's loose labeling: the axis is widened to the outer ticks).
    public static func linear(min: Double, max: Double, count: Int = 5) -> TickSet {
        niceTicks(min: min, max: max, count: count, widen: true)
    }

    /// Ticks for a linear axis that keeps exactly `min…max` (a color bar):
    /// only the nice ticks inside the range are listed.
    public static func inside(min: Double, max: Double, count: Int = 5) -> TickSet {
        niceTicks(min: min, max: max, count: count, widen: false)
    }

    /// Nice ticks at multiples of the step: from the one at or below `min` to the
    /// one at or above `max` when widening, else only those inside the range.
    private static func niceTicks(min: Double, max: Double, count: Int, widen: Bool) -> TickSet {
        let (lo, hi) = widened(min, max)
        let step = linearStep(lo, hi, count: count)
        let first = widen ? Foundation.floor(nudged(lo / step, up: true)) : Foundation.ceil(nudged(lo / step, up: false))
        let last = widen ? Foundation.ceil(nudged(hi / step, up: false)) : Foundation.floor(nudged(hi / step, up: true))
        guard first.isFinite, last.isFinite, last - first <= 1000 else {
            return TickSet(values: [lo, hi], labels: labels([lo, hi], step: hi - lo), minor: [], lower: lo, upper: hi)
        }
        var values: [Double] = []
        var i = first
        while i <= last + 0.5 {
            values.append(tickValue(i, step))
            i += 1
        }
        return TickSet(
            values: values, labels: labels(values, step: step), minor: [],
            lower: widen ? values.first ?? lo : lo, upper: widen ? values.last ?? hi : hi)
    }

    /// Ticks for a log-scale axis covering `min…max` (both > 0), on decades.
    public static func log(min: Double, max: Double, count: Int = 5) -> TickSet {
        var lo = min, hi = max
        if !(lo > 0) || !lo.isFinite || !(hi > 0) || !hi.isFinite { lo = 1; hi = 10 }
        if lo > hi { swap(&lo, &hi) }
        var e0 = Int(Foundation.floor(Foundation.log10(lo) + 1e-9))
        var e1 = Int(Foundation.ceil(Foundation.log10(hi) - 1e-9))
        if e0 == e1 { e0 -= 1; e1 += 1 }
        e0 = Swift.max(e0, -300); e1 = Swift.min(e1, 300)
        let decades = e1 - e0
        var every = 1
        while decades / every > Swift.max(count, 2) + 2 { every += 1 }
        // Start on a multiple of `every` so labels read 1e-6, 1e-3, 1, 1e3…
        let start = Int(Foundation.floor(Double(e0) / Double(every))) * every
        let end = Int(Foundation.ceil(Double(e1) / Double(every))) * every
        var values: [Double] = []
        var minor: [Double] = []
        var e = start
        while e <= end {
            values.append(decade(e))
            e += every
        }
        if decades <= 2 && every == 1 {
            var withHalves: [Double] = []
            for e in start...end {
                withHalves.append(decade(e))
                if e < end { withHalves.append(2 * decade(e)); withHalves.append(5 * decade(e)) }
            }
            values = withHalves
        }
        if every == 1 && decades <= 6 {
            for e in start..<end {
                for m in 2...9 where !(decades <= 2 && (m == 2 || m == 5)) {
                    minor.append(Double(m) * decade(e))
                }
            }
        }
        return TickSet(
            values: values, labels: values.map(logLabel), minor: minor,
            lower: decade(start), upper: decade(end))
    }

    /// The label of `value` on an axis whose step is `step` (see the rules above).
    public static func label(_ value: Double, step: Double) -> String {
        format(value, step: step, exponentForm: false)
    }

    /// Labels of a whole axis: exponent form when the largest tick is below 0.001.
    public static func labels(_ values: [Double], step: Double) -> [String] {
        let largest = values.map { Swift.abs($0) }.max() ?? 0
        let small = largest > 0 && largest < 1e-3
        return values.map { format($0, step: step, exponentForm: small) }
    }

    // MARK: - Internals

    /// The span an axis needs for data `min…max`: ordered, within ±1e307 (so
    /// the width stays finite), a single value (or a span below 1e-12 of its
    /// size, or below 1e-290) widened to v ± |v|/10, or −1…1 around 0.
    static func widened(_ min: Double, _ max: Double) -> (Double, Double) {
        var lo = min, hi = max
        if !lo.isFinite || !hi.isFinite { return (0, 1) }
        if lo > hi { swap(&lo, &hi) }
        lo = Swift.max(lo, -1e307)
        hi = Swift.min(hi, 1e307)
        let scale = Swift.max(Swift.abs(lo), Swift.abs(hi))
        if hi - lo <= 1e-12 * scale || hi - lo < 1e-290 {
            let v = lo / 2 + hi / 2
            if Swift.abs(v) < 1e-290 { return (-1, 1) }
            return (v - Swift.abs(v) / 10, v + Swift.abs(v) / 10)
        }
        return (lo, hi)
    }

    /// `q` moved by a relative 1e-9 so a quotient like 1 / 2e-5 =
    /// 49999.99999999999 still counts as the whole number it means.
    static func nudged(_ q: Double, up: Bool) -> Double {
        let tolerance = 1e-9 * Swift.max(1, Swift.abs(q))
        return up ? q + tolerance : q - tolerance
    }

    static func linearStep(_ lo: Double, _ hi: Double, count: Int) -> Double {
        let n = Swift.max(count, 2)
        let range = niceNumber(hi - lo, round: false)
        return niceNumber(range / Double(n - 1), round: true)
    }

    /// `i · step` without float noise: when the step is below 1, divide by its
    /// (exact) inverse power of ten instead of multiplying by an inexact fraction.
    static func tickValue(_ i: Double, _ step: Double) -> Double {
        if i == 0 { return 0 }
        let exponent = Foundation.floor(Foundation.log10(step) + 1e-9)
        if exponent < 0 {
            let power = Foundation.pow(10, -exponent)  // exact up to 10^22
            let mantissa = (step * power).rounded()  // 1, 2, 5 or 10
            return i * mantissa / power
        }
        return i * step
    }

    static func decade(_ e: Int) -> Double {
        e >= 0 ? Foundation.pow(10, Double(e)) : 1 / Foundation.pow(10, Double(-e))
    }

    /// Decimal text of `value` rounded to `decimals` places, trailing zeros dropped.
    static func fixed(_ value: Double, decimals: Int) -> String {
        var text = String(format: "%.\(Swift.max(0, Swift.min(decimals, 17)))f", value)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        if text == "-0" { text = "0" }
        return text
    }

    /// Decimals needed to tell apart ticks `step` apart, in units of `unit`.
    static func decimals(step: Double, unit: Double) -> Int {
        guard step > 0, step.isFinite else { return 0 }
        let d = -Foundation.floor(Foundation.log10(step / unit) + 1e-9)
        return Swift.max(0, Int(d))
    }

    static func format(_ value: Double, step: Double, exponentForm: Bool) -> String {
        if value == 0 { return "0" }
        if !value.isFinite { return value.isNaN ? "NaN" : (value > 0 ? "∞" : "-∞") }
        let magnitude = Swift.abs(value)
        if exponentForm || magnitude >= 1e12 { return exponential(value, step: step) }
        let units: [(Double, String)] = [(1e9, "G"), (1e6, "M"), (1e3, "k")]
        if magnitude >= 1e4 || (magnitude >= 1e3 && step >= 1e3) {
            for (unit, suffix) in units where magnitude >= unit && step >= unit / 100 {
                return fixed(value / unit, decimals: decimals(step: step, unit: unit)) + suffix
            }
        }
        return fixed(value, decimals: decimals(step: step, unit: 1))
    }

    /// "2e-5", "1.5e12": a mantissa with the decimals the step needs.
    static func exponential(_ value: Double, step: Double) -> String {
        let magnitude = Swift.abs(value)
        var exponent = Int(Foundation.floor(Foundation.log10(magnitude) + 1e-9))
        var digits = Swift.max(0, exponent - Int(Foundation.floor(Foundation.log10(Swift.max(step, magnitude * 1e-15)) + 1e-9)))
        digits = Swift.min(digits, 15)
        var mantissa = fixed(value / decade(exponent), decimals: digits)
        if mantissa == "10" || mantissa == "-10" {
            exponent += 1
            mantissa = value < 0 ? "-1" : "1"
        }
        return "\(mantissa)e\(exponent)"
    }

    /// Log-axis labels: plain decimals from 0.001 to 9,999, k/M/G up to 10^11,
    /// exponent form beyond ("1e-6", "1e15").
    static func logLabel(_ value: Double) -> String {
        let magnitude = Swift.abs(value)
        let e = Int(Foundation.floor(Foundation.log10(magnitude) + 1e-9))
        if e < -3 || e >= 12 { return exponential(value, step: decade(e)) }
        return format(value, step: decade(e), exponentForm: false)
    }
}
