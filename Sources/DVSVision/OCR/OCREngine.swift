import CTesseract
import DVSTensor
import Foundation
import Synchronization

/// What `OCREngine.recognize` returns one box for: each word, or each text line.
public enum OCRLevel: String, Sendable, CaseIterable {
    case word
    case line
}

/// One Tesseract handle (C API), initialised once for a language and reused.
///
/// Not thread-safe: use one engine per thread (`OCRPool` does this for you).
/// Initialisation costs 0.1–0.5 s, so keep engines alive rather than making
/// one per page.
///
/// Language data is looked up in this order (the first folder holding every
/// requested `<lang>.traineddata` wins; see `tessdataSearchPaths()`):
/// 1. the `tessdata:` argument, when given (then only that folder),
/// 2. `$DVS_TESSDATA`,
/// 3. `$TESSDATA_PREFIX`, then `$TESSDATA_PREFIX/tessdata`,
/// 4. `/usr/share/tesseract-ocr/5/tessdata`, `/usr/share/tesseract-ocr/4.00/tessdata`,
///    `/usr/share/tessdata`, `/usr/local/share/tessdata`.
///
/// Pixels: a 1-channel image follows the DVS text-page convention (ink = 1 on a
/// 0 background) and is handed to Tesseract as 8-bit gray `255·(1 − ink)`, i.e.
/// dark text on light. 3- and 4-channel images are ordinary colour pictures
/// (1 = bright) and are handed over as their Rec. 601 luma
/// `0.299 R + 0.587 G + 0.114 B`, not inverted; RGBA is composited over white.
///
/// Threads: Tesseract parallelises inside one page with OpenMP, which on small
/// pages is 3–7× slower than running it single-threaded. Every `recognize` call
/// turns OpenMP off for the calling thread (`omp_set_max_active_levels(0)`,
/// found with `dlsym`), so parallelism comes from running pages side by side.
public final class OCREngine {
    /// The default page segmentation mode: 6, "a single uniform block of text".
    /// On drawn two-line pages (DejaVu Sans, 26–36 px) 6 and 3 (fully
    /// automatic layout) read the same words (203/203 straight; 395/400 and
    /// 373 vs 372/400 with ±3 and ±6 px vertical word jitter), and 6 was
    /// 5–10% faster since it skips layout analysis. 6 is chosen because a
    /// generated page *is* one block: nothing can be set aside as picture or
    /// noise, and lines are read top to bottom, left to right. Use 3 for
    /// real documents with columns, pictures or scattered blocks (6 reads
    /// side-by-side columns as joined lines), 7 for a single line.
    public static let defaultPSM = 6
    /// Page segmentation modes that recognise text: 1 (automatic with
    /// orientation and script detection; needs `osd.traineddata`) and 3…13.
    /// 0 (orientation only) and 2 (layout only) produce no text and are refused.
    public static let validPSMs: [Int] = [1] + Array(3...13)
    /// Largest side Tesseract can address (its boxes use 16-bit coordinates).
    public static let maxSide = 32_767
    /// Largest page accepted, in pixels (about 10 000 × 10 000).
    public static let maxPixels = 100_000_000
    /// Resolution Tesseract is told the pages have; sets its size expectations
    /// and silences the "invalid resolution 0 dpi" warning.
    public static let resolution: Int32 = 300

    /// Language(s) as given to Tesseract, e.g. "eng" or "eng+deu".
    public let language: String
    /// The tessdata folder the language data was loaded from.
    public let tessdataPath: String

    private let handle: OpaquePointer

