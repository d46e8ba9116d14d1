import DVSFiles

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `.safetensors` checkpoints, the format of the Python `safetensors` package
/// (Hugging Face): an 8-byte little-endian header length N, N bytes of UTF-8
/// JSON, then the tensor bytes.
///
///     {"__metadata__": {"step": "100"},
///      "w": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]}, …}
///
/// `data_offsets` are `[begin, end)` byte ranges relative to the end of the header.
///
/// Writing is atomic: a temporary file in the target's folder is written,
/// flushed to disk and renamed over the target, so an interrupted or failed
/// save leaves the previous checkpoint whole. Reading checks the header against
/// the real file size before allocating anything, so a truncated, corrupt or
/// hostile file gives a `TensorError` naming the file, the tensor and what was
/// expected — never a crash or a giant allocation.
public enum Safetensors {
    /// Headers larger than this are rejected (the Python package's limit).
    public static let maxHeaderBytes = 100_000_000

    /// The reserved header key holding string metadata.
    static let metadataKey = "__metadata__"

    /// Element types of the format that DVS reads (DVS writes F32 and I64).
    enum ElementType: String, CaseIterable {
        case F64, F32, F16, BF16, I64, I32, I16, I8, U64, U32, U16, U8, BOOL

        var byteSize: Int {
            switch self {
            case .F64, .I64, .U64: return 8
            case .F32, .I32, .U32: return 4
            case .F16, .BF16, .I16, .U16: return 2
            case .I8, .U8, .BOOL: return 1
            }
        }

        var isInteger: Bool {
            switch self {
            case .F64, .F32, .F16, .BF16: return false
            default: return true
            }
        }

        static let supportedList = allCases.map(\.rawValue).joined(separator: ", ")
    }

    // MARK: Writing

