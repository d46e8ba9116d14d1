import CFreeType
import DVSTensor
import Foundation

/// One face of an installed font file, as FreeType names it.
public struct FontFace: Equatable, Sendable, CustomStringConvertible {
    /// FreeType's family name, e.g. "DejaVu Sans", "Liberation Serif".
    public let family: String
    /// FreeType's style name, e.g. "Book", "Regular", "Bold", "Bold Oblique".
    public let style: String
    /// The font file.
    public let path: String
    /// The face's index inside the file (non-zero only in collections, .ttc/.otc).
    public let faceIndex: Int

    public var description: String { "\(family) \(style) (\(path)\(faceIndex > 0 ? " #\(faceIndex)" : ""))" }
}

/// The installed fonts, found by scanning a search path and reading each
/// face's family and style names with FreeType.
///
/// Search path, in order (earlier entries win when two files hold the same
/// family and style):
/// 1. the directories in `$DVS_FONT_PATH` (colon-separated),
/// 2. `/usr/share/fonts`, 3. `/usr/local/share/fonts`,
/// 4. `~/.fonts`, 5. `~/.local/share/fonts`.
///
/// Directories are walked recursively (following symbolic links, each real
/// directory once); files ending in `.ttf`, `.otf`, `.ttc` or `.otc` are read.
/// The index is built on first use and cached for the process; it is rebuilt
/// automatically when the search path changes (e.g. `$DVS_FONT_PATH` is set
/// later), and on `rescan()` after fonts are installed.
///
/// Style names: "Regular" also matches "Book", "Normal", "Roman" and "Medium"
/// (DejaVu calls its regular faces "Book"); "Italic" and "Oblique" stand in for
/// each other when a family has only one of them. Family and style matching
/// ignores case, spaces and hyphens.
public final class FontCatalog: @unchecked Sendable {
    /// The catalog of the default search path.
    public static let shared = FontCatalog()

    /// The directories scanned, in priority order (see the type's documentation).
    public static var defaultSearchPath: [String] {
        var dirs: [String] = []
        if let env = ProcessInfo.processInfo.environment["DVS_FONT_PATH"] {
            dirs += env.split(separator: ":").map(String.init).filter { !$0.isEmpty }
        }
        dirs += ["/usr/share/fonts", "/usr/local/share/fonts"]
        let home = NSHomeDirectory()
        if !home.isEmpty { dirs += [home + "/.fonts", home + "/.local/share/fonts"] }
        return dirs
    }

    private let fixedDirectories: [String]?
    private let lock = NSLock()
    private var indexedPath: [String]?
    private var indexed: [FontFace] = []

    /// A catalog over the default search path (re-read on every look-up, so
    /// changes to `$DVS_FONT_PATH` are honored).
    public init() { fixedDirectories = nil }

    /// A catalog over exactly these directories.
    public init(directories: [String]) { fixedDirectories = directories }

    /// The directories this catalog scans.
    public var searchPath: [String] { fixedDirectories ?? FontCatalog.defaultSearchPath }

    /// Every face found, in search-path order, one per (family, style).
    public func faces() -> [FontFace] {
        let path = searchPath
        lock.lock()
        defer { lock.unlock() }
        if indexedPath != path {
            indexed = FontCatalog.scan(path)
            indexedPath = path
        }
        return indexed
    }

    /// Forgets the cached index; the next look-up scans the search path again.
    public func rescan() {
        lock.lock()
        indexedPath = nil
        lock.unlock()
    }

    /// The family names found, sorted.
    public func families() -> [String] {
        Array(Set(faces().map(\.family))).sorted()
    }

    /// The styles of one family (exact family name as listed), sorted.
    public func styles(of family: String) -> [String] {
        let key = FontCatalog.normalize(family)
        return Array(Set(faces().filter { FontCatalog.normalize($0.family) == key }.map(\.style))).sorted()
    }

    /// The face of `family` in `style`. Errors name what was found and suggest
    /// the closest family (or the styles the family has).
    public func face(family: String, style: String = "Regular") throws(VisionError) -> FontFace {
        let all = faces()
        let key = FontCatalog.normalize(family)
        let ofFamily = all.filter { FontCatalog.normalize($0.family) == key }
        if ofFamily.isEmpty {
            throw VisionError(unknownFamilyMessage(family, all))
        }
        for candidate in FontCatalog.styleCandidates(style) {
            if let f = ofFamily.first(where: { FontCatalog.normalize($0.style) == candidate }) { return f }
        }
        let styles = Array(Set(ofFamily.map(\.style))).sorted()
        throw VisionError("font: family \"\(ofFamily[0].family)\" has no style \"\(style)\"; its styles are: \(styles.joined(separator: ", "))")
    }

