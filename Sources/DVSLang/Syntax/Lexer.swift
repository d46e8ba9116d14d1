/// Turns source bytes into tokens. Newlines are tokens (they end statements)
/// except inside `(…)` and `[…]`, where expressions may span lines.
struct Lexer {
    private let source: Source
    private let bytes: [UInt8]
    private var pos = 0
    private var line = 1
    private var column = 1
    /// Open brackets: newlines inside `(` and `[` are not tokens.
    private var bracketStack: [UInt8] = []

    init(source: Source, startLine: Int = 1, startColumn: Int = 1, text: [UInt8]? = nil) {
        self.source = source
        self.bytes = text ?? source.bytes
        self.line = startLine
        self.column = startColumn
    }

    mutating func tokenize() throws(Diagnostic) -> [Token] {
        var tokens: [Token] = []
        tokens.reserveCapacity(bytes.count / 3 + 4)
        while true {
            let token = try next()
            tokens.append(token)
            if case .eof = token.kind { return tokens }
        }
    }

    // MARK: - Scanning

    private func peek(_ ahead: Int = 0) -> UInt8 {
        pos + ahead < bytes.count ? bytes[pos + ahead] : 0
    }

    private mutating func advance() {
        let b = bytes[pos]
        pos += 1
        if b == UInt8(ascii: "\n") {
            line += 1
            column = 1
        } else if b & 0xC0 != 0x80 {
            column += 1  // count characters, not UTF-8 continuation bytes
        }
    }

    private func error(_ message: String, _ loc: SourceLocation, incomplete: Bool = false) -> Diagnostic {
        Diagnostic(.syntax, message, at: SourceRange(source: source, start: loc), incompleteInput: incomplete)
    }

    private var here: SourceLocation { SourceLocation(line: line, column: column) }

