import DVSFiles
import DVSTensor
import DVSVision

/// One exported sample: `<key>.png` (the image resized as Qwen2-VL's processor
/// resizes it, 8-bit RGB) and `<key>.json` (sizes, grid, conversation, labels,
/// words; docs/INTEROP.md, "Label shards").
public struct ShardSample: Sendable {
    public let key: String
    public let png: [UInt8]
    public let json: [UInt8]
    public let imageTokens: Int
    public let labelled: Int

    /// The two files of a sample, in the order they are written.
    public static let extensions = ["json", "png"]

    /// Resizes the page, labels its image tokens and encodes both files.
    public init(_ example: ShardExample, key: String, settings: ShardSettings) throws(VisionError) {
        let image = example.image
        let q = try Qwen2VLGrid(sourceWidth: image.width, sourceHeight: image.height, settings: settings.grid)
        let resized = try q.resized(image)
        let labels = try DVSFTLabeler.label(
            grid: q.grid, boxes: example.words.map(q.resizedBox), encoder: settings.tokenizer.tokenizer,
            rule: settings.rule, minCover: settings.minCover, subtoken: settings.subtoken)
        self.key = key
        png = try resized.pngData()
        imageTokens = q.imageTokens
        labelled = labels.labelledCount

        func pair(_ a: Int, _ b: Int) -> JSONValue { .array([.int(a), .int(b)]) }
        func box(_ b: Box) -> JSONValue { .array([b.x, b.y, b.w, b.h].map(JSONValue.double)) }
        let words: [JSONValue] = example.words.enumerated().map { i, b in
            .object([
                ("text", .string(b.text)), ("box", box(b)), ("box_resized", box(q.resizedBox(b))),
                ("conf", .double(b.confidence)), ("level", .string(b.level)), ("tokens", .int(labels.tokensPerWord[i])),
            ])
        }
        let value = JSONValue.object([
            ("key", .string(key)),
            ("source", .string(example.source)),
            (
                "image",
                .object([
                    ("file", .string(key + ".png")),
                    ("source_size", pair(q.sourceWidth, q.sourceHeight)),
                    ("resized_size", pair(q.resizedWidth, q.resizedHeight)),
                    ("scale", .array([.double(q.scaleX), .double(q.scaleY)])),
                ])
            ),
            ("grid_thw", .array(q.gridTHW.map(JSONValue.int))),
            ("image_tokens", .int(q.imageTokens)),
            ("conversation", .array(example.conversation.map { .object([("role", .string($0.role)), ("content", .string($0.content))]) })),
            ("labels", .array(labels.ids.map(JSONValue.int))),
            ("label_words", .array(labels.boxIndices.map { $0.map(JSONValue.int) ?? .int(-1) })),
            ("labelled", .int(labels.labelledCount)),
            ("words", .array(words)),
        ])
        json = Array(value.text().utf8)
    }
}
