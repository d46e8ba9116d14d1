import DVSFiles
import DVSTensor
import DVSVision

/// A tokenizer with the identity of the file it was read from, which shard
/// manifests record so a training job can check it uses the same one.
public struct ShardTokenizer: Sendable {
    public let tokenizer: any TextTokenizer
    /// The file's name (no folders) and SHA-256; nil for tokenizers made in memory.
    public let fileName: String?
    public let sha256: String?

    public init(_ tokenizer: any TextTokenizer, fileName: String?, sha256: String?) {
        (self.tokenizer, self.fileName, self.sha256) = (tokenizer, fileName, sha256)
    }

    /// The file's name and digest, when both are known.
    public var file: (name: String, sha256: String)? {
        guard let fileName, let sha256 else { return nil }
        return (fileName, sha256)
    }

    /// Loads `path` (a tokenizer.json or vocab.txt, as `TokenizerFile.load`)
    /// and hashes its bytes.
    public static func load(_ path: String, lowercase: Bool = true) throws(VisionError) -> ShardTokenizer {
        do {
            let tok = try TokenizerFile.load(path, lowercase: lowercase)
            return ShardTokenizer(tok, fileName: path.split(separator: "/").last.map(String.init) ?? path, sha256: try SHA256.file(path))
        } catch {
            throw VisionError("\(error)")
        }
    }
}

/// How every sample of an export is made: one grid, one label rule, one
/// tokenizer (the manifest records them).
public struct ShardSettings: Sendable {
    public var grid: Qwen2VLGrid.Settings
    public var rule: LabelRule
    public var subtoken: SubtokenMode
    public var minCover: Double
    public var tokenizer: ShardTokenizer

    public init(
        tokenizer: ShardTokenizer, grid: Qwen2VLGrid.Settings = .init(), rule: LabelRule = .maxOverlap,
        subtoken: SubtokenMode = .first, minCover: Double = DVSFTLabeler.defaultMinCover
    ) {
        (self.tokenizer, self.grid, self.rule, self.subtoken, self.minCover) = (tokenizer, grid, rule, subtoken, minCover)
    }

    /// The special tokens the collator builds the sequence with.
    public static let visionTokens = ["<|vision_start|>", "<|image_pad|>", "<|vision_end|>"]

    /// The settings as the manifest's "tokenizer", "grid" and "labels" members.
    func manifestMembers() -> [(key: String, value: JSONValue)] {
        let tok = tokenizer.tokenizer
        let specials = ShardSettings.visionTokens.map { name in (key: name, value: tok.id(of: name).map(JSONValue.int) ?? .null) }
        let g = grid
        return [
            (
                "tokenizer",
                .object([
                    ("file", tokenizer.fileName.map(JSONValue.string) ?? .null),
                    ("sha256", tokenizer.sha256.map(JSONValue.string) ?? .null),
                    ("kind", .string(tok.kindDescription)),
                    ("vocab_size", .int(tok.vocabSize)),
                    ("vision_tokens", .object(specials)),
                ])
            ),
            (
                "grid",
                .object([
                    ("processor", .string("Qwen2-VL (transformers' Qwen2VLImageProcessor)")),
                    ("min_pixels", .int(g.minPixels)), ("max_pixels", .int(g.maxPixels)),
                    ("patch_size", .int(g.patch)), ("merge_size", .int(g.merge)), ("temporal_patch_size", .int(g.temporalPatch)),
                    ("image_mean", .array(Qwen2VLGrid.Settings.clipMean.map(JSONValue.double))),
                    ("image_std", .array(Qwen2VLGrid.Settings.clipStd.map(JSONValue.double))),
                ])
            ),
            (
                "labels",
                .object([
                    ("rule", .string(rule.rawValue)), ("subtoken", .string(subtoken.rawValue)), ("min_cover", .double(minCover)),
                    ("ignore_index", .int(Labels.ignore)),
                    ("order", .string("one label per <|image_pad|> token, in the model's image-token order")),
                ])
            ),
        ]
    }
}
