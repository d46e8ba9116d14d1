import Foundation

/// The one seeded random generator of a DVS process (xoshiro256**, seeded
/// through SplitMix64): `seed(n)` in DVS reseeds it, so random numbers, random
/// tensors, initializers and dropout masks repeat bit for bit.
public final class RandomGenerator {
    nonisolated(unsafe) public static let shared = RandomGenerator(seed: UInt64.random(in: 0...UInt64.max))

    private var state: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    /// A second normal sample left over from Box–Muller.
    private var spareNormal: Double?

    public init(seed: UInt64) { reseed(seed) }

    public func reseed(_ seed: UInt64) {
        var x = seed
        func splitmix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (splitmix(), splitmix(), splitmix(), splitmix())
        spareNormal = nil
    }

    /// Where the generator is in its stream; setting it back replays the same numbers.
    struct Position {
        fileprivate let state: (UInt64, UInt64, UInt64, UInt64)
        fileprivate let spareNormal: Double?
    }

    var position: Position {
        get { Position(state: state, spareNormal: spareNormal) }
        set { state = newValue.state; spareNormal = newValue.spareNormal }
    }

    public func next() -> UInt64 {
        let result = ((state.1 &* 5) << 7 | (state.1 &* 5) >> 57) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = state.3 << 45 | state.3 >> 19
        return result
    }

    /// Uniform in [0, 1) with 53 random bits.
    public func nextDouble() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Uniform whole number in 0..<bound (bound > 0), without modulo bias.
    public func nextInt(below bound: UInt64) -> UInt64 {
        let limit = UInt64.max - UInt64.max % bound
        while true {
            let r = next()
            if r < limit { return r % bound }
        }
    }

    /// Standard normal sample (Box–Muller).
    public func nextNormal() -> Double {
        if let spare = spareNormal {
            spareNormal = nil
            return spare
        }
        var u = nextDouble()
        while u <= Double.leastNormalMagnitude { u = nextDouble() }
        let v = nextDouble()
        let r = (-2 * Foundation.log(u)).squareRoot()
        spareNormal = r * Foundation.sin(2 * Double.pi * v)
        return r * Foundation.cos(2 * Double.pi * v)
    }
}

extension Tensor {
    /// Uniform samples in [low, high) (see `Init.uniform`); a large draw stops at Ctrl-C.
    public static func uniform(_ shape: [Int], low: Float = 0, high: Float = 1) throws(TensorError) -> Tensor {
        try Shape.validate(shape, "rand")
        return try Init.uniform(try Tensor(uninitializedShape: shape), low: low, high: high, fresh: true)
    }

    /// Normal samples with the given mean and standard deviation (see `Init.normal`); a large draw stops at Ctrl-C.
    public static func normal(_ shape: [Int], mean: Float = 0, std: Float = 1) throws(TensorError) -> Tensor {
        try Shape.validate(shape, "randn")
        return try Init.normal(try Tensor(uninitializedShape: shape), mean: mean, std: std, fresh: true)
    }
}
