import CPNG
import DVSFiles
import DVSTensor

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// PNG reading and writing through libpng's simplified API (`png_image_*`).
///
/// Reading accepts every PNG that libpng reads — gray 1/2/4/8/16-bit, gray +
/// alpha, RGB, RGBA (8 and 16-bit), palette with or without tRNS, Adam7
/// interlaced — and converts it to an `Image` as follows:
///
/// | file | image |
/// | --- | --- |
/// | gray (any depth), no tRNS | 1 channel |
/// | RGB, no tRNS; palette without tRNS | 3 channels (palette entries looked up) |
/// | gray + alpha; gray or RGB with a tRNS key; RGBA; palette with tRNS | 4 channels RGBA (gray copied to R, G and B) |
///
/// Alpha is never dropped on load: a gray + alpha file becomes RGBA (an
/// `Image` has 1, 3 or 4 channels), and `grayscale()` later composites it onto
/// white, which is how a text image with a transparent background looks in a
/// viewer. Samples are scaled exactly: a value v of a b-bit sample becomes
/// v / (2^b − 1) (a 1-bit 1, a 4-bit 15, an 8-bit 255 and a 16-bit 65535 are
/// all 1.0). Color-space chunks (gAMA, cHRM, sRGB, iCCP) are ignored, as PIL
/// and OpenCV do: the values are the stored samples, never gamma-converted.
///
/// One libpng limit: for 16-bit files with alpha it returns colors multiplied
/// by alpha; they are divided back, which is exact for opaque pixels and within
/// 0.5 / A for alpha A in 0…65535 otherwise (what a composite shows is exact to
/// 1/65535). Fully transparent pixels of such files read as color 0.
///
/// Writing stores 8-bit gray, RGB or RGBA (by channel count): values are
/// clamped to [0, 1], NaN becomes 0, and v is stored as round(v · 255).
/// Files are written through `AtomicFile`: a regular file is replaced
/// atomically (a temporary file in its folder, flushed, then renamed over it).
extension Image {
    /// The largest PNG file read (bytes): far above any PNG of `maxPixels` pixels.
    static let maxPNGFileBytes = 1 << 30

    /// The 8 bytes every PNG file starts with.
    static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    // MARK: - Reading

    /// Reads a PNG file (links followed; folders, devices and FIFOs refused).
    public static func load(path: String) throws(VisionError) -> Image {
        let bytes = try visionFileIO("load PNG") { () throws(FileError) in try ReadFile.bytes(path, limit: maxPNGFileBytes) }
        return try decodePNG(bytes, name: path)
    }

