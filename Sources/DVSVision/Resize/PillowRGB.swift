import DVSTensor

extension ByteImage {
    /// The image as 8-bit RGB the way Hugging Face image processors make it
    /// (`transformers.image_transforms.convert_to_rgb` on a PIL image): gray is
    /// copied to R, G and B (`convert("RGB")`); RGB is kept; RGBA is composited
    /// over opaque white with Pillow's `alpha_composite` integer arithmetic
    /// (src/libImaging/AlphaComposite.c, 7 fractional bits, division by 255
    /// as `((v >> 8) + v) >> 8`), then alpha is dropped.
    public func rgbOverWhite() throws(VisionError) -> ByteImage {
        let n = width * height
        switch channels {
        case 3:
            return self
        case 1:
            return try ByteImage(width: width, height: height, channels: 3, bytes: Array(bytes[0..<n]) + bytes[0..<n] + bytes[0..<n])
        default:
            var out = [UInt8](repeating: 255, count: 3 * n)
            let precision = 7, white = 255
            func divide255(_ v: Int) -> Int { ((v >> 8) + v) >> 8 }
            for i in 0..<n {
                let a = Int(bytes[3 * n + i])
                if a == 0 { continue }  // the background (white) shows
                let blend = white * (255 - a)
                let outA255 = a * 255 + blend
                let coef1 = a * 255 * 255 * (1 << precision) / outA255
                let coef2 = 255 * (1 << precision) - coef1
                for c in 0..<3 {
                    let mixed = Int(bytes[c * n + i]) * coef1 + white * coef2
                    out[c * n + i] = UInt8(divide255(mixed + (0x80 << precision)) >> precision)
                }
            }
            return try ByteImage(width: width, height: height, channels: 3, bytes: out)
        }
    }
}
