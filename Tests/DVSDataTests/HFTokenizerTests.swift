import DVSFiles
import XCTest

@testable import DVSData

/// Tokenizer components against known values. Expected ids and offsets come
/// from Python's `tokenizers` 0.23 on the same tokenizer.json text (the full
/// parity test on real vocabularies is Tests/tokenizers/parity.py).
final class HFTokenizerTests: XCTestCase {
    private func load(_ json: String) throws -> HFTokenizer {
        try TokenizerFile.tokenizerJSON(try JSONParser.parse(Array(json.utf8)))
    }

    private func check(_ json: String, _ cases: [(String, [Int], [Range<Int>])], file: StaticString = #filePath, line: UInt = #line) throws {
        let tok = try load(json)
        for (text, ids, offsets) in cases {
            XCTAssertEqual(tok.encode(text), TokenEncoding(ids: ids, offsets: offsets), "\(text)", file: file, line: line)
        }
    }

    /// Unknown characters (dropped, unk, fused unk, byte fallback), merges as
    /// strings and pairs, ignore_merges, continuing_subword_prefix with
    /// end_of_word_suffix, normalizer alignments and Split behaviours.
    func testModelOptionsNormalizersAndSplits() throws {
        // plain
        try check(
            ###"{"version": "1.0", "added_tokens": [], "normalizer": null, "pre_tokenizer": {"type": "WhitespaceSplit"}, "post_processor": null, "decoder": null, "model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "c": 2, "ab": 3, "abc": 4, "<unk>": 5, "<0x61>": 6, "<0xC3>": 7, "<0xA9>": 8, "d": 9, "bc": 10, "abcd": 11}, "merges": ["a b", "ab c", "b c"], "unk_token": "<unk>"}}"###,
            [
                ("abc abd ab", [4, 3, 9, 3], [0..<3, 4..<6, 6..<7, 8..<10]),
                ("cab", [2, 3], [0..<1, 1..<3]),
                ("xxab éa", [5, 5, 3, 5, 0], [0..<1, 1..<2, 2..<4, 5..<6, 6..<7]),
            ])
        // fuse
        try check(
            ###"{"version": "1.0", "added_tokens": [], "normalizer": null, "pre_tokenizer": {"type": "WhitespaceSplit"}, "post_processor": null, "decoder": null, "model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "c": 2, "ab": 3, "abc": 4, "<unk>": 5, "<0x61>": 6, "<0xC3>": 7, "<0xA9>": 8, "d": 9, "bc": 10, "abcd": 11}, "merges": ["a b", "ab c", "b c"], "unk_token": "<unk>", "fuse_unk": true}}"###,
            [
                ("xxab éa", [5, 3, 5, 0], [0..<2, 2..<4, 5..<6, 6..<7])
            ])
        // fallback
        try check(
            ###"{"version": "1.0", "added_tokens": [], "normalizer": null, "pre_tokenizer": {"type": "WhitespaceSplit"}, "post_processor": null, "decoder": null, "model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "c": 2, "ab": 3, "abc": 4, "<unk>": 5, "<0x61>": 6, "<0xC3>": 7, "<0xA9>": 8, "d": 9, "bc": 10, "abcd": 11}, "merges": ["a b", "ab c", "b c"], "unk_token": "<unk>", "byte_fallback": true}}"###,
            [
                ("éab xa", [7, 8, 3, 5, 0], [0..<1, 0..<1, 1..<3, 4..<5, 5..<6])
            ])
        // ignore_merges
        try check(
            ###"{"version": "1.0", "added_tokens": [], "normalizer": null, "pre_tokenizer": {"type": "WhitespaceSplit"}, "post_processor": null, "decoder": null, "model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "c": 2, "ab": 3, "abc": 4, "<unk>": 5, "<0x61>": 6, "<0xC3>": 7, "<0xA9>": 8, "d": 9, "bc": 10, "abcd": 11}, "merges": [["b", "c"], ["a", "b"], ["ab", "c"]], "unk_token": "<unk>", "ignore_merges": true}}"###,
            [
                ("abcd abc", [11, 4], [0..<4, 5..<8])
            ])
        // prefix
        try check(
            ###"{"version": "1.0", "added_tokens": [], "normalizer": null, "pre_tokenizer": {"type": "Whitespace"}, "post_processor": null, "decoder": null, "model": {"type": "BPE", "vocab": {"a": 0, "##b": 1, "##c": 2, "ab": 3, "abc</w>": 4, "##c</w>": 5, "c</w>": 6, "a</w>": 7, "b": 8, "##b</w>": 9, "ab</w>": 10}, "merges": ["a ##b", "ab ##c</w>", "a ##b</w>"], "continuing_subword_prefix": "##", "end_of_word_suffix": "</w>", "unk_token": null}}"###,
            [
                ("abc ab, a c b", [4, 10, 7, 6], [0..<3, 4..<6, 8..<9, 10..<11])
            ])
        // normalizers
        try check(
            ###"{"version": "1.0", "added_tokens": [], "normalizer": {"type": "Sequence", "normalizers": [{"type": "NFD"}, {"type": "StripAccents"}, {"type": "Lowercase"}, {"type": "Replace", "pattern": {"String": "x"}, "content": "ab"}, {"type": "Strip", "strip_left": true, "strip_right": true}]}, "pre_tokenizer": {"type": "WhitespaceSplit"}, "post_processor": null, "decoder": null, "model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "c": 2, "ab": 3, "abc": 4, "<unk>": 5, "<0x61>": 6, "<0xC3>": 7, "<0xA9>": 8, "d": 9, "bc": 10, "abcd": 11}, "merges": ["a b", "ab c", "b c"], "unk_token": "<unk>"}}"###,
            [
                ("  ÁBx Ç  ", [3, 3, 2], [2..<4, 4..<5, 6..<7]),
                ("İa", [5, 0], [0..<1, 1..<2]),
            ])
        // split
        try check(
            ###"{"version": "1.0", "added_tokens": [], "normalizer": null, "pre_tokenizer": {"type": "Sequence", "pretokenizers": [{"type": "Split", "pattern": {"Regex": "b+"}, "behavior": "MergedWithNext", "invert": false}, {"type": "Digits", "individual_digits": true}]}, "post_processor": null, "decoder": null, "model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "c": 2, "ab": 3, "abc": 4, "<unk>": 5, "<0x61>": 6, "<0xC3>": 7, "<0xA9>": 8, "d": 9, "bc": 10, "abcd": 11}, "merges": ["a b", "ab c", "b c"], "unk_token": "<unk>"}}"###,
            [
                ("abbbcab12a", [0, 1, 1, 10, 0, 1, 5, 5, 0], [0..<1, 1..<2, 2..<3, 3..<5, 5..<6, 6..<7, 7..<8, 8..<9, 9..<10]),
                ("bbb", [1, 1, 1], [0..<1, 1..<2, 2..<3]),
            ])
    }