    /// Decodes PNG bytes held in memory; `name` stands for them in error messages.
    public static func decodePNG(_ bytes: [UInt8], name: String = "PNG data") throws(VisionError) -> Image {
        let prefix = "load PNG: '\(name)'"
        guard bytes.count >= 8, Array(bytes[0..<8]) == pngSignature else {
            throw VisionError("\(prefix) is not a PNG file: " + (bytes.isEmpty ? "it is empty" : "it does not start with the 8-byte PNG signature"))
        }
        let stream = strippingColorSpaceChunks(bytes)
        // begin and finish must run inside the same withUnsafeBytes: libpng keeps the pointer.
        let result: Result<Image, VisionError> = stream.withUnsafeBytes { raw in
            var png = png_image()
            png.version = UInt32(PNG_IMAGE_VERSION)
            defer { png_image_free(&png) }
            guard png_image_begin_read_from_memory(&png, raw.baseAddress, raw.count) != 0 else {
                return .failure(VisionError("\(prefix) is truncated or corrupt: libpng: \(libpngMessage(png))"))
            }
            let width = Int(png.width), height = Int(png.height)
            if let problem = sizeProblem(width: width, height: height) {
                return .failure(VisionError("\(prefix) is \(width)×\(height) pixels: \(problem)"))
            }
            // Deflate packs at most 1032 bytes into one and a pixel takes at least
            // 1 bit: a header promising more pixels than the data can hold is a
            // damaged or hostile file; refuse it before allocating.
            if width * height / 8 > raw.count * 1032 {
                return .failure(VisionError("\(prefix) is truncated or corrupt: \(raw.count) bytes cannot hold \(width)×\(height) pixels"))
            }
            let source = png.format
            let hasAlpha = source & UInt32(PNG_FORMAT_FLAG_ALPHA) != 0
            let isColor = source & UInt32(PNG_FORMAT_FLAG_COLOR) != 0
            let is16Bit = source & UInt32(PNG_FORMAT_FLAG_LINEAR) != 0
            let channels = hasAlpha ? 4 : (isColor ? 3 : 1)
            var format: UInt32 = 0
            if channels >= 3 { format |= UInt32(PNG_FORMAT_FLAG_COLOR) }
            if channels == 4 { format |= UInt32(PNG_FORMAT_FLAG_ALPHA) }
            if is16Bit { format |= UInt32(PNG_FORMAT_FLAG_LINEAR) }
            png.format = format  // no COLORMAP flag: palettes are expanded
            do throws(VisionError) {
                let sampleBytes = is16Bit ? 2 : 1
                try tensorWork { () throws(TensorError) in
                    try ensureAllocatable(
                        bytes: width * height * channels * (MemoryLayout<Float>.stride + sampleBytes),
                        for: "\(prefix) (\(width)×\(height) pixels)")
                }
            } catch {
                return .failure(error)
            }

            var planes = [Float](repeating: 0, count: width * height * channels)
            let ok: Bool
            if is16Bit {
                var samples = [UInt16](repeating: 0, count: width * height * channels)
                ok = samples.withUnsafeMutableBytes { png_image_finish_read(&png, nil, $0.baseAddress, 0, nil) } != 0
                if ok { deinterleave16(samples, into: &planes, pixels: width * height, channels: channels) }
            } else {
                var samples = [UInt8](repeating: 0, count: width * height * channels)
                ok = samples.withUnsafeMutableBytes { png_image_finish_read(&png, nil, $0.baseAddress, 0, nil) } != 0
                if ok { deinterleave8(samples, into: &planes, pixels: width * height, channels: channels) }
            }
            guard ok else {
                return .failure(VisionError("\(prefix) is truncated or corrupt: libpng: \(libpngMessage(png))"))
            }
            return Result { () throws(VisionError) in try Image(width: width, height: height, channels: channels, pixels: planes) }
        }
        return try result.get()
    }

    /// Interleaved 8-bit samples → channel planes, v / 255.
    private static func deinterleave8(_ samples: [UInt8], into planes: inout [Float], pixels: Int, channels: Int) {
        var table = [Float](repeating: 0, count: 256)
        for v in 0..<256 { table[v] = Float(v) / 255 }
        samples.withUnsafeBufferPointer { s in
            planes.withUnsafeMutableBufferPointer { p in
                for c in 0..<channels {
                    let plane = c * pixels
                    for i in 0..<pixels { p[plane + i] = table[Int(s[i * channels + c])] }
                }
            }
        }
    }

    /// Interleaved 16-bit samples → channel planes, v / 65535. With alpha,
    /// libpng's colors are premultiplied (see the type's notes): divide them back.
    private static func deinterleave16(_ samples: [UInt16], into planes: inout [Float], pixels: Int, channels: Int) {
        samples.withUnsafeBufferPointer { s in
            planes.withUnsafeMutableBufferPointer { p in
                if channels == 4 {
                    for i in 0..<pixels {
                        let a = Float(s[i * 4 + 3])
                        for c in 0..<3 {
                            let v = Float(s[i * 4 + c])
                            p[c * pixels + i] = a == 0 ? 0 : Swift.min(1, v / a)
                        }
                        p[3 * pixels + i] = a / 65535
                    }
                } else {
                    for c in 0..<channels {
                        let plane = c * pixels
                        for i in 0..<pixels { p[plane + i] = Float(s[i * channels + c]) / 65535 }
                    }
                }
            }
        }
    }

