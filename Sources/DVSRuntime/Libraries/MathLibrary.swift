import DVSLang
import DVSTensor
import Foundation

/// Numbers: elementary functions, rounding, min/max, seeded random numbers.
/// Functions follow IEEE rules for domain errors (sqrt(-1) is nan, log(0) is -inf).
enum MathLibrary {
    static let constants: [(String, Double)] = [("pi", Double.pi), ("e", M_E), ("inf", .infinity), ("nan", .nan)]

    /// A function of one number (given a tensor, the tensor method of the
    /// same name runs instead: `exp(t)`; see `Interpreter.defineMethods`).
    private static func unary(_ name: String, _ help: String, _ f: @escaping (Double) -> Double) -> NativeFunction {
        NativeFunction(name, [.init("x", .number)], returns: "number", help: help) { a in
            .number(f(try a.number(0)))
        }
    }

    /// min/max over arguments or over one list.
    private static func extreme(_ name: String, pickFirst: @escaping (Int) -> Bool) -> NativeFunction {
        NativeFunction(
            name, variadic: .init("values"), returns: "any",
            help: "\(name)(a, b, …) or \(name)(list): the \(name == "min" ? "smallest" : "largest") value (numbers or strings)."
        ) { a in
            var items = a.rest
            if items.count == 1, case .list(let l) = items[0] { items = l.items }
            if items.count == 1, case .range(let r) = items[0] {
                guard r.count > 0 else { throw NativeError("\(name) of an empty range") }
                let last = r.element(r.count - 1)
                items = [.number(r.start), .number(last)]
            }
            guard var best = items.first else { throw NativeError("\(name) needs at least one value") }
            if items.contains(where: { if case .number(let n) = $0 { return n.isNaN } else { return false } }) {
                return .number(.nan)  // nan is neither smaller nor larger: it wins, as in IEEE min/max propagation
            }
            for v in items.dropFirst() {
                guard let c = v.compare(to: best) else {
                    throw NativeError("\(name): cannot compare \(v.typeName) with \(best.typeName)")
                }
                if pickFirst(c) { best = v }
            }
            return best
        }
    }

    static let functions: [NativeFunction] = [
        unary("abs", "Absolute value.") { Swift.abs($0) },
        unary("sqrt", "Square root (nan for negative numbers).") { $0.squareRoot() },
        unary("exp", "e raised to x.") { Foundation.exp($0) },
        NativeFunction(
            "log", [.init("x", .number), .init("base", .number, default: .null)], returns: "number",
            help: "Natural logarithm, or logarithm to `base`: log(8, 2) == 3."
        ) { a in
            let x = try a.number(0)
            if a.isNil(1) { return .number(Foundation.log(x)) }
            let base = try a.number(1)
            if base == 2 { return .number(Foundation.log2(x)) }
            if base == 10 { return .number(Foundation.log10(x)) }
            return .number(Foundation.log(x) / Foundation.log(base))
        },
        unary("sin", "Sine (radians).") { Foundation.sin($0) },
        unary("cos", "Cosine (radians).") { Foundation.cos($0) },
        unary("tan", "Tangent (radians).") { Foundation.tan($0) },
        unary("tanh", "Hyperbolic tangent.") { Foundation.tanh($0) },
        unary("floor", "Largest whole number not above x.") { $0.rounded(.down) },
        unary("ceil", "Smallest whole number not below x.") { $0.rounded(.up) },
        NativeFunction(
            "round", [.init("x", .number), .init("digits", .whole(in: -300...300), default: .number(0))], returns: "number",
            help: "Rounds half away from zero, to `digits` decimals: round(2.5) == 3, round(3.14159, 2) == 3.14."
        ) { a in
            let x = try a.number(0)
            let digits = try a.int(1)
            if digits == 0 { return .number(x.rounded()) }
            // Whole numbers have nothing to round at positive digits; a scaled value
            // that overflows, or that is already whole, is returned as it is.
            if digits > 0, x == x.rounded() || !x.isFinite { return .number(x) }
            let scale = Foundation.pow(10, Double(digits))
            let scaled = x * scale
            guard scaled.isFinite, Swift.abs(scaled) < 4.5e15 else { return .number(x) }
            return .number(scaled.rounded() / scale)
        },
        extreme("min") { $0 < 0 },
        extreme("max") { $0 > 0 },
        NativeFunction(
            "pow", [.init("x", .oneOf([.number, .tensor])), .init("y", .oneOf([.number, .tensor]))], returns: "number",
            help: "x raised to y (same as x ** y); elementwise for tensors."
        ) { a in
            if TensorValue.operandIfTensor(a[0]) != nil || TensorValue.operandIfTensor(a[1]) != nil {
                let x = try a.tensor(0), y = try a.tensor(1)
                return try TensorValue.result { () throws(TensorError) in try x.pow(y) }
            }
            return .number(Foundation.pow(try a.number(0), try a.number(1)))
        },
        NativeFunction(
            "random", [.init("low", .number, default: .number(0)), .init("high", .number, default: .number(1))], returns: "number",
            help: "A uniform random number in [low, high) from the session generator (see seed)."
        ) { a in
            let lo = try a.number(0), hi = try a.number(1)
            return .number(lo + (hi - lo) * RandomGenerator.shared.nextDouble())
        },
        NativeFunction(
            "random_int", [.init("low", .whole), .init("high", .whole)], returns: "number",
            help: "A uniform random whole number in low..<high from the session generator."
        ) { a in
            let lo = try a.int(0), hi = try a.int(1)
            guard hi > lo else { throw NativeError("random_int needs low < high, got \(lo) and \(hi)") }
            return .number(Double(lo + Int(RandomGenerator.shared.nextInt(below: UInt64(hi - lo)))))
        },
        NativeFunction(
            "seed", [.init("n", .whole)], returns: "nil",
            help:
                "Seeds the random generator behind random, random_int, random tensors, initializers and dropout: the same seed gives the same numbers, bit for bit."
        ) { a in
            let n = try a.int(0)
            RandomGenerator.shared.reseed(UInt64(bitPattern: Int64(n)))
            return .null
        },
    ]
}