    /// Resolves "Family" or "Family Style" (e.g. "DejaVu Sans Bold",
    /// "Liberation Serif Bold Italic"): the longest known family that prefixes
    /// the name, the rest as the style (default "Regular").
    public func face(named name: String) throws(VisionError) -> FontFace {
        let words = name.split(separator: " ").map(String.init)
        var n = words.count
        while n > 0 {
            let family = words[0..<n].joined(separator: " ")
            let rest = words[n...].joined(separator: " ")
            let key = FontCatalog.normalize(family)
            if faces().contains(where: { FontCatalog.normalize($0.family) == key }) {
                return try face(family: family, style: rest.isEmpty ? "Regular" : rest)
            }
            n -= 1
        }
        throw VisionError(unknownFamilyMessage(name, faces()))
    }

    // MARK: - Messages

    private func unknownFamilyMessage(_ family: String, _ all: [FontFace]) -> String {
        let dirs = searchPath.joined(separator: ", ")
        let families = Array(Set(all.map(\.family))).sorted()
        if families.isEmpty {
            return
                "font: no font family \"\(family)\": no fonts were found in \(dirs) (install e.g. fonts-dejavu-core, or set DVS_FONT_PATH to a directory of .ttf/.otf files)"
        }
        let query = FontCatalog.normalize(family)
        let closest = families.min { a, b in
            FontCatalog.distance(query, FontCatalog.normalize(a)) < FontCatalog.distance(query, FontCatalog.normalize(b))
        }!
        return "font: no font family \"\(family)\"; did you mean \"\(closest)\"? Families found in \(dirs): \(families.joined(separator: ", "))"
    }

    // MARK: - Matching

    static func normalize(_ s: String) -> String {
        String(s.lowercased().filter { $0 != " " && $0 != "-" && $0 != "_" })
    }

    /// Normalized style names to try, in order.
    static func styleCandidates(_ style: String) -> [String] {
        var s = normalize(style)
        let regular = ["regular", "book", "normal", "roman", "medium", ""]
        if regular.contains(s) { return regular }
        // "Bold Regular" etc. → "Bold"
        for r in ["regular", "book", "normal", "roman"] where s.hasSuffix(r) && s.count > r.count {
            s.removeLast(r.count)
        }
        var out = [s]
        if s.contains("italic") { out.append(s.replacingOccurrences(of: "italic", with: "oblique")) }
        if s.contains("oblique") { out.append(s.replacingOccurrences(of: "oblique", with: "italic")) }
        return out
    }

    /// Levenshtein distance.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count), cur = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                cur[j] = Swift.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&prev, &cur)
        }
        return prev[b.count]
    }

    // MARK: - Scanning

    static let fontExtensions: Set<String> = ["ttf", "otf", "ttc", "otc"]

    /// Font files under the directories, in search-path order (sorted within a directory).
    static func fontFiles(in directories: [String]) -> [String] {
        let fm = FileManager.default
        var seen = Set<String>()
        var files: [String] = []
        func walk(_ dir: String, depth: Int) {
            guard depth < 32 else { return }
            let real = (dir as NSString).resolvingSymlinksInPath
            guard seen.insert(real).inserted else { return }
            guard let names = try? fm.contentsOfDirectory(atPath: dir) else { return }
            for name in names.sorted() where !name.hasPrefix(".") {
                let path = dir + "/" + name
                var isDir: ObjCBool = false
                guard fm.fileExists(atPath: path, isDirectory: &isDir) else { continue }
                if isDir.boolValue {
                    walk(path, depth: depth + 1)
                } else if fontExtensions.contains((name as NSString).pathExtension.lowercased()) {
                    files.append(path)
                }
            }
        }
        for dir in directories {
            walk(dir.hasSuffix("/") && dir.count > 1 ? String(dir.dropLast()) : dir, depth: 0)
        }
        return files
    }

    /// Reads the family and style of every face of every font file.
    static func scan(_ directories: [String]) -> [FontFace] {
        var out: [FontFace] = []
        var seen = Set<String>()
        for path in fontFiles(in: directories) {
            for face in (try? readFaces(path)) ?? [] {
                let key = normalize(face.family) + "\u{0}" + normalize(face.style)
                if seen.insert(key).inserted { out.append(face) }
            }
        }
        return out
    }

    /// The faces of one file (several for collections).
    static func readFaces(_ path: String) throws(VisionError) -> [FontFace] {
        try FreeType.withLibrary { (lib: FT_Library) throws(VisionError) -> [FontFace] in
            var faces: [FontFace] = []
            var index = 0
            var count = 1
            while index < count {
                var face: FT_Face?
                let err = FT_New_Face(lib, path, FT_Long(index), &face)
                guard err == 0, let f = face else {
                    if index == 0 { throw VisionError("font: cannot read \(path): \(FreeType.errorText(err))") }
                    break
                }
                count = Swift.max(1, Swift.min(Int(f.pointee.num_faces), 64))
                let family = f.pointee.family_name.map { String(cString: $0) } ?? ((path as NSString).lastPathComponent as NSString).deletingPathExtension
                let style = f.pointee.style_name.map { String(cString: $0) } ?? "Regular"
                FT_Done_Face(f)
                faces.append(FontFace(family: family, style: style, path: path, faceIndex: index))
                index += 1
            }
            return faces
        }
    }
}
