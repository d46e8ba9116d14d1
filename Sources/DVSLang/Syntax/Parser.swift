/// Builds the syntax tree from tokens by recursive descent, with precedence
/// climbing for binary operators. Precedence, lowest first:
///
///     |>   or   and   not   == != < <= > >= in   ..< ...   + -   * / % @   unary -   **   call/index/member
public struct Parser {
    private let source: Source
    private var tokens: [Token]
    private var index = 0
    private var depth = 0
    /// Whether `callee { … }` passes a block as a trailing function argument.
    /// Off inside `if`/`while` conditions and `for` iterables, where `{` starts the body.
    private var allowTrailingBlock = true
    /// Deepest nesting of expressions the parser accepts; deeper input is an error, not a stack overflow.
    public static let maxNesting = 256

    /// Parses a whole source (script, REPL cell or module) into its statements.
    public static func parse(_ source: Source) throws(Diagnostic) -> [Expr] {
        var lexer = Lexer(source: source)
        var parser = Parser(source: source, tokens: try lexer.tokenize())
        return try parser.parseProgram()
    }

    private init(source: Source, tokens: [Token]) {
        self.source = source
        self.tokens = tokens
    }

    // MARK: - Token helpers

    private var current: Token { tokens[index] }
    private var kind: TokenKind { tokens[index].kind }
    private var range: SourceRange { SourceRange(source: source, start: current.location) }

    private mutating func advance() { if index < tokens.count - 1 { index += 1 } }

    private func isSymbol(_ s: Symbol) -> Bool {
        if case .symbol(s) = kind { return true }
        return false
    }
    private func isKeyword(_ k: Keyword) -> Bool {
        if case .keyword(k) = kind { return true }
        return false
    }
    private mutating func match(_ s: Symbol) -> Bool {
        if isSymbol(s) { advance(); return true }
        return false
    }
    private mutating func match(_ k: Keyword) -> Bool {
        if isKeyword(k) { advance(); return true }
        return false
    }
    private mutating func skipNewlines() {
        while case .newline = kind { advance() }
    }
    /// The kind of the next token that is not a newline.
    private func kindPastNewlines() -> TokenKind {
        var i = index
        while case .newline = tokens[i].kind { i += 1 }
        return tokens[i].kind
    }

    private func error(_ message: String, at loc: SourceRange? = nil) -> Diagnostic {
        let incomplete: Bool
        if case .eof = kind, loc == nil { incomplete = true } else { incomplete = false }
        return Diagnostic(.syntax, message, at: loc ?? range, incompleteInput: incomplete)
    }

    private mutating func expect(_ s: Symbol, _ context: String) throws(Diagnostic) {
        guard match(s) else { throw error("expected '\(s.rawValue)' \(context), found \(kind.display)") }
    }

    private mutating func expectIdentifier(_ context: String) throws(Diagnostic) -> String {
        if case .identifier(let name) = kind { advance(); return name }
        if case .keyword(let k) = kind {
            throw error("expected a name \(context), found keyword '\(k.rawValue)' (keywords cannot be names)")
        }
        throw error("expected a name \(context), found \(kind.display)")
    }

    /// Whether the token after the current one is a string literal (`from "nn" …`).
    private var peekIsString: Bool {
        guard index + 1 < tokens.count, case .string = tokens[index + 1].kind else { return false }
        return true
    }

    /// A module path in quotes, without interpolation.
    private mutating func expectModulePath(after keyword: String, example: String) throws(Diagnostic) -> String {
        guard case .string(let parts) = kind, parts.count == 1, case .text(let path) = parts[0] else {
            throw error("expected a module name in quotes after '\(keyword)', as in \(example)")
        }
        advance()
        return path
    }

    /// The file name of a module path without folders and `.dvs`: "nn" for "lib/nn.dvs".
    static func fileStem(_ path: String) -> String {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        return file.hasSuffix(".dvs") ? String(file.dropLast(4)) : file
    }

