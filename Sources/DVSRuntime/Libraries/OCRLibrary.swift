import DVSLang
import DVSTensor
import DVSVision

/// OCR through Tesseract's C API: one engine per worker thread, kept alive.
enum OCRLibrary {
    static func options(_ a: Arguments, from i: Int) throws(NativeError) -> (String, OCRLevel, Int) {
        let lang = try a.string(i)
        return (lang, try a.choice(i + 1, as: OCRLevel.self), try a.int(i + 2))
    }

    static let parameters: [NativeFunction.Parameter] = [
        .init("lang", .string, default: .string("eng")), .init("level", .choice(OCRLevel.allCases.map(\.rawValue)), default: .string("word")),
        .init("psm", .number, default: .number(Double(OCREngine.defaultPSM))),
    ]

    static let functions: [NativeFunction] = [
        NativeFunction(
            "ocr", [.init("img", .image)] + parameters, returns: "list",
            help:
                "Word (or line) boxes with text and confidence (0–100) read by Tesseract. Gray images are ink 1 on 0 (as text_page draws them; invert() dark-on-light scans); psm 6 reads one block (drawn pages), 3 analyses the layout (real documents). Language data: $DVS_TESSDATA, $TESSDATA_PREFIX, or the system tessdata folders."
        ) { a in
            let img = try a.image(0)
            let (lang, level, psm) = try options(a, from: 1)
            let boxes = try libraryCall { () throws(VisionError) -> [Box] in
                try OCRPool.shared(language: lang).recognizeAll([img], level: level, psm: psm)[0]
            }
            return .list(boxes.map(BoxValue.wrap))
        },
        NativeFunction(
            "ocr_all", [.init("images", .list)] + parameters, returns: "list",
            help: "ocr over many images in parallel (one Tesseract engine per core, reused across calls); results in input order."
        ) { a in
            let imgs = try ImageLibrary.images(a, 0)
            let (lang, level, psm) = try options(a, from: 1)
            let pages = try libraryCall { () throws(VisionError) -> [[Box]] in
                try OCRPool.shared(language: lang).recognizeAll(imgs, level: level, psm: psm)
            }
            return .list(pages.map { .list($0.map(BoxValue.wrap)) })
        },
    ]
}