    /// The hand-written GPT-2 / Qwen2 / Llama-3 matchers find exactly what
    /// Swift's Regex finds for the same pattern, on random strings.
    func testKnownPatternsMatchSwiftRegex() throws {
        let alphabet: [Unicode.Scalar] = [
            "a", "B", "z", "s", "S", "t", "r", "e", "v", "m", "l", "L", "d", "D", "'", "'", "'",
            " ", " ", " ", " ", "\t", "\n", "\r", "\u{A0}", "\u{3000}", "0", "7", "½", "²",
            "é", "ß", "語", "ß", "Ж", "!", ".", "-", "_", "(", "\"", "😀", "\u{301}", "٣",
        ]
        var rng = SystemRandomNumberGenerator()
        for source in [KnownPattern.gpt2Source, KnownPattern.qwen2Source, KnownPattern.llama3Source] {
            let fast = try SplitPattern(regex: source), slow = try SplitPattern(regex: source, useKnown: false)
            for _ in 0..<400 {
                let text = (0..<Int.random(in: 0...24, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
                XCTAssertEqual(fast.matches(in: text), slow.matches(in: text), "\(source) on \(String(scalars: text).debugDescription)")
            }
        }
    }

    func testAddedTokensDecodeAndErrors() throws {
        let json = #"""
            {"added_tokens": [{"id": 12, "content": "<s>", "special": true, "normalized": false},
                              {"id": 13, "content": "[M]", "special": false, "normalized": false, "lstrip": true, "rstrip": true},
                              {"id": 14, "content": "ab", "special": false, "normalized": true, "single_word": true}],
             "normalizer": {"type": "Lowercase"}, "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false},
             "decoder": {"type": "ByteLevel"},
             "model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "Ġ": 2, "Ġa": 3, "c": 4}, "merges": [["Ġ", "a"]]}}
            """#
        let tok = try load(json)
        let e = tok.encode("<s>AB abc  [M]  a")
        XCTAssertEqual(e.ids, [5, 7, 3, 1, 4, 6, 0], "added tokens take ids from the model's size on, whatever the file says")
        XCTAssertEqual(e.offsets, [0..<3, 3..<5, 5..<7, 7..<8, 8..<9, 9..<16, 16..<17])
        XCTAssertEqual(try tok.decode(e.ids), "<s>ab abc[M]a")
        XCTAssertEqual(try tok.decode(e.ids, skipSpecials: true), "ab abc[M]a")
        XCTAssertEqual(tok.specialTokens.map(\.token), ["<s>"])
        XCTAssertEqual(tok.vocabSize, 8)
        XCTAssertEqual(tok.token(6), "[M]")
        XCTAssertEqual(tok.id(of: "Ġa"), 3)
        XCTAssertThrowsError(try tok.decode([99])) { XCTAssertEqual("\($0)", "decode: id 99 is not in the vocabulary") }

        let metaspace = json.replacingOccurrences(of: #"{"type": "ByteLevel", "add_prefix_space": false}"#, with: #"{"type": "Metaspace"}"#)
        XCTAssertThrowsError(try load(metaspace)) { XCTAssertEqual("\($0)", "pre_tokenizer type 'Metaspace' is not supported") }
        let badMerge = json.replacingOccurrences(of: #"[["Ġ", "a"]]"#, with: #"["a q"]"#)
        XCTAssertThrowsError(try load(badMerge)) { XCTAssertEqual("\($0)", #"model BPE merge 1 ("a q"): "q" is not in the vocabulary"#) }
        let badRegex = json.replacingOccurrences(
            of: #"{"type": "ByteLevel", "add_prefix_space": false}"#,
            with: #"{"type": "Split", "pattern": {"Regex": "(a"}, "behavior": "Isolated", "invert": false}"#)
        XCTAssertThrowsError(try load(badRegex)) { XCTAssertTrue("\($0)".hasPrefix("the regular expression (a does not compile")) }
    }

    /// Words of a line tokenized in context: a split-off leading space belongs
    /// to no word; pieces carry their ranges within the word.
    func testLinePieces() throws {
        let json = #"""
            {"pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false},
             "model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "Ġ": 2, "Ġa": 3, "1": 4, "-": 5, "-b": 6},
                       "merges": [["Ġ", "a"], ["-", "b"]]}}
            """#
        let pieces = try load(json).pieces(ofLine: ["a-b", "a", "1"])
        // GPT-2's regex splits a-b into a, -, b (tokenizers: a - b Ġa Ġ 1).
        XCTAssertEqual(pieces.map { $0.map(\.id) }, [[0, 5, 1], [3], [4]])
        XCTAssertEqual(pieces.map { $0.map(\.characters) }, [[0..<1, 1..<2, 2..<3], [0..<1], [0..<1]])
    }
}
