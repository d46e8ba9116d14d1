import DVSFiles

/// Loads Hugging Face tokenizer files: `tokenizer.json` (models BPE, WordPiece,
/// WordLevel; the normalizers, pre-tokenizers, decoders and post-processors
/// listed in docs/INTEROP.md) and WordPiece `vocab.txt` (BERT's pipeline, as
/// `tokenizers.BertWordPieceTokenizer`). A component of another type is an
/// error naming it; `truncation` and `padding` are ignored.
public enum TokenizerFile {
    /// The tokenizer in the file at `path`: a `.txt` file is a WordPiece
    /// vocabulary (one token per line), anything else `tokenizer.json`.
    public static func load(_ path: String, lowercase: Bool = true) throws(TokenizerError) -> HFTokenizer {
        let bytes: [UInt8]
        do { bytes = try ReadFile.bytes(path) } catch { throw TokenizerError("tokenizer: \(error)") }
        if path.hasSuffix(".txt") { return try wordPieceVocabulary(bytes, path: path, lowercase: lowercase) }
        if let bad = JSONParser.firstInvalidUTF8Offset(bytes) { throw TokenizerError("\(path): invalid UTF-8 at byte \(bad)") }
        let json: JSONValue
        do { json = try JSONParser.parse(bytes) } catch { throw TokenizerError("\(path): not JSON: \(error)") }
        do {
            return try tokenizerJSON(json)
        } catch {
            throw TokenizerError("\(fileName(path)): \(error.description)")
        }
    }

