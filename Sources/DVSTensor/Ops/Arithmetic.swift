import Foundation

/// `+ - * / **` with broadcasting, and comparisons. Each backward rule sits
/// next to its forward code; gradients of broadcast inputs are summed back to
/// the input's shape.

enum AddKernel: BinaryKernel { @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a + b } }
enum SubKernel: BinaryKernel { @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a - b } }
enum MulKernel: BinaryKernel { @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a * b } }
enum DivKernel: BinaryKernel { @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a / b } }
enum PowKernel: BinaryKernel { @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { powf(a, b) } }
enum MaxKernel: BinaryKernel { @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a >= b ? a : b } }

extension Tensor {
    public func add(_ b: Tensor) throws(TensorError) -> Tensor {
        let a = self
        return try broadcastBinary(a, b, AddKernel.self, "add").recording("add", [a, b]) { g throws(TensorError) in
            [try g.sumTo(a.shape), try g.sumTo(b.shape)]
        }
    }

    public func sub(_ b: Tensor) throws(TensorError) -> Tensor {
        let a = self
        return try broadcastBinary(a, b, SubKernel.self, "sub").recording("sub", [a, b]) { g throws(TensorError) in
            [try g.sumTo(a.shape), try g.neg().sumTo(b.shape)]
        }
    }

    public func mul(_ b: Tensor) throws(TensorError) -> Tensor {
        let a = self
        return try broadcastBinary(a, b, MulKernel.self, "mul").recording("mul", [a, b], detail: Tensor.scalarDetail("×", a, b)) { g throws(TensorError) in
            [a.needsGrad ? try g.mul(b).sumTo(a.shape) : nil, b.needsGrad ? try g.mul(a).sumTo(b.shape) : nil]
        }
    }

    public func div(_ b: Tensor) throws(TensorError) -> Tensor {
        let a = self
        return try broadcastBinary(a, b, DivKernel.self, "div").recording("div", [a, b]) { g throws(TensorError) in
            let ga = a.needsGrad ? try g.div(b).sumTo(a.shape) : nil
            let gb = b.needsGrad ? try g.mul(a).div(b.mul(b)).neg().sumTo(b.shape) : nil
            return [ga, gb]
        }
    }

    public func pow(_ b: Tensor) throws(TensorError) -> Tensor {
        let a = self
        let out = try broadcastBinary(a, b, PowKernel.self, "pow")
        let saved = out.detached()
        return out.recording("pow", [a, b], detail: Tensor.scalarDetail("**", nil, b)) { g throws(TensorError) in
            // d/da a^b = b a^(b-1);  d/db a^b = a^b ln a
            let ga = a.needsGrad ? try g.mul(b).mul(a.pow(b.sub(Tensor(scalar: 1)))).sumTo(a.shape) : nil
            let gb = b.needsGrad ? try g.mul(saved).mul(a.log()).sumTo(b.shape) : nil
            return [ga, gb]
        }
    }

    /// Elementwise maximum (no gradient through ties beyond the first operand).
    public func maximum(_ b: Tensor) throws(TensorError) -> Tensor {
        let a = self
        return try broadcastBinary(a, b, MaxKernel.self, "maximum").recording("maximum", [a, b]) { g throws(TensorError) in
            let mask = try a.compare(b, .greaterEqual)
            return [try g.mul(mask).sumTo(a.shape), try g.mul(Tensor(scalar: 1).sub(mask)).sumTo(b.shape)]
        }
    }

    /// `a + b` for gradient accumulation: same shapes, no history.
    func adding(_ b: Tensor) throws(TensorError) -> Tensor {
        try broadcastBinary(self, b, AddKernel.self, "add")
    }

    /// Graph label for multiplication by a constant: "× 0.5".
    static func scalarDetail(_ symbol: String, _ a: Tensor?, _ b: Tensor) -> String? {
        for t in [a, b].compactMap({ $0 }) where t.count == 1 && !t.needsGrad {
            return "\(symbol) \(t.storage.pointer[t.offset].description.replacingOccurrences(of: ".0", with: "", options: .anchored.union(.backwards)))"
        }
        return nil
    }

    public enum Comparison: String { case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">=" }

    /// 1 where the comparison holds, else 0 (no gradient).
    public func compare(_ b: Tensor, _ c: Comparison) throws(TensorError) -> Tensor {
        let out: Tensor
        switch c {
        case .equal: out = try broadcastBinary(self, b, EqualKernel.self, c.rawValue)
        case .notEqual: out = try broadcastBinary(self, b, NotEqualKernel.self, c.rawValue)
        case .less: out = try broadcastBinary(self, b, LessKernel.self, c.rawValue)
        case .lessEqual: out = try broadcastBinary(self, b, LessEqualKernel.self, c.rawValue)
        case .greater: out = try broadcastBinary(b, self, LessKernel.self, c.rawValue)
        case .greaterEqual: out = try broadcastBinary(b, self, LessEqualKernel.self, c.rawValue)
        }
        return out
    }
}

enum EqualKernel: BinaryKernel { @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a == b ? 1 : 0 } }
enum NotEqualKernel: BinaryKernel { @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a != b ? 1 : 0 } }
enum LessKernel: BinaryKernel { @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a < b ? 1 : 0 } }
enum LessEqualKernel: BinaryKernel { @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a <= b ? 1 : 0 } }

/// How tensors print numbers: whole numbers without decimals, others in 4
/// significant decimals (as NumPy's default, roughly).
public func formatFloat(_ x: Float) -> String {
    if x.isNaN { return "nan" }
    if x.isInfinite { return x > 0 ? "inf" : "-inf" }
    if x == x.rounded(), Swift.abs(x) < 1e7 { return String(Int(x)) }
    let a = Swift.abs(x)
    if a >= 1e-4, a < 1e7 { return String(format: "%.4f", x) }
    return String(format: "%.4e", x)
}