    /// The PNG stream without gAMA, cHRM, sRGB and iCCP chunks, which would make
    /// the simplified API convert sample values between color spaces. These
    /// chunks must come before the image data, so the walk stops at the first
    /// IDAT; a damaged chunk structure is left as it is for libpng to report.
    static func strippingColorSpaceChunks(_ bytes: [UInt8]) -> [UInt8] {
        var drop: [Range<Int>] = []
        var position = 8
        while position + 12 <= bytes.count {
            let length = Int(bytes[position]) << 24 | Int(bytes[position + 1]) << 16 | Int(bytes[position + 2]) << 8 | Int(bytes[position + 3])
            let end = position + 12 + length
            guard length <= 0x7FFF_FFFF, end <= bytes.count else { break }
            let kind = String(decoding: bytes[position + 4..<position + 8], as: UTF8.self)
            if kind == "IDAT" { break }
            if kind == "gAMA" || kind == "cHRM" || kind == "sRGB" || kind == "iCCP" { drop.append(position..<end) }
            position = end
        }
        guard !drop.isEmpty else { return bytes }
        var kept: [UInt8] = []
        kept.reserveCapacity(bytes.count)
        var from = 0
        for range in drop {
            kept += bytes[from..<range.lowerBound]
            from = range.upperBound
        }
        kept += bytes[from...]
        return kept
    }

    /// libpng's last error or warning text (`png_image.message`, a C char array).
    private static func libpngMessage(_ png: png_image) -> String {
        let text = withUnsafeBytes(of: png.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        return text.isEmpty ? "unknown error" : text
    }

    // MARK: - Writing

    /// The image as an 8-bit PNG (gray, RGB or RGBA by channel count).
    public func pngData() throws(VisionError) -> [UInt8] {
        try ByteImage(self).pngData()
    }

    /// An 8-bit PNG of interleaved samples (gray, RGB or RGBA by channel count).
    static func encodePNG(_ samples: [UInt8], width: Int, height: Int, channels: Int) throws(VisionError) -> [UInt8] {
        var png = png_image()
        png.version = UInt32(PNG_IMAGE_VERSION)
        png.width = UInt32(width)
        png.height = UInt32(height)
        png.format = channels == 1 ? 0 : UInt32(PNG_FORMAT_FLAG_COLOR) | (channels == 4 ? UInt32(PNG_FORMAT_FLAG_ALPHA) : 0)
        defer { png_image_free(&png) }
        // libpng reports the size it needs when the buffer is too small, so
        // one call encodes almost always: the buffer starts at the raw size
        // plus deflate's worst-case growth (stored blocks) and the chunks around.
        var capacity = samples.count + height + samples.count / 64 + 1024
        for _ in 0..<2 {
            var out = [UInt8](repeating: 0, count: capacity)
            var size = png_alloc_size_t(capacity)
            let written = out.withUnsafeMutableBytes { o in
                samples.withUnsafeBytes { png_image_write_to_memory(&png, o.baseAddress, &size, 0, $0.baseAddress, 0, nil) }
            }
            if written != 0 { return Array(out[0..<Int(size)]) }
            guard size > capacity else { break }  // an error, not a short buffer
            capacity = Int(size)
        }
        throw VisionError("save PNG: libpng could not encode the \(width)×\(height) image: \(Image.libpngMessage(png))")
    }

    /// Writes the image as an 8-bit PNG through `AtomicFile` (atomically for a regular file).
    public func savePNG(path: String) throws(VisionError) {
        let bytes = try pngData()
        try visionFileIO("save PNG") { () throws(FileError) in try AtomicFile.write(bytes, to: path) }
    }
}
