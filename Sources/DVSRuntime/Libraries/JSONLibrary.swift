import DVSFiles
import DVSLang

/// JSON text to and from DVS values (`to_json`, `from_json`): results and
/// configurations that other programs read, with records keeping field order.
enum JSONLibrary {
    static let functions: [NativeFunction] = [
        NativeFunction(
            "to_json", [.init("value"), .init("indent", .whole(in: 0...16), default: .number(0))], returns: "string",
            help:
                "JSON text of nil, bools, numbers, strings, lists and records (fields in order): compact when indent is 0, else one item per line indented by `indent` spaces. Whole numbers print without .0; nan, inf, functions, tensors (use tolist()) and other objects are errors naming their place, as is a list or record that contains itself or nesting deeper than \(JSONParser.maxDepth)."
        ) { a in
            let indent = try a.int(1)
            return .string(try json(a).text(indent: indent))
        },
        NativeFunction(
            "from_json", [.init("text", .string)], returns: "any",
            help:
                "The value of JSON text: objects become records (keys in order; a key given twice is an error), arrays lists, null nil. Syntax errors give the byte offset, line and column."
        ) { a in
            let bytes = Array(try a.string(0).utf8)
            let parsed: JSONValue
            do throws(JSONSyntaxError) {
                parsed = try JSONParser.parse(bytes)
            } catch {
                throw NativeError("from_json: \(error.description) (line \(error.line), column \(error.column))")
            }
            return try value(parsed, path: [])
        },
    ]

    /// Argument 0 as JSON: checked and built in one walk, which reports a
    /// container that contains itself. The path's length says where each value
    /// goes: containers deeper than it are complete.
    private static func json(_ a: Arguments) throws(NativeError) -> JSONValue {
        struct Container { let key: String; let isObject: Bool; var members: [(key: String, value: JSONValue)] = [] }
        var open: [Container] = []
        var root = JSONValue.null
        func add(_ v: JSONValue, key: String) {
            if open.isEmpty { root = v } else { open[open.count - 1].members.append((key, v)) }
        }
        func close(deeperThan depth: Int) {
            while open.count > depth {
                let c = open.removeLast()
                add(c.isObject ? .object(c.members) : .array(c.members.map(\.value)), key: c.key)
            }
        }
        try a.walk(0) { v, path throws(NativeError) in
            close(deeperThan: path.count)
            var key = ""
            if case .field(let k)? = path.last { key = k }
            switch v {
            case .null: add(.null, key: key)
            case .bool(let b): add(.bool(b), key: key)
            case .number(let n) where n.isFinite: add(.number(formatNumber(n)), key: key)
            case .string(let s): add(.string(s), key: key)
            case .list, .record:
                guard path.count < JSONParser.maxDepth else {
                    throw unsupported(a, path, "nested more than \(JSONParser.maxDepth) lists and records deep")
                }
                var isObject = false
                if case .record = v { isObject = true }
                open.append(Container(key: key, isObject: isObject))
                return true
            case .number(let n): throw unsupported(a, path, "\(formatNumber(n)); JSON has no NaN or infinity")
            case .range: throw unsupported(a, path, "a range; convert it with list() first")
            case .object(_ as TensorValue):
                throw unsupported(a, path, "a tensor; convert it with tolist() first")
            case .function, .object:
                let type = v.typeName
                let article = "aeiou".contains(type.first ?? "x") ? "an" : "a"
                throw unsupported(a, path, "\(article) \(type); JSON holds nil, bools, numbers, strings, lists and records")
            }
            return false
        }
        close(deeperThan: 0)
        return root
    }

    /// `to_json: runs[2].loss is nan; …`, naming the place from the argument as written.
    private static func unsupported(_ a: Arguments, _ path: [PathStep], _ what: String) -> NativeError {
        NativeError(naming: 0, parameter: a.function.parameters[0].name) { root in "to_json: \(pathText(root, path)) is \(what)" }
    }

    /// The DVS value of parsed JSON; `path` locates it for messages.
    private static func value(_ json: JSONValue, path: [PathStep]) throws(NativeError) -> Value {
        switch json {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .string(let s): return .string(s)
        case .number(let text):
            guard let n = Double(text), n.isFinite else {
                throw NativeError("from_json: the number \(text) at \(place(path)) is too large (beyond ±1.8e308)")
            }
            return .number(n)
        case .array(let items):
            var out: [Value] = []
            out.reserveCapacity(items.count)
            for (i, item) in items.enumerated() { out.append(try value(item, path: path + [.index(i)])) }
            return .list(out)
        case .object(let members):
            var seen = Set<String>()
            var fields: [(String, Value)] = []
            fields.reserveCapacity(members.count)
            for m in members {
                guard seen.insert(m.key).inserted else {
                    throw NativeError("from_json: the key \(JSONValue.quoted(m.key)) appears twice in the object at \(place(path))")
                }
                fields.append((m.key, try value(m.value, path: path + [.field(m.key)])))
            }
            return .record(fields)
        }
    }

    /// A place in parsed JSON as DVS would index it: `top level`, `runs[0].cfg`.
    private static func place(_ path: [PathStep]) -> String {
        guard !path.isEmpty else { return "the top level" }
        let text = pathText("", path)
        return text.hasPrefix(".") ? String(text.dropFirst()) : text
    }
}
