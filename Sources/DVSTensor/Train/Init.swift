import Foundation

/// Which fan Kaiming initialization scales by: `fanIn` keeps the variance of
/// activations in the forward pass, `fanOut` that of gradients in the backward pass.
public enum FanMode: Sendable {
    case fanIn, fanOut
}

/// The activation a layer feeds, for the recommended initialization gain
/// (PyTorch's `torch.nn.init.calculate_gain`).
public enum Nonlinearity: Equatable, Sendable {
    case linear, sigmoid, tanh, relu, selu
    /// Leaky ReLU with the given negative slope (0 is plain ReLU).
    case leakyRelu(slope: Float)

    /// linear, sigmoid: 1; tanh: 5/3; relu: √2; leakyRelu(s): √(2 / (1 + s²)); selu: 3/4.
    public var gain: Double {
        switch self {
        case .linear, .sigmoid: return 1
        case .tanh: return 5.0 / 3
        case .relu: return 2.0.squareRoot()
        case .leakyRelu(let slope):
            let s = Double(slope)
            return (2 / (1 + s * s)).squareRoot()
        case .selu: return 3.0 / 4
        }
    }
}

/// Parameter initializers, as PyTorch's `torch.nn.init`. Each fills a tensor
/// in place (elements in row-major order, so a strided view is filled through
/// its layout) and returns it, so `try Init.kaimingUniform(Tensor.zeros([64, 196]))`
/// makes a new initialized weight. Random ones draw from `RandomGenerator.shared`,
/// so after `reseed(n)` they produce the same bits. Initialization records no
/// autograd history. A tensor with no elements is left as it is.
///
/// Fans follow PyTorch: a weight of shape [out, in, k₁, k₂, …] has
/// fan_in = in·k₁·k₂·…, fan_out = out·k₁·k₂·… (the receptive field multiplies
/// both); tensors of rank < 2 have no fans.
public enum Init {
    /// (fan_in, fan_out) of a weight shape; an error for rank < 2.
    public static func fans(_ shape: [Int], _ op: String = "fans") throws(TensorError) -> (fanIn: Int, fanOut: Int) {
        guard shape.count >= 2 else {
            throw TensorError("\(op): fan in and fan out need a tensor with at least 2 dimensions, got shape \(shapeText(shape))")
        }
        let receptiveField = shape[2...].reduce(1, *)
        return (shape[1] * receptiveField, shape[0] * receptiveField)
    }

    @discardableResult
    public static func zeros(_ t: Tensor) throws(TensorError) -> Tensor { try constant(t, 0) }

    @discardableResult
    public static func ones(_ t: Tensor) throws(TensorError) -> Tensor { try constant(t, 1) }

    @discardableResult
    public static func constant(_ t: Tensor, _ value: Float) throws(TensorError) -> Tensor {
        try fill(t, "constant") { value }
    }

    /// Samples of N(mean, std²); std ≥ 0.
    @discardableResult
    public static func normal(_ t: Tensor, mean: Float = 0, std: Float = 1) throws(TensorError) -> Tensor {
        try normal(t, mean: mean, std: std, fresh: false)
    }

    /// `normal`; with `fresh` (a tensor nobody else sees yet, as in `randn`)
    /// a large fill stops at Ctrl-C with `TensorError.interrupted`, leaving
    /// the random generator where it was.
    static func normal(_ t: Tensor, mean: Float, std: Float, fresh: Bool) throws(TensorError) -> Tensor {
        guard mean.isFinite, std.isFinite, std >= 0 else {
            throw TensorError("normal: needs a finite mean and a finite std ≥ 0, got mean \(mean), std \(std)")
        }
        return try normal(t, mean: Double(mean), std: Double(std), "normal", cancellable: fresh)
    }

    /// Samples of U(low, high): every value satisfies low ≤ x < high (x = low when they are equal).
    @discardableResult
    public static func uniform(_ t: Tensor, low: Float = 0, high: Float = 1) throws(TensorError) -> Tensor {
        try uniform(t, low: low, high: high, fresh: false)
    }

    /// `uniform`; `fresh` as for `normal(_:mean:std:fresh:)`.
    static func uniform(_ t: Tensor, low: Float, high: Float, fresh: Bool) throws(TensorError) -> Tensor {
        guard low.isFinite, high.isFinite, low <= high else {
            throw TensorError("uniform: needs finite bounds with low ≤ high, got low \(low), high \(high)")
        }
        return try uniform(t, low: Double(low), high: Double(high), "uniform", cancellable: fresh)
    }

    /// U(−a, a) with a = gain·√(6 / (fan_in + fan_out)) (Glorot & Bengio).
    @discardableResult
    public static func xavierUniform(_ t: Tensor, gain: Float = 1) throws(TensorError) -> Tensor {
        let std = try xavierStd(t, gain, "xavierUniform")
        let a = 3.0.squareRoot() * std
        return try uniform(t, low: -a, high: a, "xavierUniform")
    }

