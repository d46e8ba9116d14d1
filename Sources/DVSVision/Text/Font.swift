import CFreeType
import DVSFiles
import DVSTensor
import Foundation

/// A TrueType/OpenType face at one pixel size, loaded with FreeType.
///
/// Load by family and style name (looked up in `FontCatalog.shared`, see there
/// for the search path), by "Family Style" name, or by file path:
///
///     let sans = try Font(family: "DejaVu Sans", size: 16)
///     let bold = try Font(family: "Liberation Serif", style: "Bold", size: 14)
///     let mono = try Font.load("DejaVu Sans Mono", size: 12)   // cached
///     let file = try Font(path: "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", size: 20)
///
/// `size` is the pixel size of the em square (`FT_Set_Pixel_Sizes`): a 16 px
/// DejaVu Sans has capitals about 12 px tall. Glyphs are hinted and rendered
/// anti-aliased (`FT_RENDER_MODE_NORMAL`) on whole-pixel pen positions, and
/// cached per font. A `Font` is safe to share between threads (all FreeType
/// calls are serialized, see `FreeType`).
public final class Font: @unchecked Sendable, CustomStringConvertible {
    /// FreeType's family name of the face ("DejaVu Sans").
    public let family: String
    /// FreeType's style name of the face ("Book", "Bold", …).
    public let style: String
    public let path: String
    public let faceIndex: Int
    /// Pixel size (em square in pixels).
    public let size: Int
    /// Pixels from the baseline up to the font's ascender line (positive).
    public let ascent: Int
    /// Pixels from the baseline down to the font's descender line (positive).
    public let descent: Int
    /// Distance between baselines of consecutive lines at line spacing 1.
    public let lineHeight: Int
    /// Whether the face has a kerning table that `FT_Get_Kerning` reads
    /// (DejaVu Sans/Serif and Liberation Sans/Serif do; the Mono faces do not).
    public let hasKerning: Bool

    private let face: FT_Face
    private var glyphCache: [UInt32: Glyph] = [:]
    private var indexCache: [UInt32: UInt32] = [:]
    private var kernCache: [UInt64: Int] = [:]

    /// The largest pixel size accepted.
    public static let maxSize = 1000

    /// Loads the face in a font file (`faceIndex` selects a face in a .ttc collection).
    public init(path: String, size: Int, faceIndex: Int = 0) throws(VisionError) {
        guard size >= 1, size <= Font.maxSize else {
            throw VisionError("font: size must be 1…\(Font.maxSize) pixels, got \(size)")
        }
        // FreeType opens the file itself; check first so errors say why it cannot.
        _ = try visionFileIO("font") { () throws(FileError) in try ReadFile(path: path) }
        let face = try FreeType.withLibrary { (lib: FT_Library) throws(VisionError) -> FT_Face in
            var face: FT_Face?
            let err = FT_New_Face(lib, path, FT_Long(faceIndex), &face)
            guard err == 0, let f = face else {
                throw VisionError("font: \(path) is not a font file FreeType can read (\(FreeType.errorText(err)))")
            }
            let sizeErr = FT_Set_Pixel_Sizes(f, 0, FT_UInt(size))
            if sizeErr != 0 {
                FT_Done_Face(f)
                throw VisionError("font: \(path) cannot be set to \(size) px (\(FreeType.errorText(sizeErr)))")
            }
            return f
        }
        self.face = face
        self.path = path
        self.faceIndex = faceIndex
        self.size = size
        let rec = face.pointee
        family = rec.family_name.map { String(cString: $0) } ?? ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        style = rec.style_name.map { String(cString: $0) } ?? "Regular"
        hasKerning = (rec.face_flags & FT_Long(FT_FACE_FLAG_KERNING)) != 0
        let m = rec.size.pointee.metrics
        ascent = (Int(m.ascender) + 63) >> 6
        descent = (-Int(m.descender) + 63) >> 6
        lineHeight = Swift.max(1, (Int(m.height) + 32) >> 6)
    }

    /// Loads `family` in `style` from the installed fonts (`FontCatalog.shared`).
    /// An unknown family lists the families found and suggests the closest one.
    public convenience init(family: String, style: String = "Regular", size: Int) throws(VisionError) {
        let f = try FontCatalog.shared.face(family: family, style: style)
        try self.init(path: f.path, size: size, faceIndex: f.faceIndex)
    }

    deinit {
        let f = face
        FreeType.lockedQuietly { _ = FT_Done_Face(f) }
    }

