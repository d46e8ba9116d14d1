import DVSFiles
import Foundation
import XCTest

/// The ustar writer and reader (Python's tarfile reading them back is
/// Tests/interop/shards_test.py).
final class TarTests: FileTestCase {
    func testMembersRoundTripWithOffsetsAndPadding() throws {
        let path = folder + "/a.tar"
        let tar = try TarWriter(path: path)
        let a = try tar.add("k1.json", Array("{}".utf8))
        let b = try tar.add("k1.png", [UInt8](repeating: 7, count: 1000))
        XCTAssertFalse(FileManager.default.fileExists(atPath: path), "nothing appears before commit")
        try tar.commit()
        XCTAssertEqual([a.headerOffset, a.dataOffset, b.headerOffset, b.dataOffset], [0, 512, 1024, 1536])
        let bytes = try ReadFile.bytes(path)
        XCTAssertEqual(bytes.count, 1536 + 1024 + 1024, "data padded to 512, then two zero blocks")
        XCTAssertEqual(Array(bytes[257..<265]), Array("ustar\u{0}00".utf8))
        let entries = try TarReader.entries(path, readingDataOf: { $0.hasSuffix(".json") })
        XCTAssertEqual(entries.map(\.member), [a, b])
        XCTAssertEqual(entries.map(\.data), [Array("{}".utf8), nil])
    }

    func testLongPathsUseThePrefixField() throws {
        let long = String(repeating: "d", count: 120) + "/" + String(repeating: "n", count: 90) + ".json"
        let header = try TarHeader(path: long, size: 3).block()
        XCTAssertEqual(try TarHeader.parse(header, at: 0, in: "x")?.path, long)
        XCTAssertThrowsError(try TarHeader(path: String(repeating: "n", count: 101), size: 0).block()) { e in
            XCTAssertTrue("\(e)".contains("too long for a ustar header"), "\(e)")
        }
        for bad in ["", "/abs", "a/../b", "a//b", "./a"] {
            XCTAssertThrowsError(try TarHeader(path: bad, size: 0).block(), bad)
        }
    }

    func testDamagedAndTruncatedArchivesAreErrors() throws {
        let path = folder + "/b.tar"
        let tar = try TarWriter(path: path)
        try tar.add("x.bin", [UInt8](repeating: 1, count: 600))
        try tar.commit()
        var bytes = try ReadFile.bytes(path)
        try AtomicFile.write(Array(bytes[..<1000]), to: path)
        XCTAssertThrowsError(try TarReader.entries(path)) { e in XCTAssertTrue("\(e)".contains("truncated archive"), "\(e)") }
        bytes[3] ^= 0xFF
        try AtomicFile.write(bytes, to: path)
        XCTAssertThrowsError(try TarReader.entries(path)) { e in XCTAssertTrue("\(e)".contains("is damaged (checksum"), "\(e)") }
    }

    func testAnAbandonedWriterLeavesNoFile() throws {
        let path = folder + "/c.tar"
        do {
            let tar = try TarWriter(path: path)
            try tar.add("x.bin", [1, 2, 3])
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), [])
    }
}
