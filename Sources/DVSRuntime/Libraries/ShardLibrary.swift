import DVSData
import DVSLang
import DVSTensor
import DVSVision

/// `export_shards`: DV-SFT samples as WebDataset shards for training jobs
/// (docs/INTEROP.md, "Label shards").
enum ShardLibrary {
    private static let grid = Qwen2VLGrid.Settings()
    private static let pixels = ParameterType.whole(atLeast: 1)
    /// The fields an example record may have.
    static let exampleFields = ["image", "words", "question", "answer", "conversation", "source", "key"]

    static let functions: [NativeFunction] = [
        NativeFunction(
            "export_shards",
            [
                .init("examples", .list(of: .record)), .init("pattern", .string), .init("tokenizer", .tokenizer),
                .init("per_shard", .whole(atLeast: 1), default: .number(1000)),
                .init("first_shard", .whole(atLeast: 0), default: .number(0)),
                .init("min_pixels", pixels, default: .number(Double(grid.minPixels))),
                .init("max_pixels", pixels, default: .number(Double(grid.maxPixels))),
                .init("rule", .choice(LabelRule.allCases.map(\.rawValue)), default: .string("max_overlap")),
                .init("subtoken", .choice(SubtokenMode.allCases.map(\.rawValue)), default: .string("first")),
                .init("min_cover", .number, default: .number(DVSFTLabeler.defaultMinCover)),
                .init("resume", .bool, default: .bool(false)),
                .init("progress", .bool, default: .bool(false)),
            ],
            returns: "record",
            help:
                "Writes DV-SFT training samples as WebDataset shards (pattern \"out/train-%06d.tar\", per_shard samples each, numbered from first_shard): per sample <key>.png (the page resized by Qwen2-VL's processor rule) and <key>.json (sizes, grid_thw, conversation, one label per image token, words and boxes). Each example is a record {image, words (boxes in the image's pixels), question and answer, or conversation ([{role, content}]), source?, key?}. Pages are resized and labelled in parallel; each shard is written atomically; an index (.index.jsonl) and a manifest (.manifest.json: tokenizer hash, grid settings, label rule, DVS version) follow. resume: true keeps shards already on disk. Returns {shards, samples, index, manifest, skipped}."
        ) { a in
            let list = try a.list(0).items, tok = try a.object(2, as: TokenizerValue.self, "tokenizer")
            let settings = ShardSettings(
                tokenizer: tok.shardTokenizer,
                grid: Qwen2VLGrid.Settings(minPixels: try a.int(5), maxPixels: try a.int(6)),
                rule: try a.choice(7, as: LabelRule.self), subtoken: try a.choice(8, as: SubtokenMode.self),
                minCover: try a.number(9))
            let pattern = try a.string(1), perShard = try a.int(3), firstShard = try a.int(4), resume = try a.bool(10)
            let plan = try libraryCall { () throws(VisionError) in try ShardPlan(pattern: pattern, perShard: perShard, firstShard: firstShard) }
            // Records are read on this thread, a shard at a time; errors from them are NativeErrors.
            var recordError: NativeError?
            let interpreter = a.interpreter
            let report = try a.bool(11) ? interpreter.progressOutput ?? { interpreter.output($0 + "\n") } : nil
            let result: ShardExport.Result
            do throws(NativeError) {
                result = try libraryCall { () throws(VisionError) in
                    try ShardExport.export(
                        count: list.count, plan: plan, settings: settings, dvsVersion: Runtime.version, resume: resume,
                        progress: report.map { line in { p in line(progressText(p)) } }
                    ) { range throws(VisionError) in
                        do throws(NativeError) {
                            return try range.map { i throws(NativeError) in try example(list[i], i) }
                        } catch {
                            recordError = error
                            throw VisionError(error.message)
                        }
                    }
                }
            } catch {
                throw recordError ?? error
            }
            return .record(
                RecordObject([
                    ("shards", .list(result.shards.map { .string($0) })),
                    ("samples", .number(Double(result.samples))),
                    ("index", .string(result.index)),
                    ("manifest", .string(result.manifest)),
                    ("skipped", .number(Double(result.shardsSkipped))),
                ]))
        }
    ]

    /// "shard 3/10, 3000/10000 samples (1 kept)".
    static func progressText(_ p: ShardExport.Progress) -> String {
        "export_shards: shard \(p.shardsDone)/\(p.shards), \(p.samplesDone)/\(p.samples) samples"
            + (p.shardsSkipped > 0 ? " (\(p.shardsSkipped) already on disk)" : "")
    }

    /// An example record as a `ShardExample`.
    static func example(_ v: Value, _ i: Int) throws(NativeError) -> ShardExample {
        let what = "export_shards: example \(i)"
        guard case .record(let r) = v else { throw NativeError("\(what) is \(v.typeName); expected a record {image, words, question, answer}") }
        if let unknown = r.keys.first(where: { !exampleFields.contains($0) }) {
            throw NativeError("\(what) has a field '\(unknown)'; expected \(exampleFields.joined(separator: ", "))")
        }
        guard case .object(let img as ImageValue)? = r["image"] else {
            throw NativeError("\(what): 'image' must be an image, got \(r["image"]?.typeName ?? "nothing")")
        }
        var words: [Box] = []
        if let w = r["words"] {
            guard let boxes = try LabelLibrary.boxes(w, "\(what): words") else {
                throw NativeError("\(what): 'words' must be a list of boxes or a text_page record, got \(w.typeName)")
            }
            words = boxes
        }
        func text(_ name: String) throws(NativeError) -> String? {
            guard let v = r[name] else { return nil }
            guard case .string(let s) = v else { throw NativeError("\(what): '\(name)' must be a string, got \(v.typeName)") }
            return s
        }
        let conversation: [ShardExample.Turn]
        if let c = r["conversation"] {
            guard try text("question") == nil, try text("answer") == nil else {
                throw NativeError("\(what): give either 'conversation' or 'question' and 'answer', not both")
            }
            conversation = try turns(c, what)
        } else {
            guard let q = try text("question"), let ans = try text("answer") else {
                throw NativeError("\(what): needs 'question' and 'answer' strings, or a 'conversation'")
            }
            conversation = ShardExample.conversation(question: q, answer: ans)
        }
        return ShardExample(image: img.image, words: words, conversation: conversation, source: try text("source") ?? "", key: try text("key"))
    }

    /// A conversation: a list of {role, content} records.
    private static func turns(_ v: Value, _ what: String) throws(NativeError) -> [ShardExample.Turn] {
        guard case .list(let l) = v else { throw NativeError("\(what): 'conversation' must be a list of {role, content} records, got \(v.typeName)") }
        var out: [ShardExample.Turn] = []
        for (k, item) in l.items.enumerated() {
            guard case .record(let t) = item, case .string(let role)? = t["role"], case .string(let content)? = t["content"] else {
                throw NativeError("\(what): conversation turn \(k) must be a record {role, content} of strings")
            }
            out.append(.init(role: role, content: content))
        }
        return out
    }
}