    /// Initialise a Tesseract handle for `language` ("eng", or several joined by
    /// "+"). `tessdata` overrides the search (see the type's documentation).
    /// Throws a `VisionError` naming the language and every folder searched
    /// when the data is missing.
    public init(language: String = "eng", tessdata: String? = nil) throws(VisionError) {
        let path = try OCREngine.findTessdata(language: language, tessdata: tessdata)
        try OCRSetup.prepareProcess()
        guard let api = dvs_TessBaseAPICreate() else { throw VisionError("OCR: could not create a Tesseract handle") }
        // Serialised: Init touches process-wide Tesseract parameters.
        let rc = OCRSetup.lock.withLock { dvs_TessBaseAPIInit3(api, path, language) }
        guard rc == 0 else {
            dvs_TessBaseAPIDelete(api)
            throw VisionError("OCR: Tesseract could not load language '\(language)' from \(path) (is \(language).traineddata a valid Tesseract 4/5 file?)")
        }
        self.handle = api
        self.language = language
        self.tessdataPath = path
    }

    deinit {
        dvs_TessBaseAPIEnd(handle)
        dvs_TessBaseAPIDelete(handle)
    }

    // MARK: language data

    /// Folders searched for language data, in order, without checking them
    /// (environment variables that are unset or empty are left out).
    public static func tessdataSearchPaths(environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        var paths: [String] = []
        if let dvs = environment["DVS_TESSDATA"], !dvs.isEmpty { paths.append(dvs) }
        if let prefix = environment["TESSDATA_PREFIX"], !prefix.isEmpty {
            paths.append(prefix)
            paths.append((prefix as NSString).appendingPathComponent("tessdata"))
        }
        paths += [
            "/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata",
            "/usr/share/tessdata", "/usr/local/share/tessdata",
        ]
        var seen = Set<String>()
        return paths.filter { seen.insert($0).inserted }
    }

    /// The first folder holding `<lang>.traineddata` for every language in
    /// `language` ("eng+deu" needs both). With `tessdata`, only that folder.
    public static func findTessdata(language: String, tessdata: String? = nil) throws(VisionError) -> String {
        let langs = language.split(separator: "+", omittingEmptySubsequences: false).map(String.init)
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
        guard !language.isEmpty, langs.allSatisfy({ !$0.isEmpty && $0.allSatisfy(allowed.contains) }) else {
            throw VisionError("OCR: bad language name '\(language)': expected names like \"eng\" or \"eng+deu\" (letters, digits, _ and -)")
        }
        let candidates = tessdata.map { [$0] } ?? tessdataSearchPaths()
        let fm = FileManager.default
        for dir in candidates {
            if langs.allSatisfy({ fm.isReadableFile(atPath: (dir as NSString).appendingPathComponent("\($0).traineddata")) }) {
                return dir
            }
        }
        let files = langs.map { "\($0).traineddata" }.joined(separator: ", ")
        let how =
            tessdata == nil
            ? "set DVS_TESSDATA to a folder holding it, or install the Tesseract language package (e.g. tesseract-ocr-\(langs[0]))"
            : "pass a folder holding it, or leave tessdata unset to search the usual places"
        throw VisionError("OCR: no language data for '\(language)' (\(files)); searched: \(candidates.joined(separator: ", ")); \(how)")
    }

    // MARK: recognition

    /// Recognise the text of `image` and return one box per word (or per text
    /// line) in reading order, with the text, Tesseract's confidence (0–100)
    /// and the level ("word" or "line"). Boxes are in image pixels, right and
    /// bottom exclusive. A page without text gives []. Stops early with
    /// `VisionError.interrupted` when `Cancellation` asks (at Tesseract's
    /// next cancel point: between words, after layout analysis).
    public func recognize(_ image: Image, level: OCRLevel = .word, psm: Int = OCREngine.defaultPSM) throws(VisionError) -> [Box] {
        try recognize(image, level: level, psm: psm, stop: OCRStop())
    }