    /// Saves `tensors` (in the given order) and `metadata` to `path`, atomically.
    ///
    /// `.float32` tensors are stored as F32 and `.int64` tensors as I64 (every
    /// value must be a whole number). Any layout works: views are written in
    /// row-major order. Names must be unique, non-empty and not `__metadata__`.
    /// On any error the file at `path` is left as it was and no temporary file
    /// remains.
    public static func write(_ tensors: [(String, Tensor)], metadata: [String: String] = [:], to path: String) throws(TensorError) {
        var seen = Set<String>()
        for (name, _) in tensors {
            guard !name.isEmpty else { throw TensorError("\(path): tensor names must not be empty") }
            guard name != metadataKey else { throw TensorError("\(path): '\(metadataKey)' is reserved and cannot name a tensor") }
            guard seen.insert(name).inserted else { throw TensorError("\(path): tensor name '\(name)' is used twice") }
        }

        // The header: metadata first, then the tensors in buffer order, padded
        // with spaces to a multiple of 8 bytes like the Python package does.
        var header = "{"
        var members: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted().map { JSONValue.quoted($0) + ":" + JSONValue.quoted(metadata[$0]!) }
            members.append(JSONValue.quoted(metadataKey) + ":{" + pairs.joined(separator: ",") + "}")
        }
        var offset = 0
        for (name, tensor) in tensors {
            let type: ElementType = tensor.dtype == .int64 ? .I64 : .F32
            let end = offset + tensor.count * type.byteSize
            members.append(
                JSONValue.quoted(name) + ":{\"dtype\":\"\(type.rawValue)\",\"shape\":["
                    + tensor.shape.map(String.init).joined(separator: ",") + "],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        header += members.joined(separator: ",") + "}"
        var headerBytes = Array(header.utf8)
        headerBytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - headerBytes.count % 8) % 8))

        let file = try fileIO { () throws(FileError) in try AtomicFile(path: path) }
        var committed = false
        defer { if !committed { file.discard() } }

        var prefix = [UInt8](repeating: 0, count: 8)
        var n = UInt64(headerBytes.count)
        for k in 0..<8 { prefix[k] = UInt8(truncatingIfNeeded: n); n >>= 8 }
        try file.append(prefix, count: prefix.count)
        try file.append(headerBytes, count: headerBytes.count)
        for (name, tensor) in tensors {
            try writeData(of: tensor, named: name, to: file)
        }
        try fileIO { () throws(FileError) in try file.commit() }
        committed = true
    }

    /// Elements converted per chunk when a tensor's bytes differ from its storage.
    private static let chunkElements = 1 << 16

    private static func writeData(of tensor: Tensor, named name: String, to file: AtomicFile) throws(TensorError) {
        let n = tensor.count
        if n == 0 { return }
        let source = try tensor.contiguousLayout()
        let values = UnsafePointer(source.data)
        if tensor.dtype == .float32 {
            if UInt32(1).littleEndian == 1 {
                try file.append(UnsafeRawPointer(values), count: n * 4)
                return
            }
            let chunk = UnsafeMutablePointer<UInt32>.allocate(capacity: min(n, chunkElements))
            defer { chunk.deallocate() }
            var start = 0
            while start < n {
                let m = min(chunkElements, n - start)
                for j in 0..<m { chunk[j] = values[start + j].bitPattern.littleEndian }
                try file.append(UnsafeRawPointer(chunk), count: m * 4)
                start += m
            }
            return
        }
        let chunk = UnsafeMutablePointer<Int64>.allocate(capacity: min(n, chunkElements))
        defer { chunk.deallocate() }
        var start = 0
        while start < n {
            let m = min(chunkElements, n - start)
            for j in 0..<m {
                let v = values[start + j]
                guard let whole = Int64(exactly: v) else {
                    let problem = v.isFinite && v == v.rounded() ? "is out of the I64 range" : "is not a whole number"
                    throw TensorError("\(file.path): tensor '\(name)' is int64 but value \(v) at index \(start + j) \(problem)")
                }
                chunk[j] = whole.littleEndian
            }
            try file.append(UnsafeRawPointer(chunk), count: m * 8)
            start += m
        }
    }

    // MARK: Reading

    /// One validated header entry.
    private struct Entry {
        let name: String
        let headerIndex: Int
        let type: ElementType
        let shape: [Int]
        let count: Int
        let begin: Int
        let end: Int
    }

    /// Loads every tensor of the checkpoint at `path` and its string metadata.
    ///
    /// Tensors come back in the order of their bytes in the file (for files
    /// written by `write` or by Python, the order they were saved in), named
    /// (`Tensor.name`) after their key, exactly as written: every key is a
    /// tensor of its own, including `""` and keys with empty dotted parts
    /// (nesting names into records is the caller's business). Floating types (F64, F32, F16, BF16)
    /// become `.float32` tensors; integer types (I64, I32, I16, I8, U64, U32, U16,
    /// U8, BOOL) become `.int64` tensors holding whole numbers, and an integer
    /// that Float32 cannot hold exactly (beyond ±2^24, except the few it can)
    /// is an error rather than a silently rounded value.
    public static func read(_ path: String) throws(TensorError) -> (tensors: [(String, Tensor)], metadata: [String: String]) {
        let file = try fileIO { () throws(FileError) in try ReadFile(path: path) }
        defer { file.close() }
        guard let fileSize = file.size else {
            throw TensorError("cannot read '\(path)': a safetensors file must be a regular file, not a stream")
        }

        guard fileSize >= 8 else {
            throw TensorError(
                "\(path): file is \(fileSize) byte\(fileSize == 1 ? "" : "s"), too short for a safetensors file (needs at least the 8-byte header length)")
        }
        let prefix = try file.bytes(at: 0, count: 8)
        var declared: UInt64 = 0
        for k in (0..<8).reversed() { declared = declared << 8 | UInt64(prefix[k]) }
        guard declared <= UInt64(maxHeaderBytes) else {
            throw TensorError("\(path): header length \(declared) is over the \(maxHeaderBytes)-byte limit (not a safetensors file?)")
        }
        let headerLength = Int(declared)
        guard headerLength <= fileSize - 8 else {
            throw TensorError("\(path): header length \(headerLength) is larger than the \(fileSize - 8) bytes after the length field (file truncated?)")
        }
        let headerBytes = try file.bytes(at: 8, count: headerLength)
        if let bad = JSONParser.firstInvalidUTF8Offset(headerBytes) {
            throw TensorError("\(path): header is not valid UTF-8 (byte \(bad) of the header)")
        }
        let json: JSONValue
        do throws(JSONSyntaxError) {
            json = try JSONParser.parse(headerBytes)
        } catch {
            throw TensorError("\(path): header is not valid JSON: \(error.description)")
        }
        guard case .object(let members) = json else {
            throw TensorError("\(path): header must be a JSON object of tensors, got \(json.kindDescription)")
        }

        let bufferStart = 8 + headerLength
        let bufferSize = fileSize - bufferStart
        var metadata: [String: String] = [:]
        var entries: [Entry] = []
        var seen = Set<String>()
        for (index, member) in members.enumerated() {
            guard seen.insert(member.key).inserted else {
                throw TensorError("\(path): header lists '\(member.key)' twice")
            }
            if member.key == metadataKey {
                metadata = try readMetadata(member.value, path: path)
            } else {
                entries.append(try readEntry(member.key, member.value, index: index, bufferSize: bufferSize, path: path))
            }
        }

        // Byte order, ties in header order; then no two non-empty ranges may overlap.
        entries.sort { ($0.begin, $0.headerIndex) < ($1.begin, $1.headerIndex) }
        var previous: Entry?
        for e in entries where e.end > e.begin {
            if let p = previous, e.begin < p.end {
                throw TensorError("\(path): tensors '\(p.name)' and '\(e.name)' overlap: data_offsets [\(p.begin),\(p.end)] and [\(e.begin),\(e.end)]")
            }
            if previous == nil || e.end > previous!.end { previous = e }
        }

        var tensors: [(String, Tensor)] = []
        tensors.reserveCapacity(entries.count)
        for e in entries {
            let t = try Tensor(uninitializedShape: e.shape)
            t.dtype = e.type.isInteger ? .int64 : .float32
            t.name = e.name
            try load(e, into: t.data, from: file, bufferStart: bufferStart)
            tensors.append((e.name, t))
        }
        return (tensors, metadata)
    }

    private static func readMetadata(_ value: JSONValue, path: String) throws(TensorError) -> [String: String] {
        guard case .object(let pairs) = value else {
            throw TensorError("\(path): '\(metadataKey)' must be an object of strings, got \(value.kindDescription)")
        }
        var metadata: [String: String] = [:]
        for (key, v) in pairs {
            guard case .string(let s) = v else {
                throw TensorError("\(path): '\(metadataKey)' value of '\(key)' must be a string, got \(v.kindDescription) \(v.compactText(limit: 40))")
            }
            guard metadata[key] == nil else { throw TensorError("\(path): '\(metadataKey)' lists '\(key)' twice") }
            metadata[key] = s
        }
        return metadata
    }

    /// A JSON number as a non-negative Int, or nil (negative, fractional, exponent, too large).
    private static func nonNegativeInt(_ value: JSONValue) -> Int? {
        guard case .number(let text) = value, !text.isEmpty,
            text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else { return nil }
        return Int(text)
    }

    private static func readEntry(_ name: String, _ value: JSONValue, index: Int, bufferSize: Int, path: String) throws(TensorError) -> Entry {
        let what = "\(path): tensor '\(name)'"
        guard case .object(let fields) = value else {
            throw TensorError(
                "\(what): entry must be an object with dtype, shape and data_offsets, got \(value.kindDescription) \(value.compactText(limit: 40))")
        }
        func field(_ key: String) throws(TensorError) -> JSONValue {
            let matches = fields.filter { $0.key == key }
            guard let v = matches.first?.value else { throw TensorError("\(what): entry has no '\(key)'") }
            guard matches.count == 1 else { throw TensorError("\(what): entry lists '\(key)' twice") }
            return v
        }

        let dtypeValue = try field("dtype")
        guard case .string(let dtypeName) = dtypeValue else {
            throw TensorError("\(what): dtype must be a string, got \(dtypeValue.compactText(limit: 40))")
        }
        guard let type = ElementType(rawValue: dtypeName) else {
            throw TensorError("\(what): unsupported dtype '\(dtypeName)' (expected one of \(ElementType.supportedList))")
        }

        let shapeValue = try field("shape")
        guard case .array(let dims) = shapeValue else {
            throw TensorError("\(what): shape must be a list of non-negative integers, got \(shapeValue.compactText(limit: 40))")
        }
        var shape: [Int] = []
        for (axis, d) in dims.enumerated() {
            guard let size = nonNegativeInt(d) else {
                throw TensorError(
                    "\(what): shape \(shapeValue.compactText(limit: 60)) must list non-negative integers (dimension \(axis) is \(d.compactText(limit: 30)))")
            }
            shape.append(size)
        }
        guard shape.count <= Shape.maxRank else {
            throw TensorError("\(what): shape \(shapeText(shape)) has \(shape.count) dimensions (at most \(Shape.maxRank))")
        }
        var count = 1
        for d in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: d)
            guard !overflow, product <= Shape.maxElements else {
                throw TensorError("\(what): shape \(shapeText(shape)) has too many elements (at most \(Shape.maxElements))")
            }
            count = product
        }
        if count == 0 && shape.contains(where: { $0 > Shape.maxElements }) {
            throw TensorError("\(what): shape \(shapeText(shape)) has a dimension over \(Shape.maxElements)")
        }

        let offsetsValue = try field("data_offsets")
        guard case .array(let offsets) = offsetsValue, offsets.count == 2,
            let begin = nonNegativeInt(offsets[0]), let end = nonNegativeInt(offsets[1])
        else {
            throw TensorError("\(what): data_offsets must be [begin, end] with non-negative integers, got \(offsetsValue.compactText(limit: 60))")
        }
        let range = "data_offsets [\(begin),\(end)]"
        guard begin <= end else { throw TensorError("\(what): \(range) begin after they end") }
        let bytes = count * type.byteSize
        guard end - begin == bytes else {
            throw TensorError("\(what): \(range) do not match shape \(shapeText(shape)) of \(type.rawValue) (\(bytes) byte\(bytes == 1 ? "" : "s"))")
        }
        guard end <= bufferSize else {
            throw TensorError(
                "\(what): \(range) run past the end of the data (\(bufferSize) byte\(bufferSize == 1 ? "" : "s") after the header; file truncated?)")
        }
        return Entry(name: name, headerIndex: index, type: type, shape: shape, count: count, begin: begin, end: end)
    }

    /// Reads and converts the bytes of `e` into `count` floats at `out`.
    private static func load(_ e: Entry, into out: UnsafeMutablePointer<Float>, from file: ReadFile, bufferStart: Int) throws(TensorError) {
        if e.count == 0 { return }
        let start = bufferStart + e.begin
        if e.type == .F32 {
            try file.fill(UnsafeMutableRawPointer(out), at: start, count: e.count * 4)
            if UInt32(1).littleEndian != 1 {
                for j in 0..<e.count { out[j] = Float(bitPattern: UInt32(littleEndian: out[j].bitPattern)) }
            }
            return
        }
        let size = e.type.byteSize
        let chunkCount = min(e.count, chunkElements)
        let raw = UnsafeMutableRawPointer.allocate(byteCount: chunkCount * size, alignment: 8)
        defer { raw.deallocate() }
        var done = 0
        while done < e.count {
            let m = min(chunkCount, e.count - done)
            try file.fill(raw, at: start + done * size, count: m * size)
            if let bad = convert(e.type, raw, m, out + done) {
                let index = done + bad.index
                if e.type.isInteger {
                    throw TensorError(
                        "\(file.path): tensor '\(e.name)': \(e.type.rawValue) value \(bad.value) at index \(index) cannot be held exactly in Float32 (DVS integers are exact up to ±2^24)"
                    )
                }
                throw TensorError("\(file.path): tensor '\(e.name)': \(e.type.rawValue) value \(bad.value) at index \(index) is beyond the Float32 range")
            }
            done += m
        }
    }

    /// Converts `m` little-endian values of `type` at `raw` to floats at `out`.
    /// Returns the first value that cannot be converted (inexact integer,
    /// finite F64 overflowing Float32), or nil.
    private static func convert(
        _ type: ElementType, _ raw: UnsafeMutableRawPointer, _ m: Int,
        _ out: UnsafeMutablePointer<Float>
    ) -> (index: Int, value: String)? {
        @inline(__always) func u16(_ j: Int) -> UInt16 { UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: j * 2, as: UInt16.self)) }
        @inline(__always) func u32(_ j: Int) -> UInt32 { UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: j * 4, as: UInt32.self)) }
        @inline(__always) func u64(_ j: Int) -> UInt64 { UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: j * 8, as: UInt64.self)) }
        switch type {
        case .F32:
            for j in 0..<m { out[j] = Float(bitPattern: u32(j)) }
        case .F64:
            for j in 0..<m {
                let d = Double(bitPattern: u64(j))
                let f = Float(d)
                if d.isFinite && !f.isFinite { return (j, "\(d)") }
                out[j] = f
            }
        case .F16:
            for j in 0..<m { out[j] = halfToFloat(u16(j)) }
        case .BF16:
            for j in 0..<m { out[j] = Float(bitPattern: UInt32(u16(j)) << 16) }
        case .I64:
            for j in 0..<m {
                let v = Int64(bitPattern: u64(j))
                let f = Float(v)
                guard Int64(exactly: f) == v else { return (j, "\(v)") }
                out[j] = f
            }
        case .U64:
            for j in 0..<m {
                let v = u64(j)
                let f = Float(v)
                guard UInt64(exactly: f) == v else { return (j, "\(v)") }
                out[j] = f
            }
        case .I32:
            for j in 0..<m {
                let v = Int32(bitPattern: u32(j))
                let f = Float(v)
                guard Int64(exactly: f) == Int64(v) else { return (j, "\(v)") }
                out[j] = f
            }
        case .U32:
            for j in 0..<m {
                let v = u32(j)
                let f = Float(v)
                guard UInt64(exactly: f) == UInt64(v) else { return (j, "\(v)") }
                out[j] = f
            }
        case .I16:
            for j in 0..<m { out[j] = Float(Int16(bitPattern: u16(j))) }
        case .U16:
            for j in 0..<m { out[j] = Float(u16(j)) }
        case .I8:
            for j in 0..<m { out[j] = Float(raw.load(fromByteOffset: j, as: Int8.self)) }
        case .U8:
            for j in 0..<m { out[j] = Float(raw.load(fromByteOffset: j, as: UInt8.self)) }
        case .BOOL:
            for j in 0..<m { out[j] = raw.load(fromByteOffset: j, as: UInt8.self) == 0 ? 0 : 1 }
        }
        return nil
    }

    /// IEEE 754 half precision to Float32 (exact).
    static func halfToFloat(_ h: UInt16) -> Float {
        let sign: UInt32 = UInt32(h & 0x8000) << 16
        let exponent = Int((h >> 10) & 0x1f)
        let mantissa = UInt32(h & 0x3ff)
        if exponent == 0 {
            let magnitude = Float(mantissa) * 0x1p-24  // zero or subnormal
            return sign != 0 ? -magnitude : magnitude
        }
        if exponent == 31 { return Float(bitPattern: sign | 0x7f80_0000 | mantissa << 13) }  // inf / nan
        return Float(bitPattern: sign | UInt32(exponent - 15 + 127) << 23 | mantissa << 13)
    }
}

// MARK: - Files

/// Reading and writing with errors as `TensorError`s (the path and the system's reason).
private extension ReadFile {
    func bytes(at offset: Int, count: Int) throws(TensorError) -> [UInt8] {
        try fileIO { () throws(FileError) in try read(at: offset, count: count) }
    }

    func fill(_ buffer: UnsafeMutableRawPointer, at offset: Int, count: Int) throws(TensorError) {
        try fileIO { () throws(FileError) in try read(at: offset, count: count, into: buffer) }
    }
}

private extension AtomicFile {
    func append(_ bytes: UnsafeRawPointer, count: Int) throws(TensorError) {
        try fileIO { () throws(FileError) in try write(bytes, count: count) }
    }
}
