import DVSVision
import Foundation

/// Shows images in a terminal: the kitty graphics protocol, iTerm2 inline
/// images, or sixel when the terminal is known to support one, otherwise a
/// Unicode half-block preview in 24-bit color. `DVS_IMAGE_PROTOCOL` (kitty,
/// iterm, sixel, blocks, none) overrides the detection.
public enum TerminalImage {
    public enum Method: String, Sendable { case kitty, iterm, sixel, blocks, none }

    /// The protocol for this process's terminal (none when stdout is not a terminal).
    public static func detect(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        isTerminal: Bool = isatty(1) == 1
    ) -> Method {
        if let forced = environment["DVS_IMAGE_PROTOCOL"].flatMap(Method.init(rawValue:)) { return forced }
        guard isTerminal else { return .none }
        let term = environment["TERM"] ?? "", program = environment["TERM_PROGRAM"] ?? ""
        if term.contains("kitty") || environment["KITTY_WINDOW_ID"] != nil || program == "ghostty" { return .kitty }
        if program == "iTerm.app" || environment["LC_TERMINAL"] == "iTerm2" || program == "WezTerm" { return .iterm }
        if term.contains("sixel") || term.hasPrefix("mlterm") || term == "foot" || term.hasPrefix("foot-") || term == "yaft-256color" {
            return .sixel
        }
        if term == "dumb" || term.isEmpty { return .none }
        return .blocks
    }

    /// The escape sequence (or text) that draws `image`; `png` is its encoded
    /// PNG (kitty and iTerm2 send it as is). `columns` bounds the preview width.
    public static func render(_ image: Image, png: [UInt8], method proto: Method, columns: Int = 80) -> String {
        switch proto {
        case .kitty: return kitty(png)
        case .iterm: return iterm(png)
        case .sixel: return Sixel.encode(image)
        case .blocks: return halfBlocks(image, columns: columns)
        case .none: return ""
        }
    }

    /// kitty graphics protocol: base64 PNG in chunks of 4096 bytes.
    static func kitty(_ png: [UInt8]) -> String {
        let payload = Data(png).base64EncodedString()
        var out = ""
        var start = payload.startIndex
        var first = true
        while start < payload.endIndex {
            let end = payload.index(start, offsetBy: 4096, limitedBy: payload.endIndex) ?? payload.endIndex
            let more = end < payload.endIndex ? 1 : 0
            out += "\u{1B}_G" + (first ? "a=T,f=100," : "") + "m=\(more);" + payload[start..<end] + "\u{1B}\\"
            first = false
            start = end
        }
        return out + "\n"
    }

    /// iTerm2's inline image escape (also understood by WezTerm).
    static func iterm(_ png: [UInt8]) -> String {
        "\u{1B}]1337;File=inline=1;size=\(png.count);preserveAspectRatio=1:" + Data(png).base64EncodedString() + "\u{07}\n"
    }

    /// Two pixel rows per text row: "▀" with the top pixel as foreground and
    /// the bottom one as background, after a box-filter downscale to `columns`.
    public static func halfBlocks(_ image: Image, columns: Int = 80) -> String {
        let cols = Swift.max(1, Swift.min(columns, image.width))
        let scale = Double(image.width) / Double(cols)
        let rows = Swift.max(1, Int((Double(image.height) / scale).rounded()))
        func rgb(_ x0: Int, _ y0: Int) -> (Int, Int, Int) {
            // Average the source pixels that fall in this cell.
            let sx = Int(Double(x0) * scale), ex = Swift.max(sx + 1, Int(Double(x0 + 1) * scale))
            let sy = Int(Double(y0) * scale), ey = Swift.max(sy + 1, Int(Double(y0 + 1) * scale))
            var total: [Double] = [0, 0, 0]
            var n = 0.0
            for y in sy..<Swift.min(ey, image.height) {
                for x in sx..<Swift.min(ex, image.width) {
                    for c in 0..<3 { total[c] += Double(image[image.channels >= 3 ? c : 0, y, x]) }
                    n += 1
                }
            }
            let v = total.map { Int(($0 / Swift.max(n, 1) * 255).rounded()) }
            return (v[0], v[1], v[2])
        }
        var out = ""
        for row in stride(from: 0, to: rows, by: 2) {
            for col in 0..<cols {
                let top = rgb(col, row)
                let bottom = row + 1 < rows ? rgb(col, row + 1) : (0, 0, 0)
                out += "\u{1B}[38;2;\(top.0);\(top.1);\(top.2)m\u{1B}[48;2;\(bottom.0);\(bottom.1);\(bottom.2)m▀"
            }
            out += "\u{1B}[0m\n"
        }
        return out
    }
}