    /// `recognize`, also stopping when `stop` is raised (it stays raised
    /// after `Cancellation` has been seen, even once Ctrl-C is cleared).
    func recognize(_ image: Image, level: OCRLevel, psm: Int, stop: OCRStop) throws(VisionError) -> [Box] {
        try OCREngine.validate(image, psm: psm)
        if psm == 1 && !FileManager.default.isReadableFile(atPath: (tessdataPath as NSString).appendingPathComponent("osd.traineddata")) {
            throw VisionError("OCR: page segmentation mode 1 needs osd.traineddata, not found in \(tessdataPath)")
        }
        let gray = OCREngine.gray8(image)
        OCRSetup.serialOpenMPOnThisThread()
        dvs_TessBaseAPISetPageSegMode(handle, TessPageSegMode(rawValue: UInt32(psm)))
        gray.withUnsafeBufferPointer { buf in
            dvs_TessBaseAPISetImage(handle, buf.baseAddress, Int32(image.width), Int32(image.height), 1, Int32(image.width))
        }
        dvs_TessBaseAPISetSourceResolution(handle, OCREngine.resolution)
        defer { dvs_TessBaseAPIClear(handle) }
        // Tesseract asks the monitor's cancel function between words; `stop`
        // answers (Ctrl-C through `Cancellation`), and a cancelled page is dropped.
        guard let monitor = dvs_TessMonitorCreate() else { throw VisionError("OCR: could not create a Tesseract monitor") }
        defer { dvs_TessMonitorDelete(monitor) }
        dvs_TessMonitorSetCancelFunc(monitor) { this, _ in
            guard let this else { return false }
            return Unmanaged<OCRStop>.fromOpaque(this).takeUnretainedValue().isRaised
        }
        let status = withExtendedLifetime(stop) {
            dvs_TessMonitorSetCancelThis(monitor, Unmanaged.passUnretained(stop).toOpaque())
            return dvs_TessBaseAPIRecognize(handle, monitor)
        }
        if stop.isRaised { throw VisionError.interrupted }
        guard status == 0 else {
            throw VisionError("OCR: Tesseract failed to recognise a \(image.width)×\(image.height) page")
        }
        guard let it = dvs_TessBaseAPIGetIterator(handle) else { return [] }  // nothing found
        defer { dvs_TessResultIteratorDelete(it) }
        let ril = level == .word ? RIL_WORD : RIL_TEXTLINE
        let page = dvs_TessResultIteratorGetPageIterator(it)  // the same object as `it`: not deleted separately
        var boxes: [Box] = []
        repeat {
            guard let cText = dvs_TessResultIteratorGetUTF8Text(it, ril) else { continue }
            let text = String(cString: cText).trimmingCharacters(in: .whitespacesAndNewlines)
            dvs_TessDeleteText(cText)
            if text.isEmpty { continue }
            var l: Int32 = 0, t: Int32 = 0, r: Int32 = 0, b: Int32 = 0
            guard dvs_TessPageIteratorBoundingBox(page, ril, &l, &t, &r, &b) != 0 else { continue }
            let conf = Double(dvs_TessResultIteratorConfidence(it, ril))
            boxes.append(
                Box(
                    x: Double(l), y: Double(t), w: Double(r - l), h: Double(b - t), text: text,
                    confidence: Swift.min(100, Swift.max(0, conf)), level: level.rawValue))
        } while dvs_TessResultIteratorNext(it, ril) != 0
        return boxes
    }

    /// The checks `recognize` makes before touching Tesseract.
    static func validate(_ image: Image, psm: Int) throws(VisionError) {
        guard validPSMs.contains(psm) else {
            throw VisionError(
                "OCR: unknown page segmentation mode \(psm): expected 1 or 3…13 (3 = automatic layout, 6 = one block of text, 7 = one line, 11 = sparse text)")
        }
        guard image.width > 0, image.height > 0 else {
            throw VisionError("OCR: empty image (\(image.width)×\(image.height))")
        }
        guard [1, 3, 4].contains(image.channels), image.pixels.count == image.width * image.height * image.channels else {
            throw VisionError("OCR: image has \(image.pixels.count) values for \(image.width)×\(image.height)×\(image.channels)")
        }
        guard image.width <= maxSide, image.height <= maxSide, image.width * image.height <= maxPixels else {
            throw VisionError("OCR: image \(image.width)×\(image.height) is too large (at most \(maxSide) pixels per side and \(maxPixels) pixels)")
        }
    }

