/// The syntax tree: what the parser produces and the resolver consumes.
/// Every node carries the source range it came from.
public struct Expr: Sendable {
    public let kind: ExprKind
    public let range: SourceRange
    public init(_ kind: ExprKind, _ range: SourceRange) {
        self.kind = kind
        self.range = range
    }
}

public indirect enum ExprKind: Sendable {
    case number(Double)
    case string(String)
    case interpolated([InterpolatedPart])
    case bool(Bool)
    case null
    case name(String)
    case list([Expr])
    case record([(key: String, value: Expr)])
    case unary(UnaryOperator, Expr)
    case binary(BinaryOperator, Expr, Expr)
    case logical(LogicalOperator, Expr, Expr)
    case call(callee: Expr, arguments: [CallArgument])
    case member(Expr, String)
    case index(Expr, [IndexComponent])
    case function(FunctionDecl)
    case block([Expr])
    case `if`(condition: Expr, then: Expr, else: Expr?)
    case `while`(condition: Expr, body: Expr)
    case `for`(variables: [String], iterable: Expr, body: Expr)
    /// `try { … } catch e { … } finally { … }` (catch and finally each optional, not both absent).
    case `try`(body: Expr, catchName: String?, handler: Expr?, finally: Expr?)
    // Statements (allowed only at block level; their value is nil).
    case declaration(name: String, mutable: Bool, value: Expr?)
    /// `let [a, b] = xs` (a list of exactly that many items) or `let {x, y} = r`
    /// (those fields of a record).
    case destructuring(names: [String], fromRecord: Bool, mutable: Bool, value: Expr)
    /// `[element for a, b in iterable if condition]`.
    case comprehension(element: Expr, variables: [String], iterable: Expr, condition: Expr?)
    case functionDeclaration(FunctionDecl)
    case assignment(target: Expr, op: BinaryOperator?, value: Expr)
    case `break`
    case `continue`
    case `return`(Expr?)
    case `import`(path: String, binding: ImportBinding)
}

/// What an import binds in the importing scope.
public enum ImportBinding: Sendable {
    /// `import "nn"` (binds `nn`) or `import "nn" as n`: the module value.
    case module(name: String)
    /// `from "nn" import linear, block`: the chosen names of the module.
    case names([String])

    /// The names the import declares.
    public var declaredNames: [String] {
        switch self {
        case .module(let name): return [name]
        case .names(let names): return names
        }
    }
}

extension Expr {
    /// This call with one more positional argument (placed before named ones).
    func appendingArgument(_ value: Expr) -> Expr {
        guard case .call(let callee, var args) = kind else { return self }
        let at = args.firstIndex { $0.label != nil } ?? args.count
        args.insert(CallArgument(label: nil, value: value), at: at)
        return Expr(.call(callee: callee, arguments: args), range)
    }
}

public enum InterpolatedPart: Sendable {
    case text(String)
    case expr(Expr, spec: String?)
}

public struct CallArgument: Sendable {
    public let label: String?
    public let value: Expr
}

public enum IndexComponent: Sendable {
    case single(Expr)
    case slice(start: Expr?, end: Expr?, step: Expr?)
}

public enum UnaryOperator: String, Sendable {
    case negate = "-", not = "not"
}

public enum BinaryOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", floorDivide = "//", remainder = "%", power = "**", matmul = "@"
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case `in` = "in", notIn = "not in"
    case rangeExclusive = "..<", rangeInclusive = "..."
}

public enum LogicalOperator: String, Sendable {
    case and, or
}

/// A function literal or declaration. A class so that closures made from it
/// share one copy.
public final class FunctionDecl: Sendable {
    public struct Parameter: Sendable {
        public let name: String
        public let defaultValue: Expr?
        public let range: SourceRange
    }
    public let name: String?
    public let parameters: [Parameter]
    public let body: Expr
    public let range: SourceRange
    /// `#` comment lines directly above a `fn` declaration: shown by `help`.
    public let doc: String?

    init(name: String?, parameters: [Parameter], body: Expr, range: SourceRange, doc: String?) {
        self.name = name
        self.parameters = parameters
        self.body = body
        self.range = range
        self.doc = doc
    }
}
