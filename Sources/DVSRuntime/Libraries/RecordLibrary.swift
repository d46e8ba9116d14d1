import DVSLang

/// Records: field names, values, lookups with defaults, merging.
enum RecordLibrary {
    static let functions: [NativeFunction] = [
        NativeFunction(
            "keys", [.init("r", .record)], returns: "list",
            help: "The field names of a record, in the order they were added."
        ) { a in
            .list(try a.record(0).keys.map { .string($0) })
        },
        NativeFunction(
            "values", [.init("r", .record)], returns: "list",
            help: "The field values of a record, in order."
        ) { a in
            .list(try a.record(0).values)
        },
        NativeFunction(
            "pairs", [.init("r", .record)], returns: "list",
            help: "[[key, value], …] in field order: `for [k, v] in pairs(r)` (or `for k, v in pairs(r)`)."
        ) { a in
            .list(try a.record(0).fields.map { .list([.string($0.0), $0.1]) })
        },
        NativeFunction(
            "has", [.init("r", .record), .init("key", .string)], returns: "bool",
            help: "True when the record has a field named key (same as `key in r`)."
        ) { a in
            .bool(try a.record(0)[try a.string(1)] != nil)
        },
        NativeFunction(
            "get", [.init("r", .record), .init("key", .string), .init("default", default: .null)], returns: "any",
            help: "The field named key, or default (nil) when there is none."
        ) { a in
            try a.record(0)[try a.string(1)] ?? a[2]
        },
        NativeFunction(
            "merge", [.init("a", .record), .init("b", .record)], returns: "record",
            help: "A new record with the fields of a, then those of b (b wins on clashes)."
        ) { a in
            .record(RecordObject(try a.record(0).fields + (try a.record(1).fields)))
        },
    ]
}
