import XCTest

@testable import DVSLang

/// Parser tests print the tree in a compact prefix form.
final class ParserTests: XCTestCase {
    func parse(_ text: String) throws(Diagnostic) -> [Expr] { try Parser.parse(Source(name: "t", text: text)) }

    func show(_ e: Expr) -> String {
        switch e.kind {
        case .number(let n): return formatNumber(n)
        case .string(let s): return quote(s)
        case .interpolated(let parts):
            return "(str "
                + parts.map { p in
                    if case .expr(let x, _) = p { return show(x) } else if case .text(let t) = p { return quote(t) } else { return "" }
                }.joined(separator: " ") + ")"
        case .bool(let b): return b ? "true" : "false"
        case .null: return "nil"
        case .name(let n): return n
        case .list(let xs): return "[" + xs.map(show).joined(separator: " ") + "]"
        case .record(let fs): return "{" + fs.map { "\($0.key): \(show($0.value))" }.joined(separator: " ") + "}"
        case .unary(let op, let x): return "(\(op.rawValue) \(show(x)))"
        case .binary(let op, let a, let b): return "(\(op.rawValue) \(show(a)) \(show(b)))"
        case .logical(let op, let a, let b): return "(\(op.rawValue) \(show(a)) \(show(b)))"
        case .call(let f, let args): return "(call \(show(f))" + args.map { " " + ($0.label.map { "\($0): " } ?? "") + show($0.value) }.joined() + ")"
        case .member(let x, let n): return "(. \(show(x)) \(n))"
        case .index(let x, let comps): return "(index \(show(x)) \(comps.count))"
        case .function(let d): return "(fn \(d.parameters.map(\.name).joined(separator: " ")) \(show(d.body)))"
        case .block(let ss): return "{" + ss.map(show).joined(separator: "; ") + "}"
        case .if(let c, let t, let o): return "(if \(show(c)) \(show(t))\(o.map { " " + show($0) } ?? ""))"
        case .while(let c, let b): return "(while \(show(c)) \(show(b)))"
        case .for(let vs, let it, let b): return "(for \(vs.joined(separator: " ")) \(show(it)) \(show(b)))"
        case .declaration(let n, let m, let v): return "(\(m ? "var" : "let") \(n)\(v.map { " " + show($0) } ?? ""))"
        case .functionDeclaration(let d): return "(fn \(d.name!) \(d.parameters.map(\.name).joined(separator: " ")) \(show(d.body)))"
        case .assignment(let t, let op, let v): return "(\(op.map { $0.rawValue } ?? "")= \(show(t)) \(show(v)))"
        case .break: return "break"
        case .continue: return "continue"
        case .return(let v): return "(return\(v.map { " " + show($0) } ?? ""))"
        case .destructuring(let names, let fromRecord, let m, let v):
            return "(\(m ? "var" : "let") \(fromRecord ? "{" : "[")\(names.joined(separator: " "))\(fromRecord ? "}" : "]") \(show(v)))"
        case .comprehension(let e, let vs, let it, let c):
            return "(list-for \(show(e)) \(vs.joined(separator: " ")) \(show(it))\(c.map { " if " + show($0) } ?? ""))"
        case .try(let b, let name, let h, let fin):
            return "(try \(show(b))\(h.map { " catch\(name.map { " " + $0 } ?? "") " + show($0) } ?? "")\(fin.map { " finally " + show($0) } ?? ""))"
        case .import(let p, .module(let name)): return "(import \(p) as \(name))"
        case .import(let p, .names(let names)): return "(from \(p) import \(names.joined(separator: " ")))"
        }
    }

    func tree(_ text: String) throws -> String { try parse(text).map(show).joined(separator: "\n") }

    func testPrecedence() throws {
        XCTAssertEqual(try tree("1 + 2 * 3"), "(+ 1 (* 2 3))")
        XCTAssertEqual(try tree("-2 ** 2"), "(- (** 2 2))")
        XCTAssertEqual(try tree("2 ** 3 ** 2"), "(** 2 (** 3 2))")
        XCTAssertEqual(try tree("a or b and not c"), "(or a (and b (not c)))")
        XCTAssertEqual(try tree("a + 1 < b * 2"), "(< (+ a 1) (* b 2))")
        XCTAssertEqual(try tree("0..<n + 1"), "(..< 0 (+ n 1))")
        XCTAssertEqual(try tree("x in xs"), "(in x xs)")
        XCTAssertEqual(try tree("x not in xs"), "(not in x xs)")
        XCTAssertEqual(try tree("a - b - c"), "(- (- a b) c)")
    }

    func testPipeInsertsTheFirstArgument() throws {
        XCTAssertEqual(try tree("x |> f(a) |> g"), "(call g (call f x a))")
        XCTAssertEqual(try tree("x\n  |> f"), "(call f x)")
    }

