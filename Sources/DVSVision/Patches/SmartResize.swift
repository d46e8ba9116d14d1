import DVSTensor

/// Qwen2-VL's choice of the size an image is resized to (`smart_resize` in
/// Hugging Face transformers' Qwen2-VL image processors), computed with the
/// same Double arithmetic as Python:
///
/// 1. fails when the aspect ratio `max(h, w) / min(h, w)` is over 200;
/// 2. rounds each side to a multiple of `factor` (28 = patch 14 × merge 2)
///    with Python's `round` (half to even: 42 → 56, 70 → 56);
/// 3. when that has more than `maxPixels` pixels, scales both sides down by
///    `β = √(h·w / maxPixels)`: `max(factor, ⌊h / β / factor⌋ · factor)`;
/// 4. else, when it has fewer than `minPixels`, scales up by
///    `β = √(minPixels / (h·w))`: `⌈h · β / factor⌉ · factor`.
///
/// Transformers 5 accepts sides shorter than `factor` (older releases
/// refused them): a 20-pixel side rounds to 28 or, below 14 pixels, to 0
/// and is then scaled up by step 4.
public enum SmartResize {
    /// The largest aspect ratio Qwen2-VL accepts.
    public static let maxAspectRatio = 200.0

    /// The resized (height, width), both multiples of `factor`.
    public static func size(
        height: Int, width: Int, factor: Int = 28, minPixels: Int = 56 * 56,
        maxPixels: Int = 28 * 28 * 1280
    ) throws(VisionError) -> (height: Int, width: Int) {
        guard height >= 1, width >= 1, height <= Image.maxSide, width <= Image.maxSide else {
            throw VisionError("smart_resize: the size \(width)×\(height) (width×height) must be 1…\(Image.maxSide) pixels per side")
        }
        guard factor >= 1, factor <= Image.maxSide else {
            throw VisionError("smart_resize: factor must be 1…\(Image.maxSide), got \(factor)")
        }
        guard minPixels >= 1, maxPixels >= minPixels, maxPixels <= Image.maxSide * Image.maxSide else {
            throw VisionError(
                "smart_resize: needs 1 ≤ min_pixels ≤ max_pixels ≤ \(Image.maxSide * Image.maxSide), got min_pixels \(minPixels), max_pixels \(maxPixels)")
        }
        let h = Double(height), w = Double(width), f = Double(factor)
        let ratio = Swift.max(h, w) / Swift.min(h, w)
        guard ratio <= maxAspectRatio else {
            throw VisionError(
                "smart_resize: the image is \(width)×\(height) (width×height), an aspect ratio of \(formatRatio(ratio)); Qwen2-VL accepts at most \(Int(maxAspectRatio))"
            )
        }
        var hBar = Int((h / f).rounded(.toNearestOrEven)) * factor
        var wBar = Int((w / f).rounded(.toNearestOrEven)) * factor
        if hBar * wBar > maxPixels {
            let beta = (Double(height * width) / Double(maxPixels)).squareRoot()
            hBar = Swift.max(factor, Int((h / beta / f).rounded(.down)) * factor)
            wBar = Swift.max(factor, Int((w / beta / f).rounded(.down)) * factor)
        } else if hBar * wBar < minPixels {
            let beta = (Double(minPixels) / Double(height * width)).squareRoot()
            hBar = Int((h * beta / f).rounded(.up)) * factor
            wBar = Int((w * beta / f).rounded(.up)) * factor
        }
        guard hBar <= Image.maxSide, wBar <= Image.maxSide else {
            throw VisionError("smart_resize: \(width)×\(height) would be resized to \(wBar)×\(hBar) (width×height), over \(Image.maxSide) pixels per side")
        }
        return (hBar, wBar)
    }

    private static func formatRatio(_ r: Double) -> String {
        let rounded = (r * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
