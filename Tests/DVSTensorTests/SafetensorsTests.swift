import Foundation
import XCTest

@testable import DVSTensor

final class SafetensorsTests: XCTestCase {
    private var folder: String!

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "dvs-safetensors-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if let folder { try? FileManager.default.removeItem(atPath: folder) }
    }

    // MARK: Helpers

    private func path(_ name: String) -> String { folder + "/" + name }

    private func contents(of dir: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
    }

    private func bytes(_ path: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path))) }

    private func intTensor(_ shape: [Int], _ values: [Float]) throws -> Tensor {
        let t = try Tensor(shape: shape, values: values)
        t.dtype = .int64
        return t
    }

    /// A safetensors file from a header text and data bytes; `declared` overrides the header length.
    @discardableResult
    private func rawFile(_ name: String, header: String, data: [UInt8] = [], declared: UInt64? = nil) throws -> String {
        let h = Array(header.utf8)
        return try rawFile(name, headerBytes: h, data: data, declared: declared)
    }

    @discardableResult
    private func rawFile(_ name: String, headerBytes h: [UInt8], data: [UInt8] = [], declared: UInt64? = nil) throws -> String {
        var out: [UInt8] = []
        var n = declared ?? UInt64(h.count)
        for _ in 0..<8 { out.append(UInt8(truncatingIfNeeded: n)); n >>= 8 }
        out += h + data
        let p = path(name)
        try Data(out).write(to: URL(fileURLWithPath: p))
        return p
    }

    private func le<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
        values.flatMap { v -> [UInt8] in (0..<MemoryLayout<T>.size).map { UInt8(truncatingIfNeeded: v >> ($0 * 8)) } }
    }

    private func readError(_ path: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            _ = try Safetensors.read(path)
            XCTFail("\(path): read succeeded, expected an error", file: file, line: line)
            return ""
        } catch {
            return error.message
        }
    }

    private func writeError(_ tensors: [(String, Tensor)], to path: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            try Safetensors.write(tensors, to: path)
            XCTFail("\(path): write succeeded, expected an error", file: file, line: line)
            return ""
        } catch {
            return error.message
        }
    }

    private func assertSameBits(_ a: [Float], _ b: [Float], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.map(\.bitPattern), b.map(\.bitPattern), file: file, line: line)
    }

    // MARK: Round trip

    func testRoundTripKeepsNamesOrderShapesDtypesValuesAndMetadata() throws {
        let base = try Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
        let transposed = try base.transpose()  // [3,2], not contiguous
        let sliced = try base.slice(axis: 1, start: 1, end: nil)  // [2,2], offset view
        XCTAssertFalse(transposed.isContiguous)
        let special: [Float] = [-0.0, .infinity, -.infinity, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 1e-20, -3.25]
        let tensors: [(String, Tensor)] = [
            ("w", try Tensor(shape: [7], values: special)),
            ("b", Tensor(scalar: 0.5)),
            ("empty", try Tensor(shape: [0, 3], values: [])),
            ("ids", try intTensor([5], [-100, 0, 7, 16_777_216, -16_777_216])),
            ("t", transposed),
            ("layer.0/weight \"q\" ü", sliced),
            ("nothing", try intTensor([1, 0], [])),
            ("class", try intTensor([], [3])),
        ]
        let metadata = ["step": "100", "note": "a \"quoted\"\nline\twith ü and \u{1}"]
        let p = path("model.safetensors")
        try Safetensors.write(tensors, metadata: metadata, to: p)

        // Layout: header length is a multiple of 8 (padded with spaces), data fills the rest.
        let raw = try bytes(p)
        let headerLength = raw[0..<8].reversed().reduce(0) { $0 << 8 | Int($1) }
        XCTAssertEqual(headerLength % 8, 0)
        let dataBytes = 7 * 4 + 4 + 0 + 5 * 8 + 6 * 4 + 4 * 4 + 0 + 8
        XCTAssertEqual(raw.count, 8 + headerLength + dataBytes)
        let headerText = String(decoding: raw[8..<(8 + headerLength)], as: UTF8.self)
        XCTAssertTrue(headerText.hasPrefix("{\"__metadata__\":{\"note\":"), headerText)
        XCTAssertTrue(headerText.trimmingCharacters(in: .init(charactersIn: " ")).hasSuffix("}}"), headerText)
        XCTAssertEqual(try contents(of: folder), ["model.safetensors"])

        let (loaded, meta) = try Safetensors.read(p)
        XCTAssertEqual(meta, metadata)
        XCTAssertEqual(loaded.map(\.0), tensors.map(\.0))
        for ((name, original), (_, back)) in zip(tensors, loaded) {
            XCTAssertEqual(back.shape, original.shape, name)
            XCTAssertEqual(back.dtype, original.dtype, name)
            XCTAssertEqual(back.name, name)
            assertSameBits(back.values, original.values)
        }
        XCTAssertEqual(loaded[4].1.values, [1, 4, 2, 5, 3, 6])
        XCTAssertEqual(loaded[5].1.values, [2, 3, 5, 6])

        // No tensors, no metadata: still a valid file.
        try Safetensors.write([], to: path("nothing.safetensors"))
        let none = try Safetensors.read(path("nothing.safetensors"))
        XCTAssertTrue(none.tensors.isEmpty)
        XCTAssertTrue(none.metadata.isEmpty)
    }

    func testReadReturnsEveryNameAsWritten() throws {
        // Names that do not nest (empty, empty parts, a prefix of another) are
        // still distinct tensors: nesting is the caller's choice (DVS's load).
        let names = ["", "a..b", ".a", "a.", "a", "a.b", "0.1"]
        let header =
            "{"
            + names.enumerated().map { i, name in
                "\"\(name)\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[\(i),\(i + 1)]}"
            }.joined(separator: ",") + "}"
        let p = try rawFile("names.safetensors", header: header, data: names.indices.map { UInt8($0) })
        let (tensors, _) = try Safetensors.read(p)
        XCTAssertEqual(tensors.map(\.0), names)
        XCTAssertEqual(tensors.map { $0.1.values }, names.indices.map { [Float($0)] })
        XCTAssertEqual(tensors.map { $0.1.name }, names)
    }

    func testReadsEveryIntegerAndFloatTypeOfTheFormat() throws {
        func check(
            _ dtype: String, _ shape: [Int], _ data: [UInt8], _ expected: [Float], integer: Bool,
            line: UInt = #line
        ) throws {
            let header = "{\"x\":{\"dtype\":\"\(dtype)\",\"shape\":\(shapeText(shape)),\"data_offsets\":[0,\(data.count)]}}"
            let p = try rawFile("\(dtype).safetensors", header: header, data: data)
            let (tensors, _) = try Safetensors.read(p)
            XCTAssertEqual(tensors.count, 1, line: line)
            XCTAssertEqual(tensors[0].1.shape, shape, line: line)
            XCTAssertEqual(tensors[0].1.dtype, integer ? .int64 : .float32, dtype, line: line)
            assertSameBits(tensors[0].1.values, expected, line: line)
        }
        try check("F64", [3], le([1.5, -2.0, 1e-3].map { (d: Double) in d.bitPattern }), [1.5, -2, Float(1e-3)], integer: false)
        try check("F32", [2], le([Float(3.5), -1].map(\.bitPattern)), [3.5, -1], integer: false)
        // F16: 1.0, -2.0, 65504 (max), smallest subnormal 2^-24, +inf.
        try check("F16", [5], le([UInt16(0x3c00), 0xc000, 0x7bff, 0x0001, 0x7c00]), [1, -2, 65504, 0x1p-24, .infinity], integer: false)
        // BF16: the top half of a Float32.
        try check("BF16", [2], le([UInt16(0x3fc0), 0xc100]), [1.5, -8], integer: false)
        try check("I64", [3], le([Int64(-5), 16_777_216, 1 << 30]), [-5, 16_777_216, 1_073_741_824], integer: true)
        try check("I32", [2], le([Int32(-7), 123_456]), [-7, 123_456], integer: true)
        try check("I16", [2], le([Int16.min, Int16.max]), [-32768, 32767], integer: true)
        try check("I8", [2], le([Int8(-128), 127]), [-128, 127], integer: true)
        try check("U64", [1], le([UInt64(9)]), [9], integer: true)
        try check("U32", [1], le([UInt32(65536)]), [65536], integer: true)
        try check("U16", [1], le([UInt16.max]), [65535], integer: true)
        try check("U8", [2, 2], [0, 1, 200, 255], [0, 1, 200, 255], integer: true)
        try check("BOOL", [3], [0, 1, 1], [0, 1, 1], integer: true)
    }

    // MARK: Atomic writes

    func testFailedWriteLeavesTheOldFileWholeAndNoTemporaryFiles() throws {
        let p = path("ckpt.safetensors")
        try Safetensors.write([("w", try Tensor(shape: [2], values: [1, 2]))], metadata: ["v": "1"], to: p)
        let old = try bytes(p)

        // The big float tensor is streamed into the temporary file before the
        // bad int64 tensor fails, so this is a failure in the middle of a write.
        let big = try Tensor.full([300_000], 0.25)
        let bad = try intTensor([3], [1, 1.5, 2])
        let message = writeError([("big", big), ("bad", bad)], to: p)
        XCTAssertEqual(message, "\(p): tensor 'bad' is int64 but value 1.5 at index 1 is not a whole number")
        XCTAssertEqual(try bytes(p), old)
        XCTAssertEqual(try contents(of: folder), ["ckpt.safetensors"])

        let huge = try intTensor([1], [1e20])
        XCTAssertEqual(writeError([("n", huge)], to: p), "\(p): tensor 'n' is int64 but value 1e+20 at index 0 is out of the I64 range")
        let nan = try intTensor([2], [0, .nan])
        XCTAssertEqual(writeError([("n", nan)], to: p), "\(p): tensor 'n' is int64 but value nan at index 1 is not a whole number")
        XCTAssertEqual(try bytes(p), old)
        XCTAssertEqual(try contents(of: folder), ["ckpt.safetensors"])

        // A successful write replaces the file.
        try Safetensors.write([("w", try Tensor(shape: [3], values: [7, 8, 9]))], to: p)
        let (tensors, metadata) = try Safetensors.read(p)
        XCTAssertEqual(tensors.map(\.0), ["w"])
        XCTAssertEqual(tensors[0].1.values, [7, 8, 9])
        XCTAssertEqual(metadata, [:])
        XCTAssertEqual(try contents(of: folder), ["ckpt.safetensors"])
    }

    func testWriteErrorsNameThePathAndTheProblem() throws {
        let one: [(String, Tensor)] = [("w", Tensor(scalar: 1))]
        let missing = path("no/such/folder/x.safetensors")
        XCTAssertEqual(writeError(one, to: missing), "cannot write '\(missing)': folder '\(folder!)/no/such/folder' does not exist")
        let sub = path("sub")
        try FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: false)
        XCTAssertEqual(writeError(one, to: sub), "cannot write '\(sub)': it is a folder")
        let notFolder = path("plain")
        try Data([1]).write(to: URL(fileURLWithPath: notFolder))
        XCTAssertEqual(
            writeError(one, to: notFolder + "/x.safetensors"),
            "cannot write '\(notFolder)/x.safetensors': '\(notFolder)' is not a folder")

        let p = path("x.safetensors")
        XCTAssertEqual(writeError([("a", Tensor(scalar: 1)), ("a", Tensor(scalar: 2))], to: p), "\(p): tensor name 'a' is used twice")
        XCTAssertEqual(writeError([("__metadata__", Tensor(scalar: 1))], to: p), "\(p): '__metadata__' is reserved and cannot name a tensor")
        XCTAssertEqual(writeError([("", Tensor(scalar: 1))], to: p), "\(p): tensor names must not be empty")
        XCTAssertEqual(try contents(of: folder), ["plain", "sub"])
    }

    func testWritingThroughASymbolicLinkReplacesTheLinkedFile() throws {
        let real = path("real.safetensors")
        try Safetensors.write([("w", Tensor(scalar: 1))], to: real)
        try FileManager.default.createSymbolicLink(atPath: path("link.safetensors"), withDestinationPath: real)
        try Safetensors.write([("w", Tensor(scalar: 2))], to: path("link.safetensors"))
        XCTAssertEqual(try Safetensors.read(real).tensors[0].1.values, [2])
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: path("link.safetensors")), real)
    }

    // MARK: Corrupt input

    func testCorruptFilesGiveSpecificErrors() throws {
        let corrupt = path("corrupt")
        try FileManager.default.createDirectory(atPath: corrupt, withIntermediateDirectories: false)
        func file(_ name: String) -> String { "corrupt/" + name }
        func entry(_ name: String, _ dtype: String, _ shape: String, _ offsets: String) -> String {
            "\"\(name)\":{\"dtype\":\"\(dtype)\",\"shape\":\(shape),\"data_offsets\":\(offsets)}"
        }
        var cases: [(path: String, expected: String)] = []
        func add(_ name: String, header: String, data: [UInt8] = [], declared: UInt64? = nil, _ expected: String) throws {
            let p = try rawFile(file(name), header: header, data: data, declared: declared)
            cases.append((p, expected))
        }

        // Framing.
        let empty = path(file("empty.safetensors"))
        _ = FileManager.default.createFile(atPath: empty, contents: Data())
        cases.append((empty, "\(empty): file is 0 bytes, too short for a safetensors file (needs at least the 8-byte header length)"))
        let tiny = path(file("tiny.safetensors"))
        _ = FileManager.default.createFile(atPath: tiny, contents: Data([16, 0, 0, 0, 0]))
        cases.append((tiny, "\(tiny): file is 5 bytes, too short"))
        try Safetensors.write([("w", try Tensor(shape: [4], values: [1, 2, 3, 4]))], to: path(file("whole.safetensors")))
        let whole = try bytes(path(file("whole.safetensors")))
        let cut = path(file("truncated-header.safetensors"))
        _ = FileManager.default.createFile(atPath: cut, contents: Data(whole[0..<20]))
        cases.append((cut, "\(cut): header length 56 is larger than the 12 bytes after the length field (file truncated?)"))
        try add(
            "header-longer-than-file.safetensors", header: "{}", declared: 1000,
            "header length 1000 is larger than the 2 bytes after the length field")
        try add(
            "huge-header-length.safetensors", header: "{}", declared: 1 << 62,
            "header length 4611686018427387904 is over the 100000000-byte limit (not a safetensors file?)")
        try add("header-over-limit.safetensors", header: "{}", declared: 100_000_001, "is over the 100000000-byte limit")

        // The header text.
        try add(
            "bad-json.safetensors", header: "{\"w\": {\"dtype\": \"F32\",",
            "header is not valid JSON: expected a quoted member name, found end of input at byte 22")
        try add("bad-json-2.safetensors", header: "{\"w\": [1, 2,]}", "header is not valid JSON: expected a value, found ']' at byte 12")
        try add("trailing.safetensors", header: "{} x", "header is not valid JSON: unexpected 'x' after the end of the JSON value at byte 3")
        try add("not-object.safetensors", header: "[1, 2]", "header must be a JSON object of tensors, got a list")
        try add("string.safetensors", header: "\"hello\"", "header must be a JSON object of tensors, got a string")
        let invalidUTF8 = try rawFile(file("bad-utf8.safetensors"), headerBytes: Array("{\"w".utf8) + [0xff, 0xfe] + Array("\": 1}".utf8))
        cases.append((invalidUTF8, "\(invalidUTF8): header is not valid UTF-8 (byte 3 of the header)"))
        try add("deep.safetensors", header: String(repeating: "[", count: 100_000), "values nested more than 64 deep")
        try add(
            "duplicate.safetensors", header: "{\(entry("w", "F32", "[]", "[0,4]")),\(entry("w", "F32", "[]", "[0,4]"))}",
            data: [0, 0, 0, 0], "header lists 'w' twice")
        try add(
            "metadata-number.safetensors", header: "{\"__metadata__\":{\"step\":100}}",
            "'__metadata__' value of 'step' must be a string, got a number 100")
        try add("metadata-list.safetensors", header: "{\"__metadata__\":[]}", "'__metadata__' must be an object of strings, got a list")

        // Entries.
        try add(
            "entry-number.safetensors", header: "{\"w\": 3}",
            "tensor 'w': entry must be an object with dtype, shape and data_offsets, got a number 3")
        try add("no-offsets.safetensors", header: "{\"w\":{\"dtype\":\"F32\",\"shape\":[]}}", "tensor 'w': entry has no 'data_offsets'")
        try add(
            "field-twice.safetensors", header: "{\"w\":{\"dtype\":\"F32\",\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[0,4]}}",
            data: [0, 0, 0, 0], "tensor 'w': entry lists 'dtype' twice")
        try add(
            "unknown-dtype.safetensors", header: "{\(entry("w", "Q8", "[2]", "[0,2]"))}", data: [0, 0],
            "tensor 'w': unsupported dtype 'Q8' (expected one of F64, F32, F16, BF16, I64, I32, I16, I8, U64, U32, U16, U8, BOOL)")
        try add("f8.safetensors", header: "{\(entry("w", "F8_E4M3", "[2]", "[0,2]"))}", data: [0, 0], "tensor 'w': unsupported dtype 'F8_E4M3'")
        try add(
            "negative-shape.safetensors", header: "{\(entry("w", "F32", "[-1, 3]", "[0,0]"))}",
            "tensor 'w': shape [-1,3] must list non-negative integers (dimension 0 is -1)")
        try add(
            "fractional-shape.safetensors", header: "{\(entry("w", "F32", "[2.5]", "[0,10]"))}",
            "tensor 'w': shape [2.5] must list non-negative integers (dimension 0 is 2.5)")
        try add(
            "shape-not-list.safetensors", header: "{\(entry("w", "F32", "\"2x3\"", "[0,24]"))}",
            "tensor 'w': shape must be a list of non-negative integers, got \"2x3\"")
        try add(
            "huge-shape.safetensors", header: "{\(entry("w", "F32", "[1000000000000]", "[0,4000000000000]"))}",
            "tensor 'w': shape [1000000000000] has too many elements (at most 2147483647)")
        try add(
            "overflowing-shape.safetensors", header: "{\(entry("w", "F32", "[4294967296, 4294967296, 4294967296]", "[0,0]"))}",
            "tensor 'w': shape [4294967296,4294967296,4294967296] has too many elements")
        try add(
            "huge-integer.safetensors", header: "{\(entry("w", "U8", "[99999999999999999999999]", "[0,1]"))}",
            "tensor 'w': shape [99999999999999999999999] must list non-negative integers (dimension 0 is 99999999999999999999999)")
        try add(
            "too-many-dims.safetensors", header: "{\(entry("w", "F32", "[1,1,1,1,1,1,1,1,1]", "[0,4]"))}", data: [0, 0, 0, 0],
            "tensor 'w': shape [1,1,1,1,1,1,1,1,1] has 9 dimensions (at most 8)")
        try add(
            "offsets-not-pair.safetensors", header: "{\(entry("w", "F32", "[1]", "[0]"))}",
            "tensor 'w': data_offsets must be [begin, end] with non-negative integers, got [0]")
        try add(
            "offsets-negative.safetensors", header: "{\(entry("w", "F32", "[1]", "[-4, 0]"))}",
            "tensor 'w': data_offsets must be [begin, end] with non-negative integers, got [-4,0]")
        try add(
            "offsets-reversed.safetensors", header: "{\(entry("w", "F32", "[1]", "[4, 0]"))}", data: [0, 0, 0, 0],
            "tensor 'w': data_offsets [4,0] begin after they end")
        try add(
            "offsets-mismatch.safetensors", header: "{\(entry("w", "F32", "[10, 20]", "[0, 400]"))}", data: [UInt8](repeating: 0, count: 400),
            "tensor 'w': data_offsets [0,400] do not match shape [10,20] of F32 (800 bytes)")
        try add(
            "offsets-past-end.safetensors", header: "{\(entry("w", "F32", "[4]", "[0, 16]"))}", data: [UInt8](repeating: 0, count: 8),
            "tensor 'w': data_offsets [0,16] run past the end of the data (8 bytes after the header; file truncated?)")
        try add(
            "offsets-far-past-end.safetensors", header: "{\(entry("w", "U8", "[2000000000]", "[4000000000, 6000000000]"))}",
            "tensor 'w': data_offsets [4000000000,6000000000] run past the end of the data (0 bytes after the header; file truncated?)")
        try add(
            "overlap.safetensors", header: "{\(entry("b", "F32", "[4]", "[8,24]")),\(entry("a", "F32", "[4]", "[0,16]"))}",
            data: [UInt8](repeating: 0, count: 24), "tensors 'a' and 'b' overlap: data_offsets [0,16] and [8,24]")

        // Values.
        try add(
            "inexact-i64.safetensors", header: "{\(entry("ids", "I64", "[2]", "[0,16]"))}", data: le([Int64(3), 16_777_217]),
            "tensor 'ids': I64 value 16777217 at index 1 cannot be held exactly in Float32 (DVS integers are exact up to ±2^24)")
        try add(
            "inexact-i32.safetensors", header: "{\(entry("ids", "I32", "[1]", "[0,4]"))}", data: le([Int32.max]),
            "tensor 'ids': I32 value 2147483647 at index 0 cannot be held exactly in Float32")
        try add(
            "f64-overflow.safetensors", header: "{\(entry("w", "F64", "[2]", "[0,16]"))}", data: le([1.0, 1e300].map(\.bitPattern)),
            "tensor 'w': F64 value 1e+300 at index 1 is beyond the Float32 range")

        // Files that are not there or not files: the path and the system's reason.
        let missing = path(file("missing.safetensors"))
        XCTAssertEqual(readError(missing), "cannot read '\(missing)': no such file")
        XCTAssertEqual(readError(corrupt), "cannot read '\(corrupt)': it is a folder")

        XCTAssertGreaterThan(try contents(of: corrupt).count, 30)
        for (p, expected) in cases {
            let message = readError(p)
            XCTAssertTrue(message.hasPrefix(p + ": "), "\(message) should start with the path")
            XCTAssertTrue(message.contains(expected), "\(message)\n  should contain: \(expected)")
        }
    }

    /// Random damage to a valid file: every read either succeeds or throws a TensorError.
    func testMutatedFilesNeverCrash() throws {
        let tensors: [(String, Tensor)] = [
            ("a", try Tensor(shape: [3, 2], values: [1, 2, 3, 4, 5, 6])),
            ("ids", try intTensor([4], [1, 2, 3, 4])),
            ("s", Tensor(scalar: 9)),
        ]
        let good = path("good.safetensors")
        try Safetensors.write(tensors, metadata: ["k": "v"], to: good)
        let original = try bytes(good)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        var failures = 0
        let p = path("mutant.safetensors")
        for round in 0..<600 {
            var b = original
            switch round % 4 {
            case 0:  // flip some bytes anywhere
                for _ in 0..<(1 + next(4)) { b[next(b.count)] = UInt8(next(256)) }
            case 1:  // damage the header only (digits, brackets, quotes)
                let alphabet = Array("0123456789[]{}\",:-.e ".utf8)
                for _ in 0..<(1 + next(3)) { b[8 + next(b.count - 8 - 60)] = alphabet[next(alphabet.count)] }
            case 2:  // truncate
                b = Array(b[0..<next(b.count)])
            default:  // change the header length
                b[next(8)] = UInt8(next(256))
            }
            try Data(b).write(to: URL(fileURLWithPath: p))
            do { _ = try Safetensors.read(p) } catch { failures += 1; XCTAssertTrue(error.message.hasPrefix(p + ": ")) }
        }
        XCTAssertGreaterThan(failures, 300)
    }

    // MARK: Python interop

    /// Runs `python3 -c script args…`; returns the exit status and combined output.
    private func python(_ script: String, _ args: [String] = []) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + args
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    private func requirePythonSafetensors() throws {
        let result = try? python("import safetensors, numpy")
        guard let result, result.status == 0 else {
            throw XCTSkip("Python interop needs python3 with safetensors and numpy: pip install safetensors numpy (or run scripts/setup)")
        }
    }

    func testPythonSafetensorsReadsDVSFiles() throws {
        try requirePythonSafetensors()
        let base = try Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
        let tensors: [(String, Tensor)] = [
            ("odd", try Tensor(shape: [3], values: [0.5, -1.25, 3e-8])),  // 12 bytes: the I64 after it is not 8-aligned
            ("ids", try intTensor([2, 2], [-100, 0, 7, 16_777_216])),
            ("t", try base.transpose()),
            ("scalar", Tensor(scalar: 2.5)),
            ("empty", try Tensor(shape: [0, 3], values: [])),
        ]
        let p = path("from-dvs.safetensors")
        try Safetensors.write(tensors, metadata: ["step": "42", "name": "tiny ü"], to: p)
        let script = """
            import sys, numpy as np
            from safetensors import safe_open
            from safetensors.numpy import load_file
            t = load_file(sys.argv[1])
            assert sorted(t) == ["empty", "ids", "odd", "scalar", "t"], sorted(t)
            def same(name, dtype, expected):
                a = t[name]
                e = np.array(expected, dtype=dtype)
                assert a.dtype == e.dtype, (name, a.dtype)
                assert a.shape == e.shape, (name, a.shape, e.shape)
                assert np.array_equal(a, e), (name, a, e)
            same("odd", np.float32, [0.5, -1.25, 3e-8])
            same("ids", np.int64, [[-100, 0], [7, 16777216]])
            same("t", np.float32, [[1, 4], [2, 5], [3, 6]])
            same("scalar", np.float32, 2.5)
            same("empty", np.float32, np.zeros((0, 3)))
            with safe_open(sys.argv[1], framework="np") as f:
                assert f.metadata() == {"step": "42", "name": "tiny ü"}, f.metadata()
                assert list(f.keys()) == sorted(t)
            print("ok")
            """
        let result = try python(script, [p])
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertEqual(result.output.trimmingCharacters(in: .whitespacesAndNewlines), "ok", result.output)
    }

    func testDVSReadsPythonSafetensorsFiles() throws {
        try requirePythonSafetensors()
        let p = path("from-python.safetensors")
        let script = """
            import sys, numpy as np
            from safetensors.numpy import save_file
            save_file({
                "f32": np.array([[1.5, -2.0, 3.25], [0.0, 1e-30, -7.0]], dtype=np.float32),
                "i64": np.array([-100, 0, 5, 16777216], dtype=np.int64),
                "f64": np.array([0.1, -2.5], dtype=np.float64),
                "i32": np.arange(6, dtype=np.int32).reshape(3, 2) - 3,
                "u8": np.array([0, 255], dtype=np.uint8),
                "flags": np.array([True, False, True]),
                "f16": np.array([1.0, -0.5, 65504.0], dtype=np.float16),
                "scalar": np.array(4.0, dtype=np.float32),
                "empty": np.zeros((0, 3), dtype=np.float32),
            }, sys.argv[1], metadata={"format": "np", "epoch": "3"})
            """
        let result = try python(script, [p])
        XCTAssertEqual(result.status, 0, result.output)

        let (tensors, metadata) = try Safetensors.read(p)
        XCTAssertEqual(metadata, ["format": "np", "epoch": "3"])
        let byName = Dictionary(uniqueKeysWithValues: tensors)
        XCTAssertEqual(Set(byName.keys), ["f32", "i64", "f64", "i32", "u8", "flags", "f16", "scalar", "empty"])
        func check(_ name: String, _ shape: [Int], _ dtype: Tensor.DType, _ values: [Float], line: UInt = #line) {
            guard let t = byName[name] else { return XCTFail("missing \(name)", line: line) }
            XCTAssertEqual(t.shape, shape, name, line: line)
            XCTAssertEqual(t.dtype, dtype, name, line: line)
            XCTAssertEqual(t.values, values, name, line: line)
        }
        check("f32", [2, 3], .float32, [1.5, -2, 3.25, 0, 1e-30, -7])
        check("i64", [4], .int64, [-100, 0, 5, 16_777_216])
        check("f64", [2], .float32, [Float(0.1), -2.5])
        check("i32", [3, 2], .int64, [-3, -2, -1, 0, 1, 2])
        check("u8", [2], .int64, [0, 255])
        check("flags", [3], .int64, [1, 0, 1])
        check("f16", [3], .float32, [1, -0.5, 65504])
        check("scalar", [], .float32, [4])
        check("empty", [0, 3], .float32, [])

        // And back: DVS rewrites what it read, Python reads it again.
        try Safetensors.write(tensors, metadata: metadata, to: p)
        let again = try python(
            """
            import sys, numpy as np
            from safetensors.numpy import load_file
            t = load_file(sys.argv[1])
            assert t["i32"].dtype == np.int64 and t["i32"].tolist() == [[-3, -2], [-1, 0], [1, 2]]
            assert t["f64"].dtype == np.float32 and t["f64"][0] == np.float32(0.1)
            print("ok")
            """, [p])
        XCTAssertEqual(again.status, 0, again.output)
    }
}
