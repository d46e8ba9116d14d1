import Foundation

/// Elementwise functions of one tensor, each with its derivative.

enum NegKernel: UnaryKernel { @inline(__always) static func apply(_ x: Float) -> Float { -x } }
enum ExpKernel: UnaryKernel { @inline(__always) static func apply(_ x: Float) -> Float { expf(x) } }
enum LogKernel: UnaryKernel { @inline(__always) static func apply(_ x: Float) -> Float { logf(x) } }
enum SqrtKernel: UnaryKernel { @inline(__always) static func apply(_ x: Float) -> Float { x.squareRoot() } }
enum AbsKernel: UnaryKernel { @inline(__always) static func apply(_ x: Float) -> Float { Swift.abs(x) } }
enum SignKernel: UnaryKernel { @inline(__always) static func apply(_ x: Float) -> Float { x > 0 ? 1 : (x < 0 ? -1 : 0) } }
enum TanhKernel: UnaryKernel { @inline(__always) static func apply(_ x: Float) -> Float { tanhf(x) } }
enum SigmoidKernel: UnaryKernel { @inline(__always) static func apply(_ x: Float) -> Float { 1 / (1 + expf(-x)) } }
enum ReluKernel: UnaryKernel { @inline(__always) static func apply(_ x: Float) -> Float { x > 0 ? x : 0 } }
enum StepKernel: UnaryKernel { @inline(__always) static func apply(_ x: Float) -> Float { x > 0 ? 1 : 0 } }

extension Tensor {
    public func neg() throws(TensorError) -> Tensor {
        try mapUnary(self, NegKernel.self).recording("neg", [self]) { g throws(TensorError) in [try g.neg()] }
    }

    public func exp() throws(TensorError) -> Tensor {
        let out = try mapUnary(self, ExpKernel.self)
        let saved = out.detached()  // not `out` itself: that would make out → gradFn → closure → out a cycle
        return out.recording("exp", [self]) { g throws(TensorError) in [try g.mul(saved)] }
    }

    public func log() throws(TensorError) -> Tensor {
        let a = self
        return try mapUnary(a, LogKernel.self).recording("log", [a]) { g throws(TensorError) in [try g.div(a)] }
    }

    public func sqrt() throws(TensorError) -> Tensor {
        let out = try mapUnary(self, SqrtKernel.self)
        let saved = out.detached()
        return out.recording("sqrt", [self]) { g throws(TensorError) in [try g.div(saved.mul(Tensor(scalar: 2)))] }
    }

    public func abs() throws(TensorError) -> Tensor {
        let a = self
        return try mapUnary(a, AbsKernel.self).recording("abs", [a]) { g throws(TensorError) in [try g.mul(try mapUnary(a, SignKernel.self))] }
    }

    public func tanh() throws(TensorError) -> Tensor {
        let out = try mapUnary(self, TanhKernel.self)
        let saved = out.detached()
        return out.recording("tanh", [self]) { g throws(TensorError) in
            [try g.mul(Tensor(scalar: 1).sub(saved.mul(saved)))]
        }
    }

    public func sigmoid() throws(TensorError) -> Tensor {
        let out = try mapUnary(self, SigmoidKernel.self)
        let saved = out.detached()
        return out.recording("sigmoid", [self]) { g throws(TensorError) in
            [try g.mul(saved.mul(Tensor(scalar: 1).sub(saved)))]
        }
    }

    public func relu() throws(TensorError) -> Tensor {
        let a = self
        return try mapUnary(a, ReluKernel.self).recording("relu", [a]) { g throws(TensorError) in [try g.mul(try mapUnary(a, StepKernel.self))] }
    }
}
