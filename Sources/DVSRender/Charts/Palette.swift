/// An sRGB color, components 0…1.
public struct ChartColor: Equatable, Sendable {
    public var red: Double
    public var green: Double
    public var blue: Double

    public init(red: Double, green: Double, blue: Double) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// `0xRRGGBB`
    public init(hex: UInt32) {
        red = Double((hex >> 16) & 0xFF) / 255
        green = Double((hex >> 8) & 0xFF) / 255
        blue = Double(hex & 0xFF) / 255
    }

    /// `#rrggbb`
    public var hexText: String {
        func byte(_ v: Double) -> String {
            let b = Int((Swift.min(Swift.max(v, 0), 1) * 255).rounded())
            return (b < 16 ? "0" : "") + String(b, radix: 16)
        }
        return "#" + byte(red) + byte(green) + byte(blue)
    }
}

/// Series colors: the Okabe–Ito palette (Okabe & Ito 2008), which stays
/// distinguishable under the common color-vision deficiencies, minus its
/// yellow (too faint on white) and with black last. Series i gets
/// `colors[i % 7]`; lines of series 8–14 are dashed, 15–21 dotted.
public enum ChartPalette {
    public static let colors: [ChartColor] = [
        ChartColor(hex: 0x0072B2),  // blue
        ChartColor(hex: 0xE69F00),  // orange
        ChartColor(hex: 0x009E73),  // bluish green
        ChartColor(hex: 0xD55E00),  // vermillion
        ChartColor(hex: 0xCC79A7),  // reddish purple
        ChartColor(hex: 0x56B4E9),  // sky blue
        ChartColor(hex: 0x000000),  // black
    ]

    public static func color(_ index: Int) -> ChartColor {
        colors[((index % colors.count) + colors.count) % colors.count]
    }

    /// Line dash pattern of series `index` (pixels on, off): solid for the
    /// first seven series, then dashed, then dotted, as the colors repeat.
    public static func dash(_ index: Int) -> [Double] {
        switch Swift.max(index, 0) / colors.count % 3 {
        case 0: return []
        case 1: return [7, 4]
        default: return [2, 3]
        }
    }

    // Chrome: text, axes, grid.
    static let text = ChartColor(hex: 0x222222)
    static let axis = ChartColor(hex: 0x444444)
    static let grid = ChartColor(hex: 0xE5E5E5)
    static let minorGrid = ChartColor(hex: 0xF2F2F2)
    static let legendBorder = ChartColor(hex: 0xCCCCCC)
    static let background = ChartColor(hex: 0xFFFFFF)
}
