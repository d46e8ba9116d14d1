import DVSData
import DVSLang

/// Tokenizer methods: natives whose first parameter is the tokenizer (`tok.encode(text)`).
enum TokenizerMethods {
    private static let receiver = NativeFunction.Parameter("tok", .tokenizer)

    private static func tokenizer(_ a: Arguments) throws(NativeError) -> any TextTokenizer {
        try a.object(0, as: TokenizerValue.self, "tokenizer").tokenizer
    }

    static let all: [NativeFunction] = [
        NativeFunction(
            "encode", [receiver, .init("text", .string)], returns: "record",
            help:
                "Tokens of text: {ids, offsets}, offsets as [start, end] character (code point) ranges into text, as Python's tokenizers gives them. A word tokenizer splits on whitespace (unknown words → the unknown id)."
        ) { a in
            let e = try tokenizer(a).encode(try a.string(1))
            return .record(
                RecordObject([
                    ("ids", .list(e.ids.map { .number(Double($0)) })),
                    ("offsets", .list(e.offsets.map { .list([.number(Double($0.lowerBound)), .number(Double($0.upperBound))]) })),
                ]))
        },
        NativeFunction(
            "decode", [receiver, .init("ids", .list(of: .whole)), .init("skip_specials", .bool, default: .bool(false))],
            returns: "string", help: "The text of ids (a word tokenizer joins its words by spaces); skip_specials leaves out special tokens."
        ) { a in
            let tok = try tokenizer(a)
            let ids = try a.ints(1)
            do { return .string(try tok.decode(ids, skipSpecials: try a.bool(2))) } catch let e as NativeError { throw e } catch {
                throw NativeError("\(error)")
            }
        },
        NativeFunction("id", [receiver, .init("token", .string)], returns: "number|nil", help: "The id of a token, or nil.") { a in
            try tokenizer(a).id(of: try a.string(1)).map { .number(Double($0)) } ?? .null
        },
        NativeFunction("token", [receiver, .init("id", .whole)], returns: "string|nil", help: "The token of an id, or nil.") { a in
            try tokenizer(a).token(try a.int(1)).map { .string($0) } ?? .null
        },
    ]
}
