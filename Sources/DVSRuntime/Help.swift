import DVSLang

/// Help texts: built-ins (from their registration), DVS functions (from the
/// `#` comment above them) and a few language topics.
public enum Help {
    public static let topics: [String: String] = [
        "syntax": """
        DVS syntax, in brief:
          let n = 4                     immutable binding (var m = 0 is mutable)
          fn area(w, h = 1) { w * h }   function; the last expression is its value
          let sq = fn(x) { x * x }      function value (closures capture variables)
          if n > 3 { "big" } else { "small" }    if is an expression
          for i in 0..<n { m += i }     also: while cond { … }, break, continue, return
          for i, x in enumerate(xs) { … }        loops unpack lists of pairs (also for [k, v] in pairs(r))
          let [a, b] = xs   let {x, y} = r        destructuring
          [x * 2 for x in xs if x > 0]           list comprehension
          try { … } catch e { e.message } finally { … }    errors as values
          [1, 2, 3]   {name: "a", size: 3}   "n is {n}"   "{x:.3f}"
          xs[0]  xs[-1]  xs[1:3]  r.name  r["name"]
          x |> f(a)  is  f(x, a);   x.f(a)  is  f(x, a)  for built-ins
          import "stats"   then stats.mean(xs);  import "stats" as s;  from "stats" import mean
        See help("operators") and help("errors").
        """,
        "operators": """
        Operators, loosest first:
          |>                     pipe
          or   and   not         bools only
          == != < <= > >= in     'not in' too; comparisons do not chain
          ..<  ...               ranges (exclusive, inclusive)
          + -                    numbers; + also joins strings and lists
          * / // % @             / // and % by zero are errors; // floors; % takes the divisor's sign
          -x                     negation
          **                     power (right-associative; -2 ** 2 == -4)
          f(x)  xs[i]  r.name    call, index, field
        Conditions (if, while, and, or, not) must be bools.
        """,
        "errors": """
        Errors print as  file:line:col: error: message, the source line with a caret,
        and for runtime errors the DVS call stack, innermost first.
        Division by zero is an error; so is indexing out of range (negative indices
        count from the end), and calling with missing or unknown arguments.
        Recursion deeper than \(Interpreter.maxCallDepth) calls stops with 'call stack too deep'.
        In the REPL a failed cell leaves every earlier binding as it was.
        """,
    ]

    /// Help for `topic`: nil → overview; a function → its signature and text;
    /// a string → the built-in, global function or topic of that name.
    public static func text(for topic: Value, in interpreter: Interpreter) -> String {
        switch topic {
        case .null:
            return overview()
        case .function(let f):
            return describe(f, interpreter)
        case .string(let name):
            if let text = entry(for: name, in: interpreter) { return text }
            let known = interpreter.globalNames + Array(topics.keys)
            if let hint = closestName(to: name, in: known) { return "no help for '\(name)'; did you mean '\(hint)'?" }
            return "no help for '\(name)'; help() lists what there is"
        default:
            return "\(topic.typeName): no help for values of this type; try help(\"syntax\")"
        }
    }

    /// The help on `name` — a topic, keyword, function, variable or method —
    /// or nil when there is none (the Jupyter kernel's inspect_request).
    public static func entry(for name: String, in interpreter: Interpreter) -> String? {
        if let text = topics[name] { return text }
        if let k = Keyword(rawValue: name) { return "'\(k.rawValue)' is a keyword.\n" + topics["syntax"]! }
        if case .function(let f)? = interpreter.global(name) { return describe(f, interpreter) }
        if let v = interpreter.global(name) { return "\(name) is a \(v.typeName): \(v.repr)" }
        let methods = interpreter.methods(named: name)
        if !methods.isEmpty {
            return methods.map { "method of \($0.type), x.\(name)(…): " + describe($0.method, interpreter) }.joined(separator: "\n")
        }
        return nil
    }

    /// Signature and help text; for a built-in that value types also have as
    /// a method (`sum`), the methods' signatures, which `sum(x, …)` runs when
    /// x has that type.
    static func describe(_ f: Callable, _ interpreter: Interpreter) -> String {
        var out = f.signatureText
        if let text = f.helpText, !text.isEmpty { out += "\n  " + text.replacingOccurrences(of: "\n", with: "\n  ") }
        if let place = f.definedAt { out += "\n  (defined at \(place))" }
        for (type, method) in interpreter.methods(named: f.name) where method !== f {
            out += "\n  for \(withArticle(type)): \(method.signature)"
        }
        return out
    }

    static func overview() -> String {
        var out = "Built-in functions (help(name) for details):\n"
        for library in Runtime.libraries {
            out += "  \(library.name): " + library.functions.map(\.name).joined(separator: " ") + "\n"
        }
        out += "  constants: " + MathLibrary.constants.map(\.0).joined(separator: " ") + "\n"
        out += "Topics: " + topics.keys.sorted().joined(separator: ", ")
        return out
    }
}
