/// Elementwise math for the fused kernels, written in plain arithmetic and
/// bit operations (no libm call, no branch) so that loops calling it
/// vectorize; and row reductions with independent partial sums, which a
/// strict-IEEE compiler will not reorder on its own.

/// e^x in Float32 to about 1 ulp (the Cephes `expf` polynomial): 0 below
/// −86.6 (results under 2.5e-38 flush to zero, so `exp(-inf)` is exactly 0),
/// `inf` above 88.72, `nan` for `nan`.
@inline(__always)
func vexp(_ x: Float) -> Float {
    let low: Float = -86.6, high: Float = 88.72
    let clamped = x < low ? low : (x > high ? high : x)
    // n = round(x / ln 2) with the 1.5·2^23 trick, so n's bits are readable
    // without a (trapping) Int conversion; n is in -125...128.
    let shifter: Float = 12_582_912
    let j = clamped * 1.442_695_04 + shifter
    let n = j - shifter
    let r = clamped - n * 0.693_359_375 + n * 2.121_944_4e-4
    var p: Float = 1.987_569_15e-4
    p = p * r + 1.398_199_950_7e-3
    p = p * r + 8.333_451_907_3e-3
    p = p * r + 4.166_579_589_4e-2
    p = p * r + 1.666_666_545_9e-1
    p = p * r + 5.000_000_120_1e-1
    p = p * r * r + r + 1
    // 2^(n−1) built in the exponent bits (1...254), times 2.
    let half = Float(bitPattern: (j.bitPattern &- 0x4B40_0000 &+ 126) &<< 23)
    let y = p * half * 2
    return x < low ? 0 : (x > high ? .infinity : y)
}

/// Σ p[0..<n], with eight partial sums.
@inline(__always)
func rowSum(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
    var s0: Float = 0, s1: Float = 0, s2: Float = 0, s3: Float = 0
    var s4: Float = 0, s5: Float = 0, s6: Float = 0, s7: Float = 0
    var j = 0
    while j + 8 <= n {
        s0 += p[j]; s1 += p[j + 1]; s2 += p[j + 2]; s3 += p[j + 3]
        s4 += p[j + 4]; s5 += p[j + 5]; s6 += p[j + 6]; s7 += p[j + 7]
        j += 8
    }
    var s = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))
    while j < n { s += p[j]; j += 1 }
    return s
}

/// Σ a[j]·b[j] for j in 0..<n, with eight partial sums.
@inline(__always)
func rowDot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
    var s0: Float = 0, s1: Float = 0, s2: Float = 0, s3: Float = 0
    var s4: Float = 0, s5: Float = 0, s6: Float = 0, s7: Float = 0
    var j = 0
    while j + 8 <= n {
        s0 += a[j] * b[j]; s1 += a[j + 1] * b[j + 1]; s2 += a[j + 2] * b[j + 2]; s3 += a[j + 3] * b[j + 3]
        s4 += a[j + 4] * b[j + 4]; s5 += a[j + 5] * b[j + 5]; s6 += a[j + 6] * b[j + 6]; s7 += a[j + 7] * b[j + 7]
        j += 8
    }
    var s = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))
    while j < n { s += a[j] * b[j]; j += 1 }
    return s
}

/// The largest of p[0..<n] (−inf for n == 0), ignoring nan; callers see
/// nan through the exponentials that follow.
@inline(__always)
func rowMax(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
    var m0 = -Float.infinity, m1 = -Float.infinity, m2 = -Float.infinity, m3 = -Float.infinity
    var j = 0
    while j + 4 <= n {
        m0 = p[j] > m0 ? p[j] : m0
        m1 = p[j + 1] > m1 ? p[j + 1] : m1
        m2 = p[j + 2] > m2 ? p[j + 2] : m2
        m3 = p[j + 3] > m3 ? p[j + 3] : m3
        j += 4
    }
    var m = m0 > m1 ? m0 : m1
    let m23 = m2 > m3 ? m2 : m3
    m = m23 > m ? m23 : m
    while j < n { m = p[j] > m ? p[j] : m; j += 1 }
    return m
}