    nonisolated(unsafe) private static var loaded: [String: Font] = [:]
    private static let loadedLock = NSLock()

    /// A font by path (contains "/" or ends in .ttf/.otf/.ttc/.otc) or by
    /// "Family" / "Family Style" name ("DejaVu Sans Bold"), kept in a
    /// process-wide cache so repeated loads share one face and its glyph cache.
    public static func load(_ spec: String, size: Int) throws(VisionError) -> Font {
        let isPath = spec.contains("/") || FontCatalog.fontExtensions.contains((spec as NSString).pathExtension.lowercased())
        let path: String, index: Int
        if isPath {
            (path, index) = (spec, 0)
        } else {
            let f = try FontCatalog.shared.face(named: spec)
            (path, index) = (f.path, f.faceIndex)
        }
        let key = "\(path)#\(index)@\(size)"
        loadedLock.lock()
        if let f = loaded[key] {
            loadedLock.unlock()
            return f
        }
        loadedLock.unlock()
        let font = try Font(path: path, size: size, faceIndex: index)
        loadedLock.lock()
        defer { loadedLock.unlock() }
        if let f = loaded[key] { return f }
        loaded[key] = font
        return font
    }

    public var description: String { "\(family) \(style) \(size)px" }

    /// Whether the font has a glyph for every scalar of `c`.
    public func hasGlyph(_ c: Character) -> Bool {
        FreeType.lockedQuietly { c.unicodeScalars.allSatisfy { glyphIndex($0) != 0 } }
    }

    // MARK: - Glyphs (callers hold the FreeType lock)

    /// The font's glyph index for a scalar (0 = none). Call under the FreeType lock.
    func glyphIndex(_ s: Unicode.Scalar) -> UInt32 {
        if let i = indexCache[s.value] { return i }
        let i = UInt32(FT_Get_Char_Index(face, FT_ULong(s.value)))
        indexCache[s.value] = i
        return i
    }

    /// The rendered glyph for a glyph index. Call under the FreeType lock.
    func glyph(_ index: UInt32) throws(VisionError) -> Glyph {
        if let g = glyphCache[index] { return g }
        let err = FT_Load_Glyph(face, FT_UInt(index), FT_Int32(FT_LOAD_RENDER))
        guard err == 0, let slot = face.pointee.glyph else {
            throw VisionError("font: \(self) cannot render glyph \(index) (\(FreeType.errorText(err)))")
        }
        let bm = slot.pointee.bitmap
        let w = Int(bm.width), h = Int(bm.rows), pitch = Int(bm.pitch)
        var coverage = [UInt8](repeating: 0, count: w * h)
        if w > 0, h > 0, let buf = bm.buffer {
            let mode = UInt32(bm.pixel_mode)
            for y in 0..<h {
                let row = pitch >= 0 ? buf + y * pitch : buf + (h - 1 - y) * (-pitch)
                for x in 0..<w {
                    if mode == FT_PIXEL_MODE_GRAY.rawValue {
                        let levels = Swift.max(2, Int(bm.num_grays))
                        let v = Int(row[x])
                        coverage[y * w + x] = UInt8(levels == 256 ? v : Swift.min(255, v * 255 / (levels - 1)))
                    } else if mode == FT_PIXEL_MODE_MONO.rawValue {
                        coverage[y * w + x] = (row[x >> 3] >> (7 - UInt8(x & 7))) & 1 == 1 ? 255 : 0
                    } else {
                        throw VisionError("font: \(self) rendered glyph \(index) in unsupported pixel mode \(mode)")
                    }
                }
            }
        }
        let g = Glyph(
            index: index, advance: Int(slot.pointee.advance.x), left: Int(slot.pointee.bitmap_left),
            top: Int(slot.pointee.bitmap_top), width: w, rows: h, coverage: coverage)
        glyphCache[index] = g
        return g
    }

    /// Kerning between two glyphs in 26.6 units (grid-fitted, so whole pixels
    /// for scalable fonts); 0 when the face has no kerning. Call under the lock.
    func kerning(_ left: UInt32, _ right: UInt32) -> Int {
        guard hasKerning, left != 0, right != 0 else { return 0 }
        let key = UInt64(left) << 32 | UInt64(right)
        if let k = kernCache[key] { return k }
        var v = FT_Vector()
        let err = FT_Get_Kerning(face, FT_UInt(left), FT_UInt(right), FT_UInt(FT_KERNING_DEFAULT.rawValue), &v)
        let k = err == 0 ? Int(v.x) : 0
        kernCache[key] = k
        return k
    }
}
