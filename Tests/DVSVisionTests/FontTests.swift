import DVSTensor
import DVSVision
import Foundation
import XCTest

final class FontTests: XCTestCase {
    func testLoadsTheInstalledFamilies() throws {
        let families = FontCatalog.shared.families()
        for family in ["DejaVu Sans", "DejaVu Serif", "DejaVu Sans Mono", "Liberation Sans", "Liberation Serif", "Liberation Mono"] {
            XCTAssertTrue(families.contains(family), "\(family) in \(families)")
            let f = try Font(family: family, size: 16)
            XCTAssertEqual(f.family, family)
            XCTAssertEqual(f.size, 16)
            XCTAssertTrue(["Book", "Regular"].contains(f.style), f.style)
            let bold = try Font(family: family, style: "Bold", size: 16)
            XCTAssertEqual(bold.style, "Bold")
            XCTAssertNotEqual(bold.path, f.path)
        }
        XCTAssertEqual(try Font(family: "dejavu sans", style: "bold oblique", size: 12).style, "Bold Oblique")
        XCTAssertEqual(try Font(family: "DejaVu Sans", style: "Italic", size: 12).style, "Oblique")
        XCTAssertEqual(try Font(family: "Liberation Serif", style: "Bold Italic", size: 12).style, "Bold Italic")
        XCTAssertEqual(try Font.load("Liberation Sans Bold", size: 12).style, "Bold")
        XCTAssertEqual(try Font.load("DejaVu Sans Mono", size: 12).family, "DejaVu Sans Mono")
        XCTAssertTrue(try Font.load("DejaVu Sans", size: 12) === Font.load("DejaVu Sans", size: 12), "load caches")
        let byPath = try Font(path: "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", size: 20)
        XCTAssertEqual(byPath.family, "DejaVu Serif")
        XCTAssertEqual(byPath.ascent, 19)  // 0.928 em, rounded up
    }

    func testUnknownFamilySuggestsTheClosest() {
        XCTAssertThrowsError(try Font(family: "DejaVu Sanz", size: 12)) { e in
            let m = "\(e)"
            XCTAssertTrue(m.contains("no font family \"DejaVu Sanz\""), m)
            XCTAssertTrue(m.contains("did you mean \"DejaVu Sans\"?"), m)
            XCTAssertTrue(m.contains("Liberation Serif"), "lists the families found: \(m)")
        }
        XCTAssertThrowsError(try Font(family: "Liberaton Mono", size: 12)) { e in
            XCTAssertTrue("\(e)".contains("did you mean \"Liberation Mono\"?"), "\(e)")
        }
        XCTAssertThrowsError(try Font(family: "DejaVu Sans", style: "Heavy", size: 12)) { e in
            XCTAssertTrue("\(e)".contains("has no style \"Heavy\""), "\(e)")
            XCTAssertTrue("\(e)".contains("Bold Oblique"), "lists the styles: \(e)")
        }
        XCTAssertThrowsError(try Font.load("Comic Sans", size: 12)) { e in
            XCTAssertTrue("\(e)".contains("no font family \"Comic Sans\""), "\(e)")
        }
    }

    func testBadFilesAndSizes() throws {
        XCTAssertThrowsError(try Font(path: "/nonexistent/x.ttf", size: 12)) { e in
            XCTAssertEqual("\(e)", "font: cannot read '/nonexistent/x.ttf': no such file")
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dvs-font-\(getpid())-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let junk = dir.appendingPathComponent("junk.ttf").path
        try Data("not a font".utf8).write(to: URL(fileURLWithPath: junk))
        XCTAssertThrowsError(try Font(path: junk, size: 12)) { e in
            XCTAssertTrue("\(e)".contains("is not a font file FreeType can read (unknown file format)"), "\(e)")
        }
        XCTAssertThrowsError(try Font(family: "DejaVu Sans", size: 0)) { e in
            XCTAssertTrue("\(e)".contains("size must be 1…1000"), "\(e)")
        }
        // A catalog over one directory: the junk file is skipped, a linked font is found.
        XCTAssertThrowsError(try FontCatalog(directories: [dir.path]).face(family: "DejaVu Serif")) { e in
            XCTAssertTrue("\(e)".contains("no fonts were found in \(dir.path)"), "\(e)")
        }
        try FileManager.default.createSymbolicLink(
            atPath: dir.appendingPathComponent("serif.ttf").path,
            withDestinationPath: "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
        let catalog = FontCatalog(directories: [dir.path])
        XCTAssertEqual(catalog.families(), ["DejaVu Serif"])
        XCTAssertEqual(try catalog.face(family: "DejaVu Serif", style: "Regular").style, "Book")
        XCTAssertEqual(catalog.styles(of: "DejaVu Serif"), ["Book"])
    }

    func testSearchPathHonorsTheEnvironment() {
        let saved = ProcessInfo.processInfo.environment["DVS_FONT_PATH"]
        setenv("DVS_FONT_PATH", "/a/fonts:/b/fonts", 1)
        defer { if let saved { setenv("DVS_FONT_PATH", saved, 1) } else { unsetenv("DVS_FONT_PATH") } }
        let path = FontCatalog.defaultSearchPath
        XCTAssertEqual(Array(path.prefix(4)), ["/a/fonts", "/b/fonts", "/usr/share/fonts", "/usr/local/share/fonts"])
        XCTAssertTrue(path.contains { $0.hasSuffix("/.fonts") })
    }
}
