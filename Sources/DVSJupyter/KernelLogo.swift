import DVSTensor
import DVSVision
import Foundation

/// The kernelspec's logo, drawn here rather than shipped: "DVS" in a 3×5
/// pixel font, white on dark blue, as PNGs of any size and as an SVG (the
/// same pixels as squares).
enum KernelLogo {
    /// Rows of each letter, "#" for ink.
    private static let letters: [[String]] = [
        ["##.", "#.#", "#.#", "#.#", "##."],  // D
        ["#.#", "#.#", "#.#", "#.#", ".#."],  // V
        [".##", "#..", ".#.", "..#", "##."],  // S
    ]
    /// The design's grid: 3 letters of 3 cells, a cell between them, a margin of 2.
    private static let gridWidth = 15, gridHeight = 15
    private static let background: [Float] = [0.13, 0.24, 0.45], ink: [Float] = [1, 1, 1]

    /// Ink cells (column, row) in the 15×15 grid.
    private static var cells: [(Int, Int)] {
        var out: [(Int, Int)] = []
        for (i, rows) in letters.enumerated() {
            for (r, row) in rows.enumerated() {
                for (c, mark) in row.enumerated() where mark == "#" { out.append((2 + i * 4 + c, 5 + r)) }
            }
        }
        return out
    }

    /// A `side`×`side` RGB PNG.
    static func png(side: Int) throws(VisionError) -> [UInt8] {
        var image = try Image(width: side, height: side, channels: 3)
        let plane = side * side
        var ink = [Bool](repeating: false, count: gridWidth * gridHeight)
        for (c, r) in cells { ink[r * gridWidth + c] = true }
        for y in 0..<side {
            for x in 0..<side {
                let lit = ink[(y * gridHeight / side) * gridWidth + x * gridWidth / side]
                for channel in 0..<3 { image.pixels[channel * plane + y * side + x] = (lit ? Self.ink : background)[channel] }
            }
        }
        return try image.pngData()
    }

    static var svg: String {
        func hex(_ color: [Float]) -> String {
            "#" + color.map { String(format: "%02x", Int(($0 * 255).rounded())) }.joined()
        }
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(gridWidth) \(gridHeight)\" width=\"64\" height=\"64\">\n"
        out += "<rect width=\"\(gridWidth)\" height=\"\(gridHeight)\" fill=\"\(hex(background))\"/>\n"
        for (c, r) in cells { out += "<rect x=\"\(c)\" y=\"\(r)\" width=\"1\" height=\"1\" fill=\"\(hex(ink))\"/>\n" }
        return out + "</svg>\n"
    }
}
