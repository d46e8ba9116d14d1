import DVSLang

/// The session's seeded random generator (xoshiro256**, seeded through
/// SplitMix64). `seed(n)` makes every later draw repeatable bit for bit.
public final class SessionRandom {
    private var state: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

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

    /// The generator of `interpreter`'s session, made on first use.
    public static func of(_ interpreter: Interpreter) -> SessionRandom {
        if let r = interpreter.extensions["random"] as? SessionRandom { return r }
        let r = SessionRandom(seed: UInt64.random(in: 0...UInt64.max))
        interpreter.extensions["random"] = r
        return r
    }
}
