import DVSLang
import DVSTensor
import DVSVision

enum LabelLibrary {
    /// Word boxes: a list of boxes, or the record text_page returns.
    static let wordBoxes = ParameterType.oneOf([.list(of: .box), .record])

    /// Word boxes from a list of boxes (or the record text_page returns).
    static func boxes(_ a: Arguments, _ i: Int) throws(NativeError) -> [Box] {
        guard let boxes = try boxes(a[i], a.function.name) else { throw a.bad(i, wordBoxes) }
        return boxes
    }

    /// The boxes of a list of boxes or a text_page record; nil for other values.
    static func boxes(_ v: Value, _ what: String) throws(NativeError) -> [Box]? {
        var items: [Value]
        switch v {
        case .list(let l): items = l.items
        case .record(let r):
            guard case .list(let l)? = r["boxes"] else { throw NativeError("\(what): the record has no 'boxes' list") }
            items = l.items
        default: return nil
        }
        var out: [Box] = []
        for (k, item) in items.enumerated() {
            guard case .object(let o as BoxValue) = item else {
                throw NativeError("\(what): item \(k) of the boxes is \(item.typeName), not a box")
            }
            out.append(o.box)
        }
        return out
    }

    static func labelIDs(_ v: Value, _ what: String) throws(NativeError) -> [Int] {
        var list: [Value]
        switch v {
        case .record(let r):
            guard case .list(let l)? = r["ids"] else { throw NativeError("\(what): the record has no 'ids' list") }
            list = l.items
        case .list(let l): list = l.items
        case .object(let o as TensorValue): list = try tensorValues(o.tensor).map { .number(Double($0)) }
        default: throw NativeError("\(what): expected labels (a record from dvsft_labels, a list or a tensor), got \(v.typeName)")
        }
        var out: [Int] = []
        for item in list {
            guard case .number(let n) = item, let i = exactInt(n) else { throw NativeError("\(what): labels must be whole numbers, got \(item.repr)") }
            out.append(i)
        }
        return out
    }

    static let functions: [NativeFunction] = [
        NativeFunction(
            "patch_grid", [.init("img", .image), .init("patch", .whole, default: .number(14)), .init("merge", .whole, default: .number(2))],
            returns: "grid",
            help:
                "Cuts an image into patch×patch patches and groups merge×merge of them into one visual token each. Sides that are not multiples of patch·merge are padded with background (0) on the right and bottom."
        ) { a in
            let img = try a.image(0), p = try a.int(1), m = try a.int(2)
            let grid = try libraryCall { () throws(VisionError) in try PatchGrid(image: img, patch: p, merge: m) }
            return .object(GridValue(grid, image: img))
        },
        NativeFunction(
            "dvsft_labels",
            [
                .init("grid", .grid), .init("boxes", wordBoxes), .init("tokenizer", .tokenizer),
                .init("rule", .choice(LabelRule.allCases.map(\.rawValue)), default: .string("max_overlap")), .init("min_cover", .number, default: .number(0.1)),
                .init("subtoken", .choice(SubtokenMode.allCases.map(\.rawValue)), default: .string("first")),
            ],
            returns: "record",
            help:
                "DV-SFT labels: one token id per visual token (-100 where no word qualifies). rule \"max_overlap\" (the word covering most of the token, if it covers at least min_cover of it) or \"center\" (the word containing the token's center); subtoken \"first\" (a word's first sub-token) or \"span\" (the box split among sub-tokens by character extent). Returns {ids, words, coverage: {fraction, labelled, unlabelled_words, tokens_per_word, per_token}}."
        ) { a in
            let g = try a.grid(0), t = try a.object(2, as: TokenizerValue.self, "tokenizer")
            let boxes = g.gridBoxes(try boxes(a, 1))
            let rule = try a.choice(3, as: LabelRule.self), mode = try a.choice(5, as: SubtokenMode.self)
            let minCover = try a.number(4)
            let labels = try libraryCall { () throws(VisionError) in
                try DVSFTLabeler.label(grid: g.grid, boxes: boxes, encoder: t.tokenizer, rule: rule, minCover: minCover, subtoken: mode)
            }
            let coverage = RecordObject([
                ("fraction", .number(labels.labelledFraction)),
                ("labelled", .number(Double(labels.labelledCount))),
                ("unlabelled_words", .list(labels.unlabelledWords.map { .string($0) })),
                ("tokens_per_word", .list(labels.tokensPerWord.map { .number(Double($0)) })),
                ("per_token", .list(labels.coverage.map { .number($0) })),
            ])
            return .record(
                RecordObject([
                    ("ids", .list(labels.ids.map { .number(Double($0)) })),
                    ("words", .list(labels.words.map { $0.map { .string($0) } ?? .null })),
                    ("coverage", .record(coverage)),
                ]))
        },
        NativeFunction(
            "label_agreement", [.init("a", .oneOf([.record, .list])), .init("b", .oneOf([.record, .list]))], returns: "number",
            help: "The fraction of visual tokens whose labels agree (-100 with -100 agrees): e.g. labels from OCR boxes vs from drawn boxes."
        ) { a in
            let x = try labelIDs(a[0], "label_agreement"), y = try labelIDs(a[1], "label_agreement")
            return .number(try libraryCall { () throws(VisionError) in try labelAgreement(x, y) })
        },
    ]
}
