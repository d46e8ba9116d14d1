import DVSTensor
import Foundation

/// Filters: Gaussian blur and seeded Gaussian noise.
extension Image {
    /// The largest blur radius accepted (the kernel has 2·radius + 1 taps).
    public static let maxBlurRadius = 256

    /// Separable Gaussian blur with a kernel of 2·radius + 1 taps per direction.
    /// Without `sigma`, σ = 0.3·(radius − 1) + 0.8 — OpenCV's choice for a kernel
    /// of that size (radius 1 → 0.8, 2 → 1.1, 5 → 2.0), so the kernel spans about
    /// ±2.5σ. The kernel is normalized to sum 1; outside the image the edge pixels
    /// repeat, so a flat image stays flat and ink away from the borders keeps its
    /// total. Every channel, alpha included, is blurred alike. Radius 0 returns
    /// the image unchanged.
    public func blurred(radius: Int, sigma: Float? = nil) throws(VisionError) -> Image {
        guard radius >= 0, radius <= Image.maxBlurRadius else {
            throw VisionError("blur: radius must be 0…\(Image.maxBlurRadius), got \(radius)")
        }
        if let sigma, !(sigma.isFinite && sigma > 0) {
            throw VisionError("blur: sigma must be a finite number > 0, got \(sigma)")
        }
        if radius == 0 { return self }
        let kernel = Image.gaussianKernel(radius: radius, sigma: sigma ?? 0.3 * Float(radius - 1) + 0.8)
        var out = self
        let (w, h) = (width, height)
        var row = [Float](repeating: 0, count: w + 2 * radius)  // one row with repeated edges
        var horizontal = [Float](repeating: 0, count: w * h)
        out.pixels.withUnsafeMutableBufferPointer { p in
            for c in 0..<channels {
                let plane = c * w * h
                // Along rows.
                for y in 0..<h {
                    let start = plane + y * w
                    for i in 0..<row.count { row[i] = p[start + Swift.min(w - 1, Swift.max(0, i - radius))] }
                    for x in 0..<w {
                        var sum: Float = 0
                        for k in 0..<kernel.count { sum += kernel[k] * row[x + k] }
                        horizontal[y * w + x] = sum
                    }
                }
                // Along columns, a whole row at a time.
                for y in 0..<h {
                    let target = plane + y * w
                    for x in 0..<w { p[target + x] = 0 }
                    for k in 0..<kernel.count {
                        let source = Swift.min(h - 1, Swift.max(0, y + k - radius)) * w
                        let weight = kernel[k]
                        for x in 0..<w { p[target + x] += weight * horizontal[source + x] }
                    }
                }
            }
        }
        return out
    }

    /// exp(−k² / 2σ²) for k in −radius…radius, normalized to sum 1.
    public static func gaussianKernel(radius: Int, sigma: Float) -> [Float] {
        let weights = (-radius...radius).map { k in Foundation.exp(-Double(k * k) / (2 * Double(sigma) * Double(sigma))) }
        let total = weights.reduce(0, +)
        return weights.map { Float($0 / total) }
    }

    /// Adds Gaussian noise N(0, std²) to every color value (alpha untouched) and
    /// clamps to [0, 1]. The same seed gives the same image bit for bit.
    public func addingNoise(std: Float, seed: UInt64) throws(VisionError) -> Image {
        try addingNoise(std: std, using: RandomGenerator(seed: seed))
    }

    /// Adds Gaussian noise drawn from `generator` (e.g. `RandomGenerator.shared`,
    /// which DVS's `seed(n)` reseeds); values are drawn channel by channel, row by row.
    public func addingNoise(std: Float, using generator: RandomGenerator) throws(VisionError) -> Image {
        guard std.isFinite, std >= 0 else {
            throw VisionError("noise: std must be a finite number ≥ 0, got \(std)")
        }
        if std == 0 { return self }
        let scale = Double(std)
        return mappingColors { v in Float(Swift.min(1, Swift.max(0, Double(v) + scale * generator.nextNormal()))) }
    }
}
