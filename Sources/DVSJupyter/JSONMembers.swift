import DVSFiles

/// Reading and building the JSON of Jupyter messages, connection files and
/// notebooks on DVSFiles' `JSONValue` (which keeps member order, so what the
/// kernel writes reads the way it was built).
extension JSONValue {
    /// The member `key` of an object (the last one, if repeated); nil otherwise.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.last { $0.key == key }?.value
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// A whole number (written `3`, `3.0` or `3e0`).
    public var intValue: Int? {
        guard case .number(let text) = self, let d = Double(text), d == d.rounded(), abs(d) < 1e15 else { return nil }
        return Int(d)
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    public static func int(_ n: Int) -> JSONValue { .number(String(n)) }

    public static func strings(_ items: [String]) -> JSONValue { .array(items.map { .string($0) }) }

    public static let emptyObject = JSONValue.object([])

    /// Parses UTF-8 JSON text.
    public static func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) -> JSONValue { try JSONParser.parse(bytes) }

    public var bytes: [UInt8] { Array(text().utf8) }
}