    func testCallsMembersIndexAndNamedArguments() throws {
        XCTAssertEqual(try tree("img.patches(14, merge: 2)"), "(call (. img patches) 14 merge: 2)")
        XCTAssertEqual(try tree("xs[1:3]"), "(index xs 1)")
        XCTAssertEqual(try tree("t[0, :]"), "(index t 2)")
    }

    func testStatements() throws {
        XCTAssertEqual(try tree("let n = 4\nvar m\nm += n"), "(let n 4)\n(var m)\n(+= m n)")
        XCTAssertEqual(try tree("fn area(w, h = 1) { w * h }"), "(fn area w h {(* w h)})")
        XCTAssertEqual(try tree("for i, x in xs { break }"), "(for i x xs {break})")
        XCTAssertEqual(try tree("if a { 1 }\nelse if b { 2 } else { 3 }"), "(if a {1} (if b {2} {3}))")
        XCTAssertEqual(try tree("import \"stats\" as s"), "(import stats as s)")
        XCTAssertEqual(try tree("import \"lib/nn.dvs\""), "(import lib/nn.dvs as nn)")
        XCTAssertEqual(try tree("from \"nn\" import a, b,\n  c"), "(from nn import a b c)")
        XCTAssertEqual(try tree("from(1)"), "(call from 1)")
        XCTAssertEqual(try tree("let [a, b] = xs"), "(let [a b] xs)")
        XCTAssertEqual(try tree("var {x, y} = r"), "(var {x y} r)")
        XCTAssertEqual(try tree("[x * 2 for x in xs if x > 0]"), "(list-for (* x 2) x xs if (> x 0))")
        XCTAssertEqual(try tree("[k for [k, v] in ps]"), "(list-for k k v ps)")
        XCTAssertEqual(try tree("try { f() } catch e { 0 } finally { g() }"), "(try {(call f)} catch e {0} finally {(call g)})")
        XCTAssertEqual(try tree("7 // 2"), "(// 7 2)")
    }

    func testRecordsVersusBlocks() throws {
        XCTAssertEqual(try tree("{name: \"a\", size: 3}"), "{name: \"a\" size: 3}")
        XCTAssertEqual(try tree("{}"), "{}")
        XCTAssertEqual(try tree("let f = fn(x) { x }"), "(let f (fn x {x}))")
    }

    func testInterpolationParsesItsExpression() throws {
        XCTAssertEqual(try tree("\"a{x + 1}b\""), "(str \"a\" (+ x 1) \"b\")")
    }

    func testDocCommentsAttachToFunctions() throws {
        let program = try parse("# Adds one.\n# Really.\nfn inc(x) { x + 1 }")
        guard case .functionDeclaration(let d) = program[0].kind else { return XCTFail() }
        XCTAssertEqual(d.doc, "Adds one.\nReally.")
    }

    func error(_ text: String) -> String {
        do throws(Diagnostic) {
            _ = try parse(text)
            return "no error"
        } catch {
            return "\(error.range!.start): \(error.message)"
        }
    }

    func testErrorsAreClearAndPlaced() {
        XCTAssertEqual(error("1 +"), "1:4: unexpected end of input: expected an expression")
        XCTAssertEqual(error("a < b < c"), "1:7: comparisons cannot be chained: write 'a < b and b < c'")
        XCTAssertEqual(
            error("1 = 2"), "1:1: cannot assign to this expression: the left side of '=' must be a name, an index like xs[0], or a field like r.name")
        XCTAssertEqual(error("let = 3"), "1:5: expected a name after 'let', found '='")
        XCTAssertEqual(error("let x"), "1:6: expected '=' after 'let x': a let binding needs a value")
        XCTAssertEqual(error("f(a: 1, 2)"), "1:9: positional argument after a named argument: put positional arguments first")
        XCTAssertEqual(error("fn f(a = 1, b) {}"), "1:13: parameter 'b' needs a default value because an earlier parameter has one")
        XCTAssertEqual(error("}"), "1:1: unexpected '}': no block is open here")
        XCTAssertEqual(error("1 2"), "1:3: expected a new line or ';' after the statement, found number 2")
    }

    func testIncompleteInputIsFlaggedForTheREPL() {
        for text in ["fn f(x) {", "[1, 2,", "1 +", "if x {"] {
            do throws(Diagnostic) {
                _ = try parse(text)
                XCTFail("\(text) parsed")
            } catch {
                XCTAssertTrue(error.isIncompleteInput, text)
            }
        }
        do throws(Diagnostic) {
            _ = try parse("1 2")
        } catch {
            XCTAssertFalse(error.isIncompleteInput)
        }
    }

    func testDeepNestingIsAnErrorNotACrash() {
        let deep = String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000)
        XCTAssertTrue(error(deep).contains("nested too deeply"))
        let negations = String(repeating: "-", count: 5000) + "1"
        XCTAssertTrue(error(negations).contains("nested too deeply"))
    }
}
