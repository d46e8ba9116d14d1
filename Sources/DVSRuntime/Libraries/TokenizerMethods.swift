import DVSData
import DVSLang

/// Tokenizer methods: natives whose first parameter is the tokenizer (`tok.encode(text)`).
enum TokenizerMethods {
    private static let receiver = NativeFunction.Parameter("tok", .tokenizer)

    private static func tokenizer(_ a: Arguments) throws(NativeError) -> WordTokenizer {
        try a.object(0, as: TokenizerValue.self, "tokenizer").tokenizer
    }

    static let all: [NativeFunction] = [
        NativeFunction("encode", [receiver, .init("text", .string)], returns: "list",
                       help: "Ids of the whitespace-separated words of text (unknown words → the unknown id).") { a in
            .list(try tokenizer(a).encode(try a.string(1)).map { .number(Double($0)) })
        },
        NativeFunction("decode", [receiver, .init("ids", .list(of: .whole)), .init("skip_specials", .bool, default: .bool(false))],
                       returns: "string", help: "The words of ids, joined by spaces.") { a in
            let tok = try tokenizer(a)
            let ids = try a.ints(1)
            do { return .string(try tok.decode(ids, skipSpecials: try a.bool(2))) } catch { throw NativeError("\(error)") }
        },
        NativeFunction("id", [receiver, .init("token", .string)], returns: "number|nil", help: "The id of a token, or nil.") { a in
            try tokenizer(a).id(of: try a.string(1)).map { .number(Double($0)) } ?? .null
        },
    ]
}
