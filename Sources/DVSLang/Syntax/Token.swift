/// The kinds of token the lexer produces.
public enum TokenKind: Equatable, Sendable {
    case number(Double)
    case string([StringPart])
    case identifier(String)
    case keyword(Keyword)
    case symbol(Symbol)
    case newline
    case eof
}

/// A piece of a string literal: plain text, or an interpolated `{expr}` whose
/// source is kept (with its position) for the parser to parse.
public enum StringPart: Equatable, Sendable {
    case text(String)
    /// `source` is the expression text; `spec` a format spec after `:` (`{x:.3f}`).
    case interpolation(source: String, spec: String?, line: Int, column: Int)
}

public enum Keyword: String, CaseIterable, Sendable {
    case `let`, `var`, `fn`, `if`, `else`, `while`, `for`, `in`, `break`, `continue`,
        `return`, `import`, `as`, `and`, `or`, `not`, `true`, `false`, `nil`, `try`, `catch`, `finally`
}

public enum Symbol: String, CaseIterable, Sendable {
    case lparen = "(", rparen = ")", lbracket = "[", rbracket = "]", lbrace = "{", rbrace = "}"
    case comma = ",", dot = ".", colon = ":", semicolon = ";"
    case plus = "+", minus = "-", star = "*", slash = "/", floorSlash = "//", percent = "%", power = "**", at = "@"
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case assign = "=", plusAssign = "+=", minusAssign = "-=", starAssign = "*=", slashAssign = "/="
    case pipe = "|>", rangeExclusive = "..<", rangeInclusive = "..."
}

public struct Token: Sendable {
    public let kind: TokenKind
    public let location: SourceLocation
}

extension TokenKind {
    /// How the token reads in an error message: `'+'`, `number 3`, `end of input`.
    var display: String {
        switch self {
        case .number(let n): return "number \(formatNumber(n))"
        case .string: return "a string"
        case .identifier(let name): return "'\(name)'"
        case .keyword(let k): return "'\(k.rawValue)'"
        case .symbol(let s): return "'\(s.rawValue)'"
        case .newline: return "end of line"
        case .eof: return "end of input"
        }
    }
}
