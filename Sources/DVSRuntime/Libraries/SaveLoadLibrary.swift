import DVSLang
import DVSTensor
import Foundation

/// `save(value, path)` and `load(path)`: what is written depends on the value
/// (a record of tensors → `.safetensors`; graphs and images add their own formats).
enum SaveLoadLibrary {
    static let functions: [NativeFunction] = [
        NativeFunction(
            "save", [.init("value"), .init("path", .string)], returns: "nil",
            help:
                "Writes a value to a file, atomically (temporary file, then rename). A record of tensors (nested records allowed: names join with '.') → .safetensors, loadable by Python's safetensors; a graph → .svg, .png or .dot."
        ) { a in
            let path = try a.string(1)
            if let saver = savers.first(where: { $0.accepts(a[0]) }) {
                try saver.save(a[0], path)
                return .null
            }
            throw NativeError(
                "save: cannot save a \(a[0].typeName) (expected a record of tensors\(savers.count > 1 ? ", " + savers.dropFirst().map(\.what).joined(separator: ", ") : ""))"
            )
        },
        NativeFunction(
            "load", [.init("path", .string), .init("nested", .bool, default: .bool(true))], returns: "record",
            help:
                "Reads a .safetensors file into a record of tensors; names with dots become nested records (the inverse of save; numeric parts such as layers.0.w become fields named \"0\", not lists). Names that cannot nest (\"a\" next to \"a.b\", or an empty part as in \"\", \"a..b\", \".a\") are an error: nested: false keeps every name flat, as written (an empty name is the field \"\"). String metadata is the field __metadata__. The header is validated before any memory is allocated."
        ) { a in
            let path = try a.string(0)
            guard path.hasSuffix(".safetensors") else {
                throw NativeError("load: expected a .safetensors file, got '\(path)'")
            }
            let (tensors, metadata) = try libraryCall { () throws(TensorError) in try Safetensors.read(path) }
            var fields = tensors.map { ($0.0, TensorValue.wrap($0.1)) }
            if !metadata.isEmpty {
                fields.append(("__metadata__", .record(RecordObject(metadata.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))))
            }
            return .record(try a.bool(1) ? try nestedRecord(fields, path: path) : RecordObject(fields))
        },
    ]

    /// One kind of value `save` knows how to write.
    struct Saver {
        let what: String
        let accepts: (Value) -> Bool
        let save: (Value, String) throws -> Void

        init(what: String, accepts: @escaping (Value) -> Bool, save: @escaping (Value, String) throws -> Void) {
            (self.what, self.accepts, self.save) = (what, accepts, save)
        }

        /// A saver for the values of one object type (a chart, graph, image…).
        init<Object: DVSObject>(_ type: Object.Type, what: String, save: @escaping (Object, String) throws -> Void) {
            self.init(
                what: what,
                accepts: { v in
                    if case .object(let o) = v { return o is Object }
                    return false
                },
                save: { value, path in
                    if case .object(let o as Object) = value { try save(o, path) }
                })
        }
    }

    /// Savers in the order they are tried.
    static let savers: [Saver] = [
        GraphLibrary.saver,
        ImageLibrary.saver,
        ChartLibrary.saver,
        Saver(
            what: "a record of tensors",
            accepts: { v in
                if case .record = v { return true }
                if case .object(let o) = v { return o is TensorValue }
                return false
            },
            save: { value, path in
                guard path.hasSuffix(".safetensors") else { throw NativeError("save: tensors are saved as .safetensors, got '\(path)'") }
                var named: [(String, Tensor)] = []
                var metadata: [String: String] = [:]
                if case .object(let o as TensorValue) = value {
                    named = [(o.tensor.name ?? "tensor", o.tensor)]
                } else {
                    try flatten(value, into: &named, metadata: &metadata)
                }
                try libraryCall { () throws(TensorError) in try Safetensors.write(named, metadata: metadata, to: path) }
            }),
    ]

    /// Tensors of a (nested) record with their checkpoint names; a top-level
    /// `__metadata__` record of strings goes to metadata. A tensor reached by
    /// two paths is written under both names.
    static func flatten(_ value: Value, into out: inout [(String, Tensor)], metadata: inout [String: String]) throws(NativeError) {
        try value.walk(function: "save", argument: 0, parameter: "value") { v, path throws(NativeError) in
            if path.count == 1, case .field("__metadata__") = path[0], case .record(let m) = v {
                for (k, v) in m.fields { metadata[k] = v.printed }
                return false
            }
            switch v {
            case .object(let o as TensorValue): out.append((checkpointName(path), o.tensor))
            case .record, .list: return true
            default:
                throw NativeError("save: field '\(checkpointName(path))' is \(v.typeName); checkpoints hold tensors (in nested records and lists)")
            }
            return false
        }
    }

    /// The name a tensor at `path` gets in a checkpoint: fields and list
    /// positions joined with dots (`layers.0.w`).
    static func checkpointName(_ path: [PathStep]) -> String {
        path.map { step in
            switch step {
            case .field(let k): return k
            case .index(let i): return String(i)
            }
        }.joined(separator: ".")
    }

    /// Fields with dotted names as nested records (`enc.w` → `{enc: {w: …}}`).
    /// A name with an empty part, or one that is also the prefix of another
    /// (`a` and `a.b`), cannot nest: an error that names it, never a dropped tensor.
    private static func nestedRecord(_ fields: [(String, Value)], path: String) throws(NativeError) -> RecordObject {
        let names = Set(fields.map(\.0))
        let flat = "; load('\(path)', nested: false) gives every tensor under its name as written"
        for (name, _) in fields {
            let parts = name.split(separator: ".", omittingEmptySubsequences: false)
            if parts.contains(where: \.isEmpty) {
                throw NativeError("load: the name \(Value.string(name).repr) cannot be nested: it has an empty part between dots\(flat)")
            }
            for end in parts.indices.dropLast() {
                let prefix = parts[...end].joined(separator: ".")
                if names.contains(prefix) {
                    throw NativeError(
                        "load: the names \(Value.string(prefix).repr) and \(Value.string(name).repr) cannot both be nested: \(Value.string(prefix).repr) would be a value and a record\(flat)"
                    )
                }
            }
        }
        let root = RecordObject()
        for (name, value) in fields {
            var record = root
            let parts = name.split(separator: ".").map(String.init)
            for part in parts.dropLast() {
                if case .record(let inner)? = record[part] {
                    record = inner
                } else {
                    let inner = RecordObject()
                    record[part] = .record(inner)
                    record = inner
                }
            }
            record[parts.last!] = value
        }
        return root
    }
}