    /// N(0, std²) with std = gain·√(2 / (fan_in + fan_out)).
    @discardableResult
    public static func xavierNormal(_ t: Tensor, gain: Float = 1) throws(TensorError) -> Tensor {
        let std = try xavierStd(t, gain, "xavierNormal")
        return try normal(t, mean: 0, std: std, "xavierNormal")
    }

    /// U(−b, b) with b = gain·√(3 / fan) (He et al.); fan is fan_in or fan_out
    /// by `mode`, gain that of `nonlinearity`. PyTorch's default
    /// (`a = 0`, `leaky_relu`) is `.relu` here, or `.leakyRelu(slope: a)`.
    @discardableResult
    public static func kaimingUniform(_ t: Tensor, mode: FanMode = .fanIn, nonlinearity: Nonlinearity = .relu) throws(TensorError) -> Tensor {
        let std = try kaimingStd(t, mode, nonlinearity, "kaimingUniform")
        let bound = 3.0.squareRoot() * std
        return try uniform(t, low: -bound, high: bound, "kaimingUniform")
    }

    /// N(0, std²) with std = gain / √fan (He et al.); see `kaimingUniform`.
    @discardableResult
    public static func kaimingNormal(_ t: Tensor, mode: FanMode = .fanIn, nonlinearity: Nonlinearity = .relu) throws(TensorError) -> Tensor {
        let std = try kaimingStd(t, mode, nonlinearity, "kaimingNormal")
        return try normal(t, mean: 0, std: std, "kaimingNormal")
    }

    // MARK: - Helpers

    private static func xavierStd(_ t: Tensor, _ gain: Float, _ op: String) throws(TensorError) -> Double {
        guard gain.isFinite, gain >= 0 else { throw TensorError("\(op): gain must be a finite number ≥ 0, got \(gain)") }
        let (fanIn, fanOut) = try fans(t.shape, op)
        if fanIn + fanOut == 0 { return 0 }
        return Double(gain) * (2 / Double(fanIn + fanOut)).squareRoot()
    }

    private static func kaimingStd(_ t: Tensor, _ mode: FanMode, _ nonlinearity: Nonlinearity, _ op: String) throws(TensorError) -> Double {
        if case .leakyRelu(let slope) = nonlinearity, !slope.isFinite {
            throw TensorError("\(op): leaky ReLU slope must be finite, got \(slope)")
        }
        let (fanIn, fanOut) = try fans(t.shape, op)
        let fan = mode == .fanIn ? fanIn : fanOut
        if fan == 0 { return 0 }  // no elements: nothing is drawn
        return nonlinearity.gain / Double(fan).squareRoot()
    }

    private static func normal(_ t: Tensor, mean: Double, std: Double, _ op: String, cancellable: Bool = false) throws(TensorError) -> Tensor {
        try checkFloat(t, op)
        let rng = RandomGenerator.shared
        return try fill(t, op, cancellable: cancellable) { Float(mean + std * rng.nextNormal()) }
    }

    private static func uniform(_ t: Tensor, low: Double, high: Double, _ op: String, cancellable: Bool = false) throws(TensorError) -> Tensor {
        try checkFloat(t, op)
        let rng = RandomGenerator.shared
        let lowF = Float(low), highF = Float(high)
        let span = high - low
        return try fill(t, op, cancellable: cancellable) {
            let x = Float(low + span * rng.nextDouble())
            // Rounding to Float32 can reach `high`; keep the interval half-open.
            return x < highF ? x : (lowF < highF ? highF.nextDown : lowF)
        }
    }

    private static func checkFloat(_ t: Tensor, _ op: String) throws(TensorError) {
        guard t.dtype == .float32 else { throw TensorError("\(op): needs a float tensor, got one of integers (\(t.dtype.rawValue))") }
    }

    /// Writes `next()` into every element in row-major order, through any
    /// layout whose elements are distinct (not an expanded view). With
    /// `cancellable` (a fresh contiguous tensor), a large fill checks for
    /// cancellation between chunks and, when stopped, puts the random
    /// generator back where it was before throwing `TensorError.interrupted`.
    private static func fill(_ t: Tensor, _ op: String, cancellable: Bool = false, _ next: () -> Float) throws(TensorError) -> Tensor {
        for (size, stride) in zip(t.shape, t.strides) where size > 1 && stride == 0 {
            throw TensorError("\(op): cannot fill an expanded tensor of shape \(shapeText(t.shape)) in place (its elements share memory)")
        }
        if t.count == 0 { return t }
        t.storage.markModified()
        if cancellable, t.isContiguous {
            let x = t.data, rng = RandomGenerator.shared
            let start = rng.position
            do {
                try Cancellation.forEachChunk(t.count) { r in for j in r { x[j] = next() } }
            } catch {
                rng.position = start
                throw error
            }
        } else if t.isContiguous {
            let x = t.data
            for j in 0..<t.count { x[j] = next() }
        } else {
            let base = t.storage.pointer
            forEachRow(shape: t.shape, strides: t.strides, offset: t.offset) { start, stride, count, _ in
                for j in 0..<count { base[start + j * stride] = next() }
            }
        }
        return t
    }
}
