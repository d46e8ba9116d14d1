import DVSVision

/// A small sixel encoder: colors quantized to a 6×6×6 cube plus 24 grays
/// (the xterm-256 layout), six pixel rows per band, run-length encoded.
enum Sixel {
    static func encode(_ image: Image) -> String {
        let w = image.width, h = image.height
        func color(_ x: Int, _ y: Int) -> Int {
            let r = image[0, y, x], g = image[image.channels >= 3 ? 1 : 0, y, x], b = image[image.channels >= 3 ? 2 : 0, y, x]
            if Swift.abs(r - g) < 0.02, Swift.abs(g - b) < 0.02 { return 216 + Swift.min(23, Int(r * 23.999)) }
            func level(_ v: Float) -> Int { Swift.min(5, Int(v * 5.999)) }
            return level(r) * 36 + level(g) * 6 + level(b)
        }
        var out = "\u{1B}Pq\"1;1;\(w);\(h)"
        for i in 0..<240 {
            let (r, g, b): (Int, Int, Int)
            if i < 216 {
                (r, g, b) = (i / 36 * 20, i / 6 % 6 * 20, i % 6 * 20)
            } else {
                let v = (i - 216) * 100 / 23
                (r, g, b) = (v, v, v)
            }
            out += "#\(i);2;\(r);\(g);\(b)"
        }
        var indices = [Int](repeating: 0, count: w * h)
        for y in 0..<h { for x in 0..<w { indices[y * w + x] = color(x, y) } }
        for band in stride(from: 0, to: h, by: 6) {
            var used = Set<Int>()
            for y in band..<Swift.min(band + 6, h) { for x in 0..<w { used.insert(indices[y * w + x]) } }
            for (n, c) in used.sorted().enumerated() {
                if n > 0 { out += "$" }
                out += "#\(c)"
                var run = 0, last: Character? = nil
                func flush() {
                    guard let l = last else { return }
                    out += run > 3 ? "!\(run)\(l)" : String(repeating: l, count: run)
                }
                for x in 0..<w {
                    var bits = 0
                    for k in 0..<6 where band + k < h && indices[(band + k) * w + x] == c { bits |= 1 << k }
                    let ch = Character(UnicodeScalar(UInt8(63 + bits)))
                    if ch == last { run += 1 } else { flush(); last = ch; run = 1 }
                }
                flush()
            }
            out += "-"
        }
        return out + "\u{1B}\\\n"
    }
}