    /// The name `import "path"` binds: the file stem when it is a valid name, else nil.
    static func moduleName(_ path: String) -> String? {
        let stem = fileStem(path)
        guard let first = stem.unicodeScalars.first, first == "_" || first.properties.isAlphabetic,
            stem.unicodeScalars.allSatisfy({ $0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0) }),
            Keyword(rawValue: stem) == nil
        else { return nil }
        return stem
    }

    // MARK: - Statements

    private mutating func parseProgram() throws(Diagnostic) -> [Expr] {
        var statements: [Expr] = []
        skipSeparators()
        while true {
            if case .eof = kind { break }
            if isSymbol(.rbrace) { throw error("unexpected '}': no block is open here") }
            statements.append(try parseStatement())
            try endStatement()
        }
        return statements
    }

    private mutating func skipSeparators() {
        while true {
            if case .newline = kind { advance(); continue }
            if isSymbol(.semicolon) { advance(); continue }
            return
        }
    }

    /// After a statement: a newline, `;`, a closing `}` or the end.
    private mutating func endStatement() throws(Diagnostic) {
        switch kind {
        case .newline, .symbol(.semicolon): skipSeparators()
        case .symbol(.rbrace), .eof: return
        default:
            throw error("expected a new line or ';' after the statement, found \(kind.display)")
        }
    }

    private mutating func parseBlock(_ context: String) throws(Diagnostic) -> Expr {
        let start = range
        guard match(.lbrace) else { throw error("expected '{' \(context), found \(kind.display)") }
        var statements: [Expr] = []
        skipSeparators()
        while !isSymbol(.rbrace) {
            if case .eof = kind {
                throw error("unexpected end of input: expected '}' to close the block opened at \(start.start)")
            }
            statements.append(try parseStatement())
            try endStatement()
        }
        advance()
        return Expr(.block(statements), start)
    }

    private mutating func parseStatement() throws(Diagnostic) -> Expr {
        let start = range
        switch kind {
        case .keyword(.let), .keyword(.var):
            let mutable = isKeyword(.var)
            advance()
            if isSymbol(.lbracket) || isSymbol(.lbrace) {
                let fromRecord = isSymbol(.lbrace)
                let close: Symbol = fromRecord ? .rbrace : .rbracket
                advance()
                var names = [try expectIdentifier("in the pattern")]
                while match(.comma) { names.append(try expectIdentifier("after ',' in the pattern")) }
                try expect(close, "to close the pattern")
                guard match(.assign) else { throw error("expected '=' after the pattern, found \(kind.display)") }
                skipNewlines()
                return Expr(.destructuring(names: names, fromRecord: fromRecord, mutable: mutable, value: try parseExpression()), start)
            }
            let name = try expectIdentifier("after '\(mutable ? "var" : "let")'")
            if match(.assign) {
                skipNewlines()
                return Expr(.declaration(name: name, mutable: mutable, value: try parseExpression()), start)
            }
            if !mutable { throw error("expected '=' after 'let \(name)': a let binding needs a value") }
            return Expr(.declaration(name: name, mutable: true, value: nil), start)
        case .keyword(.fn):
            if case .identifier = tokens[index + 1].kind {
                advance()
                let name = try expectIdentifier("after 'fn'")
                return Expr(.functionDeclaration(try parseFunctionRest(name: name, start: start)), start)
            }
        case .keyword(.return):
            advance()
            switch kind {
            case .newline, .eof, .symbol(.semicolon), .symbol(.rbrace): return Expr(.return(nil), start)
            default: return Expr(.return(try parseExpression()), start)
            }
        case .keyword(.break): advance(); return Expr(.break, start)
        case .keyword(.continue): advance(); return Expr(.continue, start)
        case .keyword(.import):
            advance()
            let path = try expectModulePath(after: "import", example: "import \"stats\"")
            if match(.as) { return Expr(.import(path: path, binding: .module(name: try expectIdentifier("after 'as'"))), start) }
            guard let name = Parser.moduleName(path) else {
                throw error("import \"\(path)\": '\(Parser.fileStem(path))' is not a name to bind; write import \"\(path)\" as NAME", at: start)
            }
            return Expr(.import(path: path, binding: .module(name: name)), start)
        case .identifier("from") where peekIsString:
            advance()
            let path = try expectModulePath(after: "from", example: "from \"stats\" import mean")
            guard match(.import) else { throw error("expected 'import' after from \"\(path)\", as in from \"\(path)\" import NAME, NAME") }
            var names = [try expectIdentifier("after 'import'")]
            while match(.comma) {
                skipNewlines()
                names.append(try expectIdentifier("after ','"))
            }
            return Expr(.import(path: path, binding: .names(names)), start)
        default:
            break
        }
        let expr = try parseExpression()
        let op: BinaryOperator?
        switch kind {
        case .symbol(.assign): op = nil
        case .symbol(.plusAssign): op = .add
        case .symbol(.minusAssign): op = .subtract
        case .symbol(.starAssign): op = .multiply
        case .symbol(.slashAssign): op = .divide
        default: return expr
        }
        switch expr.kind {
        case .name, .index, .member: break
        default:
            throw error("cannot assign to this expression: the left side of '=' must be a name, an index like xs[0], or a field like r.name", at: expr.range)
        }
        advance()
        skipNewlines()
        return Expr(.assignment(target: expr, op: op, value: try parseExpression()), start)
    }

    private mutating func parseFunctionRest(name: String?, start: SourceRange) throws(Diagnostic) -> FunctionDecl {
        try expect(.lparen, "to start the parameter list")
        var params: [FunctionDecl.Parameter] = []
        var sawDefault = false
        while !isSymbol(.rparen) {
            let paramRange = range
            let pname = try expectIdentifier("for a parameter")
            if params.contains(where: { $0.name == pname }) {
                throw error("duplicate parameter '\(pname)'", at: paramRange)
            }
            var defaultValue: Expr? = nil
            if match(.assign) {
                defaultValue = try parseExpression()
                sawDefault = true
            } else if sawDefault {
                throw error("parameter '\(pname)' needs a default value because an earlier parameter has one", at: paramRange)
            }
            params.append(.init(name: pname, defaultValue: defaultValue, range: paramRange))
            if !match(.comma) { break }
        }
        try expect(.rparen, "to end the parameter list")
        let body = try parseBlock("to start the function body")
        return FunctionDecl(name: name, parameters: params, body: body, range: start, doc: name == nil ? nil : docComment(above: start))
    }

    /// The `#` comment lines directly above the line of `range`.
    private func docComment(above range: SourceRange) -> String? {
        var lines: [String] = []
        var line = Int(range.start.line) - 1
        while line >= 1 {
            let text = range.source.lineText(line).trimmingLeadingSpaces()
            guard text.hasPrefix("#"), !text.hasPrefix("# %%") else { break }
            lines.append(String(text.dropFirst()).trimmingLeadingSpaces(max: 1))
            line -= 1
        }
        return lines.isEmpty ? nil : lines.reversed().joined(separator: "\n")
    }

    // MARK: - Expressions

    public mutating func parseExpression() throws(Diagnostic) -> Expr {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Parser.maxNesting else {
            throw error("expression nested too deeply (more than \(Parser.maxNesting) levels)")
        }
        return try parsePipe()
    }

    private mutating func parsePipe() throws(Diagnostic) -> Expr {
        var left = try parseOr()
        while true {
            if case .symbol(.pipe) = kindPastNewlines() { skipNewlines() } else { break }
            let opRange = range
            advance()
            skipNewlines()
            let right = try parseOr()
            switch right.kind {
            case .call(let callee, let args):
                left = Expr(.call(callee: callee, arguments: [CallArgument(label: nil, value: left)] + args), opRange)
            default:
                left = Expr(.call(callee: right, arguments: [CallArgument(label: nil, value: left)]), opRange)
            }
        }
        return left
    }

    private mutating func parseOr() throws(Diagnostic) -> Expr {
        var left = try parseAnd()
        while isKeyword(.or) {
            let opRange = range
            advance(); skipNewlines()
            left = Expr(.logical(.or, left, try parseAnd()), opRange)
        }
        return left
    }

    private mutating func parseAnd() throws(Diagnostic) -> Expr {
        var left = try parseNot()
        while isKeyword(.and) {
            let opRange = range
            advance(); skipNewlines()
            left = Expr(.logical(.and, left, try parseNot()), opRange)
        }
        return left
    }

    private mutating func parseNot() throws(Diagnostic) -> Expr {
        if isKeyword(.not) {
            let start = range
            advance()
            return Expr(.unary(.not, try parseNot()), start)
        }
        return try parseComparison()
    }

    private func comparisonOperator() -> BinaryOperator? {
        switch kind {
        case .symbol(.equal): return .equal
        case .symbol(.notEqual): return .notEqual
        case .symbol(.less): return .less
        case .symbol(.lessEqual): return .lessEqual
        case .symbol(.greater): return .greater
        case .symbol(.greaterEqual): return .greaterEqual
        case .keyword(.in): return .in
        case .keyword(.not):
            if case .keyword(.in) = tokens[index + 1].kind { return .notIn }
            return nil
        default: return nil
        }
    }

    private mutating func parseComparison() throws(Diagnostic) -> Expr {
        let left = try parseRange()
        guard let op = comparisonOperator() else { return left }
        let opRange = range
        advance()
        if op == .notIn { advance() }
        skipNewlines()
        let right = try parseRange()
        if comparisonOperator() != nil {
            throw error("comparisons cannot be chained: write 'a < b and b < c'")
        }
        return Expr(.binary(op, left, right), opRange)
    }

    private mutating func parseRange() throws(Diagnostic) -> Expr {
        let left = try parseAdditive()
        let op: BinaryOperator
        if isSymbol(.rangeExclusive) { op = .rangeExclusive } else if isSymbol(.rangeInclusive) { op = .rangeInclusive } else { return left }
        let opRange = range
        advance(); skipNewlines()
        return Expr(.binary(op, left, try parseAdditive()), opRange)
    }

    private mutating func parseAdditive() throws(Diagnostic) -> Expr {
        var left = try parseMultiplicative()
        while true {
            let op: BinaryOperator
            if isSymbol(.plus) { op = .add } else if isSymbol(.minus) { op = .subtract } else { return left }
            let opRange = range
            advance(); skipNewlines()
            left = Expr(.binary(op, left, try parseMultiplicative()), opRange)
        }
    }

    private mutating func parseMultiplicative() throws(Diagnostic) -> Expr {
        var left = try parseUnary()
        while true {
            let op: BinaryOperator
            switch kind {
            case .symbol(.star): op = .multiply
            case .symbol(.slash): op = .divide
            case .symbol(.floorSlash): op = .floorDivide
            case .symbol(.percent): op = .remainder
            case .symbol(.at): op = .matmul
            default: return left
            }
            let opRange = range
            advance(); skipNewlines()
            left = Expr(.binary(op, left, try parseUnary()), opRange)
        }
    }

    private mutating func parseUnary() throws(Diagnostic) -> Expr {
        if isSymbol(.minus) {
            let start = range
            advance()
            depth += 1
            defer { depth -= 1 }
            guard depth <= Parser.maxNesting else { throw error("expression nested too deeply (more than \(Parser.maxNesting) levels)") }
            let operand = try parseUnary()
            if case .number(let n) = operand.kind { return Expr(.number(-n), start) }
            return Expr(.unary(.negate, operand), start)
        }
        return try parsePower()
    }

    private mutating func parsePower() throws(Diagnostic) -> Expr {
        let base = try parsePostfix()
        guard isSymbol(.power) else { return base }
        let opRange = range
        advance(); skipNewlines()
        return Expr(.binary(.power, base, try parseUnary()), opRange)  // right-associative
    }

    private mutating func parsePostfix() throws(Diagnostic) -> Expr {
        var expr = try parsePrimary()
        while true {
            if isSymbol(.lparen) {
                advance()
                let args = try withTrailingBlocks(true) { (p: inout Parser) throws(Diagnostic) in try p.parseArguments() }
                expr = Expr(.call(callee: expr, arguments: args), expr.range)
                if let block = try trailingBlock() { expr = expr.appendingArgument(block) }
            } else if allowTrailingBlock, isSymbol(.lbrace), case .name = expr.kind, !looksLikeRecord() {
                // `no_grad { … }`: a call whose only argument is the block.
                let block = try trailingBlock()!
                expr = Expr(.call(callee: expr, arguments: [CallArgument(label: nil, value: block)]), expr.range)
            } else if isSymbol(.lbracket) {
                let start = range
                advance()
                expr = Expr(.index(expr, try parseIndexComponents()), start)
            } else if case .symbol(.dot) = kindPastNewlines() {
                skipNewlines()
                advance()
                let nameRange = range
                let name = try expectIdentifier("after '.'")
                expr = Expr(.member(expr, name), nameRange)
            } else {
                return expr
            }
        }
    }

    /// A `{ … }` right after a call, as a function of no parameters; nil if there is none.
    private mutating func trailingBlock() throws(Diagnostic) -> Expr? {
        guard allowTrailingBlock, isSymbol(.lbrace), !looksLikeRecord() else { return nil }
        let start = range
        let body = try parseBlock("")
        return Expr(.function(FunctionDecl(name: nil, parameters: [], body: body, range: start, doc: nil)), start)
    }

    private mutating func withTrailingBlocks<T>(_ allowed: Bool, _ body: (inout Parser) throws(Diagnostic) -> T) throws(Diagnostic) -> T {
        let saved = allowTrailingBlock
        allowTrailingBlock = allowed
        defer { allowTrailingBlock = saved }
        return try body(&self)
    }

    private mutating func parseArguments() throws(Diagnostic) -> [CallArgument] {
        var args: [CallArgument] = []
        var sawLabel = false
        while !isSymbol(.rparen) {
            if case .identifier(let label) = kind, case .symbol(.colon) = tokens[index + 1].kind {
                if args.contains(where: { $0.label == label }) { throw error("argument '\(label)' given twice") }
                advance(); advance()
                args.append(CallArgument(label: label, value: try parseExpression()))
                sawLabel = true
            } else {
                if sawLabel { throw error("positional argument after a named argument: put positional arguments first") }
                args.append(CallArgument(label: nil, value: try parseExpression()))
            }
            if !match(.comma) { break }
        }
        try expect(.rparen, "to close the argument list")
        return args
    }

    private mutating func parseIndexComponents() throws(Diagnostic) -> [IndexComponent] {
        var components: [IndexComponent] = []
        repeat {
            if isSymbol(.rbracket) { break }
            var start: Expr? = nil
            if !isSymbol(.colon) { start = try parseExpression() }
            if match(.colon) {
                var end: Expr? = nil, step: Expr? = nil
                if !isSymbol(.colon), !isSymbol(.comma), !isSymbol(.rbracket) { end = try parseExpression() }
                if match(.colon), !isSymbol(.comma), !isSymbol(.rbracket) { step = try parseExpression() }
                components.append(.slice(start: start, end: end, step: step))
            } else if let start {
                components.append(.single(start))
            }
        } while match(.comma)
        if components.isEmpty, isSymbol(.rbracket) { throw error("empty index '[]': put an index or a slice inside the brackets") }
        try expect(.rbracket, "to close the index")
        return components
    }

    private mutating func parsePrimary() throws(Diagnostic) -> Expr {
        let start = range
        switch kind {
        case .number(let n): advance(); return Expr(.number(n), start)
        case .string(let parts): advance(); return try stringExpr(parts, start)
        case .identifier(let name): advance(); return Expr(.name(name), start)
        case .keyword(.true): advance(); return Expr(.bool(true), start)
        case .keyword(.false): advance(); return Expr(.bool(false), start)
        case .keyword(.nil): advance(); return Expr(.null, start)
        case .keyword(.fn):
            advance()
            if case .identifier(let name) = kind {
                throw error("a named function 'fn \(name)' must stand on its own line; use 'fn(…) {…}' for a function value")
            }
            return Expr(.function(try parseFunctionRest(name: nil, start: start)), start)
        case .keyword(.if): return try parseIf()
        case .keyword(.try): return try parseTry()
        case .keyword(.while):
            advance()
            let cond = try withTrailingBlocks(false) { (p: inout Parser) throws(Diagnostic) in try p.parseExpression() }
            return Expr(.while(condition: cond, body: try parseBlock("after the while condition")), start)
        case .keyword(.for):
            advance()
            let names = try parseLoopVariables()
            let iterable = try withTrailingBlocks(false) { (p: inout Parser) throws(Diagnostic) in try p.parseExpression() }
            return Expr(.for(variables: names, iterable: iterable, body: try parseBlock("after the for clause")), start)
        case .symbol(.lparen):
            advance()
            let inner = try withTrailingBlocks(true) { (p: inout Parser) throws(Diagnostic) in try p.parseExpression() }
            try expect(.rparen, "to close '('")
            return inner
        case .symbol(.lbracket):
            advance()
            var items: [Expr] = []
            while !isSymbol(.rbracket) {
                items.append(try withTrailingBlocks(true) { (p: inout Parser) throws(Diagnostic) in try p.parseExpression() })
                if items.count == 1, case .keyword(.for) = kindPastNewlines() {
                    skipNewlines()
                    return try parseComprehensionRest(element: items[0], start: start)
                }
                if !match(.comma) { break }
            }
            try expect(.rbracket, "to close the list")
            return Expr(.list(items), start)
        case .symbol(.lbrace):
            return looksLikeRecord() ? try parseRecord() : try parseBlock("")
        case .keyword(let k):
            throw error("expected an expression, found keyword '\(k.rawValue)'")
        case .eof:
            throw error("unexpected end of input: expected an expression")
        default:
            throw error("expected an expression, found \(kind.display)")
        }
    }

    private func looksLikeRecord() -> Bool {
        var i = index + 1
        while case .newline = tokens[i].kind { i += 1 }
        switch tokens[i].kind {
        case .symbol(.rbrace): return true
        case .identifier, .string:
            if case .symbol(.colon) = tokens[i + 1].kind { return true }
            return false
        default: return false
        }
    }

    private mutating func parseRecord() throws(Diagnostic) -> Expr {
        let start = range
        advance()  // '{'
        var fields: [(key: String, value: Expr)] = []
        skipNewlines()
        while !isSymbol(.rbrace) {
            let keyRange = range
            let key: String
            switch kind {
            case .identifier(let name): key = name
            case .string(let parts):
                guard parts.count == 1, case .text(let text) = parts[0] else {
                    throw error("a record key must be a name or a plain string")
                }
                key = text
            default: throw error("expected a field name in the record, found \(kind.display)")
            }
            advance()
            if fields.contains(where: { $0.key == key }) { throw error("field '\(key)' appears twice in the record", at: keyRange) }
            try expect(.colon, "after the field name '\(key)'")
            skipNewlines()
            fields.append((key, try parseExpression()))
            skipNewlines()
            if !match(.comma) { break }
            skipNewlines()
        }
        skipNewlines()
        try expect(.rbrace, "to close the record")
        return Expr(.record(fields), start)
    }

    /// Loop variables after `for`, up to and including `in`: `x`, `k, v` or `[k, v]`.
    private mutating func parseLoopVariables() throws(Diagnostic) -> [String] {
        let bracketed = match(.lbracket)
        var names = [try expectIdentifier("after 'for'")]
        while match(.comma) { names.append(try expectIdentifier("after ',' in for")) }
        if bracketed { try expect(.rbracket, "to close the loop variables") }
        guard match(.in) else { throw error("expected 'in' after 'for \(names.joined(separator: ", "))', found \(kind.display)") }
        return names
    }

    /// The rest of `[element for x in xs if cond]` after the element.
    private mutating func parseComprehensionRest(element: Expr, start: SourceRange) throws(Diagnostic) -> Expr {
        advance()  // 'for'
        let names = try parseLoopVariables()
        let inner = { (p: inout Parser) throws(Diagnostic) -> Expr in try p.parseExpression() }
        let iterable = try withTrailingBlocks(true, inner)
        var condition: Expr? = nil
        if case .keyword(.if) = kindPastNewlines() {
            skipNewlines()
            advance()
            condition = try withTrailingBlocks(true, inner)
        }
        skipNewlines()
        try expect(.rbracket, "to close the list comprehension")
        return Expr(.comprehension(element: element, variables: names, iterable: iterable, condition: condition), start)
    }

    /// `try { … } catch NAME { … }`, `catch { … }` without a name, and an
    /// optional `finally { … }`; at least one of catch and finally.
    private mutating func parseTry() throws(Diagnostic) -> Expr {
        let start = range
        advance()  // 'try'
        let body = try parseBlock("after 'try'")
        var name: String? = nil
        var handler: Expr? = nil
        var cleanup: Expr? = nil
        if case .keyword(.catch) = kindPastNewlines() {
            skipNewlines()
            advance()
            if case .identifier(let n) = kind { name = n; advance() }
            handler = try parseBlock("after 'catch'")
        }
        if case .keyword(.finally) = kindPastNewlines() {
            skipNewlines()
            advance()
            cleanup = try parseBlock("after 'finally'")
        }
        guard handler != nil || cleanup != nil else {
            throw error("expected 'catch' or 'finally' after the try block, found \(kind.display)")
        }
        return Expr(.try(body: body, catchName: name, handler: handler, finally: cleanup), start)
    }

    private mutating func parseIf() throws(Diagnostic) -> Expr {
        let start = range
        advance()  // 'if'
        let cond = try withTrailingBlocks(false) { (p: inout Parser) throws(Diagnostic) in try p.parseExpression() }
        let then = try parseBlock("after the if condition")
        var elseBranch: Expr? = nil
        if case .keyword(.else) = kindPastNewlines() {
            skipNewlines()
            advance()
            elseBranch = isKeyword(.if) ? try parseIf() : try parseBlock("after 'else'")
        }
        return Expr(.if(condition: cond, then: then, else: elseBranch), start)
    }

    private func stringExpr(_ parts: [StringPart], _ start: SourceRange) throws(Diagnostic) -> Expr {
        if parts.count == 1, case .text(let text) = parts[0] { return Expr(.string(text), start) }
        var out: [InterpolatedPart] = []
        for part in parts {
            switch part {
            case .text(let text): out.append(.text(text))
            case .interpolation(let text, let spec, let line, let column):
                var lexer = Lexer(source: source, startLine: line, startColumn: column, text: Array(text.utf8))
                var sub = Parser(source: source, tokens: try lexer.tokenize())
                sub.depth = depth
                let expr = try sub.parseExpression()
                guard case .eof = sub.kind else {
                    throw sub.error("unexpected \(sub.kind.display) in string interpolation")
                }
                out.append(.expr(expr, spec: spec))
            }
        }
        return Expr(.interpolated(out), start)
    }
}

extension String {
    func trimmingLeadingSpaces(max: Int = .max) -> String {
        var count = 0
        var rest = Substring(self)
        while count < max, let c = rest.first, c == " " || c == "\t" {
            rest = rest.dropFirst()
            count += 1
        }
        return String(rest)
    }
}
