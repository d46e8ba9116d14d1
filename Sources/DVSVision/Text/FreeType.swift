import CFreeType
import DVSTensor
import Foundation

/// The process's one FreeType library and the lock that serializes every call
/// into it.
///
/// FreeType is not thread-safe per `FT_Library`: faces created from one
/// library must not be used from two threads at once, and neither may the
/// library itself. DVS keeps one library per process and guards *every*
/// FreeType call (opening faces, loading and rendering glyphs, kerning,
/// closing faces) with one recursive lock, so `Font`, `FontCatalog`,
/// `Image.drawText` and `TextPage.generate` may be called from any thread.
/// Rendered glyphs are cached per `Font`, so after warm-up the lock is held only
/// for short cache look-ups and drawing itself runs without FreeType.
enum FreeType {
    private static let lock = NSRecursiveLock()

    /// Created on first use; never destroyed (it lives as long as the process).
    nonisolated(unsafe) private static var library: FT_Library?
    nonisolated(unsafe) private static var initError: Int32 = 0

    /// Runs `body` with the library while holding the FreeType lock.
    static func withLibrary<R>(_ body: (FT_Library) throws(VisionError) -> R) throws(VisionError) -> R {
        lock.lock()
        defer { lock.unlock() }
        if library == nil, initError == 0 {
            var lib: FT_Library?
            let err = FT_Init_FreeType(&lib)
            if err != 0 || lib == nil { initError = err == 0 ? -1 : err } else { library = lib }
        }
        guard let lib = library else {
            throw VisionError("font: FreeType failed to initialize (\(errorText(initError)))")
        }
        return try body(lib)
    }

    /// Runs `body` while holding the FreeType lock (for calls on an open face).
    static func locked<R>(_ body: () throws(VisionError) -> R) throws(VisionError) -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// Non-throwing variant of `locked` for cache look-ups and cleanup.
    static func lockedQuietly<R>(_ body: () -> R) -> R {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }

    /// A readable name for a FreeType error code (the common ones; others by number).
    static func errorText(_ code: Int32) -> String {
        switch code {
        case 0x01: return "cannot open resource"
        case 0x02: return "unknown file format"
        case 0x03: return "broken file"
        case 0x04: return "invalid FreeType version"
        case 0x06: return "invalid argument"
        case 0x07: return "unimplemented feature"
        case 0x08: return "broken table"
        case 0x10: return "invalid glyph index"
        case 0x17: return "invalid pixel size"
        case 0x40: return "out of memory"
        case 0x51: return "unknown SFNT table"
        case 0x55: return "no such face in the file"
        default: return String(format: "FreeType error 0x%02X", Int(code))
        }
    }
}
