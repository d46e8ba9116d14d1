/// The heatmap colormap: viridis (van der Walt & Smith, matplotlib's default),
/// perceptually uniform and readable in gray and by colorblind viewers.
/// Eleven of its colors at t = 0, 0.1, …, 1, interpolated linearly.
public enum Colormap {
    static let viridisStops: [ChartColor] = [
        0x440154, 0x482475, 0x414487, 0x355F8D, 0x2A788E, 0x21918C,
        0x22A884, 0x44BF70, 0x7AD151, 0xBDDF26, 0xFDE725,
    ].map { ChartColor(hex: $0) }

    /// The color at `t` (clamped to 0…1): dark purple at 0, yellow at 1.
    public static func viridis(_ t: Double) -> ChartColor {
        let u = t.isNaN ? 0 : Swift.min(Swift.max(t, 0), 1) * Double(viridisStops.count - 1)
        let i = Swift.min(Int(u), viridisStops.count - 2)
        let f = u - Double(i)
        let a = viridisStops[i], b = viridisStops[i + 1]
        return ChartColor(
            red: a.red + (b.red - a.red) * f,
            green: a.green + (b.green - a.green) * f,
            blue: a.blue + (b.blue - a.blue) * f)
    }
}