    private mutating func next() throws(Diagnostic) -> Token {
        // A newline token is placed right after the previous token, so an error
        // about a line's end points there, not past a trailing comment.
        let endOfPrevious = here
        while pos < bytes.count {
            let b = bytes[pos]
            if b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") || b == UInt8(ascii: "\r") {
                advance()
            } else if b == UInt8(ascii: "#") {
                while pos < bytes.count, bytes[pos] != UInt8(ascii: "\n") { advance() }
            } else if b == UInt8(ascii: "\\"), peek(1) == UInt8(ascii: "\n") {
                advance(); advance()  // explicit line continuation
            } else if b == UInt8(ascii: "\n") {
                let loc = endOfPrevious
                advance()
                if let open = bracketStack.last, open == UInt8(ascii: "(") || open == UInt8(ascii: "[") { continue }
                return Token(kind: .newline, location: loc)
            } else {
                break
            }
        }
        let start = here
        guard pos < bytes.count else {
            // Unclosed brackets are reported by the parser, which knows what it expected.
            return Token(kind: .eof, location: start)
        }
        let b = bytes[pos]
        if isDigit(b) || (b == UInt8(ascii: ".") && isDigit(peek(1))) {
            return Token(kind: .number(try number(start)), location: start)
        }
        if isIdentStart(b) {
            let text = identifier()
            if let kw = Keyword(rawValue: text) { return Token(kind: .keyword(kw), location: start) }
            return Token(kind: .identifier(text), location: start)
        }
        if b == UInt8(ascii: "\"") {
            return Token(kind: .string(try string(start)), location: start)
        }
        return Token(kind: .symbol(try symbol(start)), location: start)
    }

    private func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
    /// The Unicode scalar starting at byte `at` and its length in bytes.
    private func scalar(at i: Int) -> (Unicode.Scalar, Int)? {
        guard i < bytes.count else { return nil }
        var decoder = UTF8()
        var iterator = bytes[i...].makeIterator()
        guard case .scalarValue(let scalar) = decoder.decode(&iterator) else { return nil }
        return (scalar, UTF8.width(scalar))
    }

    /// Letters of any script, digits (after the first character) and `_`.
    private func identifierCharacterLength(at i: Int, first: Bool) -> Int? {
        guard i < bytes.count else { return nil }
        let b = bytes[i]
        if b < 0x80 {
            let ok =
                (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
                || b == UInt8(ascii: "_") || (!first && isDigit(b))
            return ok ? 1 : nil
        }
        guard let (s, width) = scalar(at: i), s.properties.isAlphabetic || (!first && s.properties.numericType != nil) else { return nil }
        return width
    }

    private func isIdentStart(_ b: UInt8) -> Bool { identifierCharacterLength(at: pos, first: true) != nil }

    private mutating func identifier() -> String {
        let begin = pos
        while let width = identifierCharacterLength(at: pos, first: pos == begin) {
            for _ in 0..<width { advance() }
        }
        return String(decoding: bytes[begin..<pos], as: UTF8.self)
    }

    /// The character at the current position, for error messages: control and
    /// invisible characters are escaped as in strings (`\0`, `\u{200B}`), so a
    /// message never carries them raw.
    private var currentCharacter: String {
        guard let (s, _) = scalar(at: pos) else { return "\\x" + String(bytes[pos], radix: 16) }
        switch s.properties.generalCategory {
        case .control, .format, .unassigned, .privateUse, .surrogate, .lineSeparator, .paragraphSeparator:
            return s == "\0" ? "\\0" : "\\u{\(String(s.value, radix: 16, uppercase: true))}"
        default:
            return String(Character(s))
        }
    }

    private mutating func number(_ start: SourceLocation) throws(Diagnostic) -> Double {
        let begin = pos
        while isDigit(peek()) || peek() == UInt8(ascii: "_") { advance() }
        // A '.' is a fraction only when a digit follows: `1..<3` and `2.sqrt()` stay intact.
        if peek() == UInt8(ascii: "."), isDigit(peek(1)) {
            advance()
            while isDigit(peek()) || peek() == UInt8(ascii: "_") { advance() }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            let save = (pos, line, column)
            advance()
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { advance() }
            if isDigit(peek()) {
                while isDigit(peek()) { advance() }
            } else {
                (pos, line, column) = save
            }
        }
        if isIdentStart(peek()) {
            let text = String(decoding: bytes[begin..<pos], as: UTF8.self)
            throw error("malformed number '\(text)\(currentCharacter)…': a letter cannot follow a number", start)
        }
        let text = String(decoding: bytes[begin..<pos].filter { $0 != UInt8(ascii: "_") }, as: UTF8.self)
        guard let value = Double(text) else { throw error("malformed number '\(text)'", start) }
        guard value.isFinite else {
            let shown = text.count > 24 ? "'\(text.prefix(16))…' (\(text.count) characters)" : "'\(text)'"
            throw error("number \(shown) is too large: numbers are doubles, at most about 1.8e308", start)
        }
        return value
    }

    private mutating func string(_ start: SourceLocation) throws(Diagnostic) -> [StringPart] {
        advance()  // opening quote
        var parts: [StringPart] = []
        var text: [UInt8] = []
        while true {
            guard pos < bytes.count else {
                throw error("unterminated string: expected a closing '\"'", start, incomplete: true)
            }
            let b = bytes[pos]
            if b == UInt8(ascii: "\"") { advance(); break }
            if b == UInt8(ascii: "\\") {
                let escLoc = here
                advance()
                guard pos < bytes.count else { throw error("unterminated string: expected a closing '\"'", start, incomplete: true) }
                let e = bytes[pos]
                advance()
                switch e {
                case UInt8(ascii: "n"): text.append(10)
                case UInt8(ascii: "t"): text.append(9)
                case UInt8(ascii: "r"): text.append(13)
                case UInt8(ascii: "0"): text.append(0)
                case UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "{"), UInt8(ascii: "}"): text.append(e)
                case UInt8(ascii: "u"):
                    text.append(contentsOf: Array(try unicodeEscape(escLoc).utf8))
                default:
                    throw error("unknown escape '\\\(Character(UnicodeScalar(e)))' in string (known: \\n \\t \\r \\0 \\\\ \\\" \\{ \\} \\u{…})", escLoc)
                }
                continue
            }
            // `{}` and `{:spec}` stay as text: they are placeholders for format().
            if b == UInt8(ascii: "{"), peek(1) != UInt8(ascii: "}"), peek(1) != UInt8(ascii: ":") {
                if !text.isEmpty { parts.append(.text(String(decoding: text, as: UTF8.self))); text = [] }
                parts.append(try interpolation())
                continue
            }
            text.append(b)
            advance()
        }
        if !text.isEmpty || parts.isEmpty { parts.append(.text(String(decoding: text, as: UTF8.self))) }
        return parts
    }

    private mutating func unicodeEscape(_ loc: SourceLocation) throws(Diagnostic) -> String {
        guard peek() == UInt8(ascii: "{") else { throw error("expected '{' after \\u, as in \\u{1F600}", loc) }
        advance()
        var hex = ""
        while pos < bytes.count, bytes[pos] != UInt8(ascii: "}"), hex.count < 9 {
            hex.append(Character(UnicodeScalar(bytes[pos])))
            advance()
        }
        guard peek() == UInt8(ascii: "}"), let code = UInt32(hex, radix: 16), let scalar = UnicodeScalar(code) else {
            throw error("bad unicode escape '\\u{\(hex)': expected 1-8 hex digits naming a valid code point, then '}'", loc)
        }
        advance()
        return String(Character(scalar))
    }

    /// Scans `{expr}` or `{expr:spec}` inside a string, matching nested brackets and strings.
    private mutating func interpolation() throws(Diagnostic) -> StringPart {
        let open = here
        advance()  // '{'
        let exprLine = line, exprColumn = column
        let begin = pos
        var depth = 0
        var specStart: Int? = nil
        while true {
            guard pos < bytes.count else {
                throw error("unterminated interpolation: expected '}' to close '{' in string", open, incomplete: true)
            }
            let b = bytes[pos]
            if b == UInt8(ascii: "\"") {
                // A nested string literal inside the expression.
                advance()
                while pos < bytes.count, bytes[pos] != UInt8(ascii: "\"") {
                    if bytes[pos] == UInt8(ascii: "\\") { advance() }
                    if pos < bytes.count { advance() }
                }
                if pos < bytes.count { advance() }
                continue
            }
            if b == UInt8(ascii: "(") || b == UInt8(ascii: "[") || b == UInt8(ascii: "{") { depth += 1 }
            if b == UInt8(ascii: ")") || b == UInt8(ascii: "]") { depth -= 1 }
            if b == UInt8(ascii: "}") {
                if depth == 0 { break }
                depth -= 1
            }
            if b == UInt8(ascii: ":"), depth == 0, specStart == nil { specStart = pos }
            if b == UInt8(ascii: "\n") && depth == 0 {
                throw error("unterminated interpolation: expected '}' to close '{' in string", open)
            }
            advance()
        }
        let exprEnd = specStart ?? pos
        let exprText = String(decoding: bytes[begin..<exprEnd], as: UTF8.self)
        let spec = specStart.map { String(decoding: bytes[($0 + 1)..<pos], as: UTF8.self) }
        advance()  // '}'
        if exprText.allSatisfy({ $0 == " " }) {
            throw error("empty interpolation '{ }' in string (write \\{ for a literal brace)", open)
        }
        return .interpolation(source: exprText, spec: spec, line: exprLine, column: exprColumn)
    }

    private mutating func symbol(_ start: SourceLocation) throws(Diagnostic) -> Symbol {
        let b = bytes[pos]
        let n = peek(1)
        func take(_ count: Int, _ s: Symbol) -> Symbol {
            for _ in 0..<count { advance() }
            return s
        }
        switch b {
        case UInt8(ascii: "("), UInt8(ascii: "["):
            bracketStack.append(b)
            return take(1, b == UInt8(ascii: "(") ? .lparen : .lbracket)
        case UInt8(ascii: "{"):
            bracketStack.append(b)
            return take(1, .lbrace)
        case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"):
            if !bracketStack.isEmpty { bracketStack.removeLast() }
            return take(1, b == UInt8(ascii: ")") ? .rparen : b == UInt8(ascii: "]") ? .rbracket : .rbrace)
        case UInt8(ascii: ","): return take(1, .comma)
        case UInt8(ascii: ":"): return take(1, .colon)
        case UInt8(ascii: ";"): return take(1, .semicolon)
        case UInt8(ascii: "@"): return take(1, .at)
        case UInt8(ascii: "%"): return take(1, .percent)
        case UInt8(ascii: "."):
            if n == UInt8(ascii: "."), peek(2) == UInt8(ascii: "<") { return take(3, .rangeExclusive) }
            if n == UInt8(ascii: "."), peek(2) == UInt8(ascii: ".") { return take(3, .rangeInclusive) }
            return take(1, .dot)
        case UInt8(ascii: "+"): return n == UInt8(ascii: "=") ? take(2, .plusAssign) : take(1, .plus)
        case UInt8(ascii: "-"): return n == UInt8(ascii: "=") ? take(2, .minusAssign) : take(1, .minus)
        case UInt8(ascii: "*"):
            if n == UInt8(ascii: "*") { return take(2, .power) }
            return n == UInt8(ascii: "=") ? take(2, .starAssign) : take(1, .star)
        case UInt8(ascii: "/"):
            if n == UInt8(ascii: "/") { return take(2, .floorSlash) }
            return n == UInt8(ascii: "=") ? take(2, .slashAssign) : take(1, .slash)
        case UInt8(ascii: "="): return n == UInt8(ascii: "=") ? take(2, .equal) : take(1, .assign)
        case UInt8(ascii: "!"):
            if n == UInt8(ascii: "=") { return take(2, .notEqual) }
            throw error("unexpected '!': write 'not x' for negation or '!=' for inequality", start)
        case UInt8(ascii: "<"): return n == UInt8(ascii: "=") ? take(2, .lessEqual) : take(1, .less)
        case UInt8(ascii: ">"): return n == UInt8(ascii: "=") ? take(2, .greaterEqual) : take(1, .greater)
        case UInt8(ascii: "|"):
            if n == UInt8(ascii: ">") { return take(2, .pipe) }
            throw error("unexpected '|': did you mean the pipe '|>'?", start)
        case UInt8(ascii: "&"):
            throw error("unexpected '&': write 'and' for logical and", start)
        case UInt8(ascii: "'"):
            throw error("unexpected \"'\": strings use double quotes, as in \"text\"", start)
        default:
            let c = currentCharacter
            if ["\u{201C}", "\u{201D}", "\u{2018}", "\u{2019}", "\u{00AB}", "\u{00BB}"].contains(c) {
                throw error("unexpected character '\(c)': typographic quotes are not string quotes; use straight double quotes \"…\"", start)
            }
            if let (s, _) = scalar(at: pos), s.properties.isWhitespace {
                throw error("unexpected space character U+\(String(s.value, radix: 16, uppercase: true)): use a plain space", start)
            }
            throw error("unexpected character '\(c)'", start)
        }
    }
}
