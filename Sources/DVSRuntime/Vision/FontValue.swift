import DVSLang
import DVSTensor
import DVSVision

/// A font as a DVS value: `font("DejaVu Sans", size: 18)`.
final class FontValue: DVSObject {
    let font: Font
    init(_ font: Font) { self.font = font }
    var typeName: String { "font" }
    var summary: String { "<font \(font.family) \(font.style) \(font.size) px>" }
    var memberNames: [String] { ["family", "style", "size", "kerning"] }
    func member(_ name: String) throws(NativeError) -> Value? {
        switch name {
        case "family": return .string(font.family)
        case "style": return .string(font.style)
        case "size": return .number(Double(font.size))
        case "kerning": return .bool(font.hasKerning)
        default: return nil
        }
    }
}
