/// A piece of DVS source text: a script file, a REPL cell or an `-e` expression.
/// Kept alive by every location that points into it, so diagnostics can always
/// quote the offending line.
public final class Source: @unchecked Sendable {
    /// The name diagnostics print: a path, `<cell 3>` or `<-e>`.
    public let name: String
    /// The text as UTF-8 bytes (the lexer works on bytes).
    public let bytes: [UInt8]
    /// Byte offset at which each line starts, computed on first use.
    private var lineStarts: [Int]?

    public init(name: String, text: String) {
        self.name = name
        self.bytes = Array(text.utf8)
    }

    /// The text of 1-based line `line`, without its newline.
    public func lineText(_ line: Int) -> String {
        let starts = lineStartOffsets()
        guard line >= 1, line <= starts.count else { return "" }
        let start = starts[line - 1]
        var end = line < starts.count ? starts[line] : bytes.count
        while end > start, bytes[end - 1] == UInt8(ascii: "\n") || bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    private func lineStartOffsets() -> [Int] {
        if let starts = lineStarts { return starts }
        var starts = [0]
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") { starts.append(i + 1) }
        lineStarts = starts
        return starts
    }
}

/// A point in a source: 1-based line and column (columns count characters, not bytes).
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    public var line: Int32
    public var column: Int32
    public init(line: Int, column: Int) {
        self.line = Int32(truncatingIfNeeded: line)
        self.column = Int32(truncatingIfNeeded: column)
    }
    public var description: String { "\(line):\(column)" }
}

/// Where a syntax node or token came from.
public struct SourceRange: Sendable {
    public let source: Source
    public let start: SourceLocation
    public init(source: Source, start: SourceLocation) {
        self.source = source
        self.start = start
    }
    /// `file:line:col`.
    public var description: String { "\(source.name):\(start.line):\(start.column)" }
}