    private static func fileName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }

    /// A `vocab.txt`: BERT normalizer (lowercasing as asked), BERT pre-tokenizer,
    /// WordPiece with `##` and `[UNK]`; `[PAD] [UNK] [CLS] [SEP] [MASK]` special when present.
    static func wordPieceVocabulary(_ bytes: [UInt8], path: String, lowercase: Bool) throws(TokenizerError) -> HFTokenizer {
        guard JSONParser.firstInvalidUTF8Offset(bytes) == nil else { throw TokenizerError("\(path): not UTF-8 text") }
        var lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
        if lines.last == "" { lines.removeLast() }
        let vocabulary = try Vocabulary(lines.enumerated().map { ($1, $0) })
        let model: WordPieceModel
        do {
            model = try WordPieceModel(vocabulary: vocabulary, unknown: "[UNK]", prefix: "##", maxCharacters: 100)
        } catch {
            throw TokenizerError("\(path): a WordPiece vocabulary needs the token [UNK]")
        }
        let specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"].compactMap { t in
            vocabulary[t].map { AddedToken(id: Int($0), content: t, special: true) }
        }
        return HFTokenizer(
            model: model, kind: "WordPiece tokenizer",
            normalizer: .bert(cleanText: true, chineseChars: true, stripAccents: lowercase, lowercase: lowercase),
            preTokenizer: .bert, decoder: .wordPiece(prefix: "##", cleanup: true), trimOffsets: nil,
            addedTokens: specials, unknown: "[UNK]")
    }

    static func tokenizerJSON(_ json: JSONValue) throws(TokenizerError) -> HFTokenizer {
        let root = try JSONObject(json, "the file")
        let normalizer = try root.optional("normalizer").map { v throws(TokenizerError) in try parseNormalizer(v) }
        let preTokenizer = try root.optional("pre_tokenizer").map { v throws(TokenizerError) in try parsePreTokenizer(v) }
        if let preTokenizer { try checkByteLevelLast(preTokenizer) }
        let decoder = try root.optional("decoder").map { v throws(TokenizerError) in try parseDecoder(v) }
        let trimOffsets = try root.optional("post_processor").flatMap { v throws(TokenizerError) in try parsePostProcessor(v) }
        guard let modelJSON = root.optional("model") else { throw TokenizerError("no 'model'") }
        let (model, kind, unknown) = try parseModel(modelJSON)
        // Ids as `tokenizers` assigns them when it reads the file (the file's
        // ids are not used): a token the model or an earlier added token has
        // keeps that id, a new one takes the next id from the model's size on.
        var added: [AddedToken] = []
        if let list = root.optional("added_tokens") {
            guard case .array(let items) = list else { throw TokenizerError("'added_tokens' must be a list, got \(list.kindDescription)") }
            var nextID = model.vocabulary.ids.count
            for item in items {
                let o = try JSONObject(item, "an added token")
                let content = try o.string("content")
                if content.isEmpty { continue }
                let known = added.lastIndex { $0.content == content }
                let id = known.map { added[$0].id } ?? model.id(of: content) ?? nextID
                if known == nil && model.id(of: content) == nil { nextID += 1 }
                if let known { added.remove(at: known) }
                added.append(
                    AddedToken(
                        id: id, content: content, special: try o.bool("special", default: false),
                        singleWord: try o.bool("single_word", default: false), lstrip: try o.bool("lstrip", default: false),
                        rstrip: try o.bool("rstrip", default: false), normalized: try o.bool("normalized", default: true)))
            }
        }
        return HFTokenizer(
            model: model, kind: kind, normalizer: normalizer, preTokenizer: preTokenizer, decoder: decoder,
            trimOffsets: trimOffsets, addedTokens: added, unknown: unknown)
    }

    private static func unsupported(_ component: String, _ type: String) -> TokenizerError {
        TokenizerError("\(component) type '\(type)' is not supported")
    }

    static func parseNormalizer(_ v: JSONValue) throws(TokenizerError) -> TextNormalizer {
        let o = try JSONObject(v, "the normalizer")
        let type = try o.string("type")
        switch type {
        case "NFC", "NFD", "NFKC", "NFKD": return .unicode(UnicodeForm(rawValue: type)!)
        case "Lowercase": return .lowercase
        case "StripAccents": return .stripAccents
        case "Strip": return .strip(left: try o.bool("strip_left", default: true), right: try o.bool("strip_right", default: true))
        case "Prepend": return .prepend(Array(try o.string("prepend").unicodeScalars))
        case "Replace": return .replace(try parsePattern(o), Array(try o.string("content").unicodeScalars))
        case "BertNormalizer":
            let lowercase = try o.bool("lowercase", default: true)
            let strip: Bool
            if case .bool(let b)? = o.optional("strip_accents") { strip = b } else { strip = lowercase }
            return .bert(
                cleanText: try o.bool("clean_text", default: true), chineseChars: try o.bool("handle_chinese_chars", default: true),
                stripAccents: strip, lowercase: lowercase)
        case "Sequence":
            var steps: [TextNormalizer] = []
            for item in try o.array("normalizers") { steps.append(try parseNormalizer(item)) }
            return .sequence(steps)
        default: throw unsupported("normalizer", type)
        }
    }

    private static func parsePattern(_ o: JSONObject) throws(TokenizerError) -> SplitPattern {
        let p = try JSONObject(o.optional("pattern") ?? .null, "the pattern")
        if let regex = p.optional("Regex") {
            guard case .string(let s) = regex else { throw TokenizerError("pattern 'Regex' must be a string") }
            return try SplitPattern(regex: s)
        }
        return SplitPattern(literal: try p.string("String"))
    }

    private static func parseBehavior(_ o: JSONObject, default fallback: SplitBehavior) throws(TokenizerError) -> SplitBehavior {
        guard let v = o.optional("behavior") else { return fallback }
        guard case .string(let s) = v, let b = SplitBehavior(rawValue: s) else {
            throw TokenizerError("split behavior must be one of Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous; got \(v.compactText())")
        }
        return b
    }

    static func parsePreTokenizer(_ v: JSONValue) throws(TokenizerError) -> PreTokenizer {
        let o = try JSONObject(v, "the pre_tokenizer")
        let type = try o.string("type")
        switch type {
        case "ByteLevel":
            return .byteLevel(addPrefixSpace: try o.bool("add_prefix_space", default: true), useRegex: try o.bool("use_regex", default: true))
        case "Split":
            return .split(try parsePattern(o), try parseBehavior(o, default: .isolated), invert: try o.bool("invert", default: false))
        case "Whitespace": return .whitespace
        case "WhitespaceSplit": return .whitespaceSplit
        case "BertPreTokenizer": return .bert
        case "Punctuation": return .punctuation(try parseBehavior(o, default: .isolated))
        case "Digits": return .digits(individual: try o.bool("individual_digits", default: false))
        case "Sequence":
            var steps: [PreTokenizer] = []
            for item in try o.array("pretokenizers") { steps.append(try parsePreTokenizer(item)) }
            return .sequence(steps)
        default: throw unsupported("pre_tokenizer", type)
        }
    }

    /// ByteLevel turns words into byte characters when the model sees them, so
    /// nothing may split after it.
    private static func checkByteLevelLast(_ p: PreTokenizer) throws(TokenizerError) {
        guard case .sequence(let steps) = p else { return }
        for (i, step) in steps.enumerated() {
            if step.isByteLevel && i != steps.count - 1 {
                throw TokenizerError("pre_tokenizer ByteLevel is supported only as the last step of a Sequence")
            }
            try checkByteLevelLast(step)
        }
    }

    static func parseDecoder(_ v: JSONValue) throws(TokenizerError) -> TokenDecoder {
        let o = try JSONObject(v, "the decoder")
        let type = try o.string("type")
        switch type {
        case "ByteLevel": return .byteLevel
        case "WordPiece": return .wordPiece(prefix: try o.string("prefix", default: "##"), cleanup: try o.bool("cleanup", default: true))
        case "BPEDecoder": return .bpe(suffix: try o.string("suffix", default: "</w>"))
        case "Sequence":
            var steps: [TokenDecoder] = []
            for item in try o.array("decoders") { steps.append(try parseDecoder(item)) }
            return .sequence(steps)
        default: throw unsupported("decoder", type)
        }
    }

    /// ByteLevel's `trim_offsets` (its `add_prefix_space`), or nil when offsets stay as they are.
    static func parsePostProcessor(_ v: JSONValue) throws(TokenizerError) -> Bool? {
        let o = try JSONObject(v, "the post_processor")
        let type = try o.string("type")
        switch type {
        case "ByteLevel":
            return try o.bool("trim_offsets", default: true) ? try o.bool("add_prefix_space", default: true) : nil
        case "TemplateProcessing", "BertProcessing", "RobertaProcessing": return nil
        case "Sequence":
            var trim: Bool?
            for item in try o.array("processors") { trim = try parsePostProcessor(item) ?? trim }
            return trim
        default: throw unsupported("post_processor", type)
        }
    }

    static func parseModel(_ v: JSONValue) throws(TokenizerError) -> (any SubwordModel, String, String?) {
        let o = try JSONObject(v, "the model")
        let type =
            try o.optionalString("type") ?? (o.optional("merges") != nil ? "BPE" : o.optional("max_input_chars_per_word") != nil ? "WordPiece" : "WordLevel")
        guard ["BPE", "WordPiece", "WordLevel"].contains(type) else { throw unsupported("model", type) }
        let vocabulary = try parseVocabulary(o)
        let unknown = try o.optionalString("unk_token")
        switch type {
        case "BPE":
            var options = BPEModel.Options()
            options.unknown = unknown
            options.fuseUnknown = try o.bool("fuse_unk", default: false)
            options.byteFallback = try o.bool("byte_fallback", default: false)
            options.continuingSubwordPrefix = try o.optionalString("continuing_subword_prefix")
            options.endOfWordSuffix = try o.optionalString("end_of_word_suffix")
            options.ignoreMerges = try o.bool("ignore_merges", default: false)
            if case .number(let d)? = o.optional("dropout") { options.dropout = Double(d) }
            return (try BPEModel(vocabulary: vocabulary, merges: try parseMerges(o), options: options), "BPE tokenizer", unknown)
        case "WordPiece":
            let unk = unknown ?? "[UNK]"
            let model = try WordPieceModel(
                vocabulary: vocabulary, unknown: unk, prefix: try o.string("continuing_subword_prefix", default: "##"),
                maxCharacters: try o.int("max_input_chars_per_word", default: 100))
            return (model, "WordPiece tokenizer", unk)
        case "WordLevel":
            guard let unk = unknown, let id = vocabulary[unk] else { throw TokenizerError("model WordLevel needs an unk_token in its vocabulary") }
            return (WordLevelModel(vocabulary: vocabulary, unknown: id), "WordLevel tokenizer", unk)
        default: throw unsupported("model", type)
        }
    }

    private static func parseVocabulary(_ o: JSONObject) throws(TokenizerError) -> Vocabulary {
        guard case .object(let members)? = o.optional("vocab") else { throw TokenizerError("model 'vocab' must be an object of token: id") }
        var pairs: [(String, Int)] = []
        pairs.reserveCapacity(members.count)
        for (token, value) in members {
            guard case .number(let text) = value, let id = Int(text) else {
                throw TokenizerError("model vocab: the id of \"\(token)\" must be a whole number, got \(value.compactText())")
            }
            pairs.append((token, id))
        }
        return try Vocabulary(pairs)
    }

    /// Merges as `["a", "b"]` pairs or as `"a b"` strings (exactly one space; `#version` lines skipped).
    private static func parseMerges(_ o: JSONObject) throws(TokenizerError) -> [(String, String)] {
        var out: [(String, String)] = []
        for item in try o.array("merges") {
            switch item {
            case .array(let pair):
                guard pair.count == 2, case .string(let a) = pair[0], case .string(let b) = pair[1] else {
                    throw TokenizerError("model BPE merge \(out.count + 1) must be two strings, got \(item.compactText())")
                }
                out.append((a, b))
            case .string(let line):
                if line.hasPrefix("#version") { continue }
                let parts = line.split(separator: " ", omittingEmptySubsequences: false)
                guard parts.count == 2 else {
                    throw TokenizerError("model BPE merge \(out.count + 1) must be \"a b\" (two tokens, one space), got \"\(line)\"")
                }
                out.append((String(parts[0]), String(parts[1])))
            default:
                throw TokenizerError("model BPE merge \(out.count + 1) must be a string or a pair, got \(item.kindDescription)")
            }
        }
        return out
    }
}