    /// 8-bit gray, dark text on light, as Tesseract wants (see the type's documentation).
    static func gray8(_ image: Image) -> [UInt8] {
        let n = image.width * image.height
        var out = [UInt8](repeating: 255, count: n)
        image.pixels.withUnsafeBufferPointer { p in
            out.withUnsafeMutableBufferPointer { o in
                @inline(__always) func byte(_ v: Float) -> UInt8 {
                    let c = v.isNaN ? 0 : Swift.min(1, Swift.max(0, v))
                    return UInt8(c * 255 + 0.5)
                }
                switch image.channels {
                case 1:
                    for i in 0..<n { o[i] = byte(1 - p[i]) }
                default:
                    for i in 0..<n {
                        let luma = 0.299 * p[i] + 0.587 * p[n + i] + 0.114 * p[2 * n + i]
                        if image.channels == 4 {
                            let a = Swift.min(1, Swift.max(0, p[3 * n + i].isNaN ? 0 : p[3 * n + i]))
                            o[i] = byte(a * luma + (1 - a))
                        } else {
                            o[i] = byte(luma)
                        }
                    }
                }
            }
        }
        return out
    }
}

/// Tells recognition to stop: raised by hand, or the first time it is asked
/// while `Cancellation` says stop; once raised it stays raised.
final class OCRStop: Sendable {
    private let raised = Atomic<Bool>(false)

    var isRaised: Bool {
        if raised.load(ordering: .relaxed) { return true }
        guard Cancellation.isRequested else { return false }
        raised.store(true, ordering: .relaxed)
        return true
    }
}

/// Process-wide Tesseract/OpenMP setup.
enum OCRSetup {
    static let lock = NSLock()
    nonisolated(unsafe) private static var prepared = false

    /// Once per process, before the first Tesseract handle: ask OpenMP for one
    /// thread via the environment, load libtesseract (CTesseract opens it on
    /// first use, which also loads libgomp, after the `setenv`, so libgomp
    /// reads it; `serialOpenMPOnThisThread()` covers a limit the user set
    /// otherwise, which is kept) and send Tesseract's debug chatter to /dev/null.
    static func prepareProcess() throws(VisionError) {
        let failure: UnsafePointer<CChar>? = lock.withLock {
            if prepared { return nil }
            setenv("OMP_THREAD_LIMIT", "1", 0)
            if let failure = dvs_tesseract_open() { return failure }
            prepared = true
            // `debug_file` is a global Tesseract parameter (tprintf's target):
            // set it once, before any recognition reads it.
            if let api = dvs_TessBaseAPICreate() {
                _ = dvs_TessBaseAPISetVariable(api, "debug_file", "/dev/null")
                dvs_TessBaseAPIDelete(api)
            }
            return nil
        }
        if let failure {
            // The install hint is for the system library, not a DVS_TESSERACT path.
            let hint = getenv("DVS_TESSERACT") == nil ? "; install Tesseract 5 (Debian: libtesseract5)" : ""
            throw VisionError("OCR: \(String(cString: failure))\(hint)")
        }
    }

    private typealias SetInt = @convention(c) (Int32) -> Void
    /// `omp_set_max_active_levels`, looked up in the already-loaded libgomp.
    private static let setMaxActiveLevels: SetInt? = {
        #if os(Linux)
        let scope: UnsafeMutableRawPointer? = nil  // RTLD_DEFAULT
        #else
        let scope = UnsafeMutableRawPointer(bitPattern: -2)  // RTLD_DEFAULT
        #endif
        guard let sym = dlsym(scope, "omp_set_max_active_levels") else { return nil }
        return unsafeBitCast(sym, to: SetInt.self)
    }()

    /// With max-active-levels 0 every OpenMP parallel region started by this
    /// thread runs on this thread alone, whatever `num_threads` Tesseract asks
    /// for. The setting is per thread (libgomp keeps it in the thread's ICVs).
    static func serialOpenMPOnThisThread() {
        setMaxActiveLevels?(0)
    }
}