/// Typed member access to a JSON object, with messages naming the member.
struct JSONObject {
    private let members: [String: JSONValue]
    private let what: String

    init(_ v: JSONValue, _ what: String) throws(TokenizerError) {
        guard case .object(let m) = v else { throw TokenizerError("\(what) must be an object, got \(v.kindDescription)") }
        var members: [String: JSONValue] = [:]
        for (k, v) in m where members[k] == nil { members[k] = v }
        self.members = members
        self.what = what
    }

    /// The member, or nil when absent or null.
    func optional(_ key: String) -> JSONValue? {
        if case .null? = members[key] { return nil }
        return members[key]
    }

    func string(_ key: String, default fallback: String? = nil) throws(TokenizerError) -> String {
        if let s = try optionalString(key) { return s }
        if let fallback { return fallback }
        throw TokenizerError("\(what) has no '\(key)'")
    }

    func optionalString(_ key: String) throws(TokenizerError) -> String? {
        guard let v = optional(key) else { return nil }
        guard case .string(let s) = v else { throw TokenizerError("\(what): '\(key)' must be a string, got \(v.kindDescription)") }
        return s
    }

    func bool(_ key: String, default fallback: Bool) throws(TokenizerError) -> Bool {
        guard let v = optional(key) else { return fallback }
        guard case .bool(let b) = v else { throw TokenizerError("\(what): '\(key)' must be true or false, got \(v.kindDescription)") }
        return b
    }

    func int(_ key: String, default fallback: Int? = nil) throws(TokenizerError) -> Int {
        guard let v = optional(key) else {
            if let fallback { return fallback }
            throw TokenizerError("\(what) has no '\(key)'")
        }
        guard case .number(let text) = v, let n = Int(text) else { throw TokenizerError("\(what): '\(key)' must be a whole number, got \(v.compactText())") }
        return n
    }

    func array(_ key: String) throws(TokenizerError) -> [JSONValue] {
        guard case .array(let items)? = optional(key) else { throw TokenizerError("\(what): '\(key)' must be a list") }
        return items
    }
}
