import DVSTensor
import DVSVision

/// Which shard holds which samples, and the files' names: shard `k` (from
/// `firstShard`) holds samples `(k − firstShard) · perShard …` and is named by
/// the pattern with `%d` / `%0Nd` replaced by `k`. The index and manifest of
/// an export name its shard range: `out/train-%06d.tar` for shards 0…4 gives
/// `out/train-000000-000004.index.jsonl` and `….manifest.json`, so processes
/// that export different shard ranges into one folder never write the same file.
public struct ShardPlan: Sendable {
    public let pattern: String
    public let perShard: Int
    public let firstShard: Int
    /// The pattern split around its number: prefix, zero-padded width, suffix.
    private let prefix: String, width: Int, suffix: String

    public init(pattern: String, perShard: Int, firstShard: Int = 0) throws(VisionError) {
        guard perShard >= 1 else { throw VisionError("export_shards: per_shard must be at least 1, got \(perShard)") }
        guard firstShard >= 0 else { throw VisionError("export_shards: first_shard must be at least 0, got \(firstShard)") }
        let parts = pattern.split(separator: "%", omittingEmptySubsequences: false)
        let spec = parts.count == 2 ? parts[1].prefix { $0 != "d" } : ""
        // "%d", or "%0" and a width: "%06d".
        guard parts.count == 2, parts[1].dropFirst(spec.count).first == "d", spec.isEmpty || spec.first == "0",
            spec.allSatisfy({ $0.isASCII && $0.isNumber }), let width = spec.isEmpty ? 0 : Int(spec), width <= 12
        else {
            throw VisionError("export_shards: the pattern '\(pattern)' must hold one shard number as %d or %0Nd (as in \"out/train-%06d.tar\")")
        }
        let suffix = String(parts[1].dropFirst(spec.count + 1))
        guard suffix.hasSuffix(".tar"), !suffix.contains("/") else {
            throw VisionError(
                "export_shards: the pattern '\(pattern)' must end with the shard number's part of the file name and '.tar' (as in \"out/train-%06d.tar\")")
        }
        (self.pattern, self.perShard, self.firstShard) = (pattern, perShard, firstShard)
        (prefix, self.width, self.suffix) = (String(parts[0]), width, suffix)
    }

    public func number(_ k: Int) -> String {
        let digits = String(k)
        return String(repeating: "0", count: Swift.max(0, width - digits.count)) + digits
    }

    /// The path of shard `k`.
    public func path(ofShard k: Int) -> String { prefix + number(k) + suffix }

    /// How many shards `samples` samples fill.
    public func shardCount(samples: Int) -> Int { (samples + perShard - 1) / perShard }

    /// The sample indices (from 0) shard `k` holds, of `samples` in all.
    public func samples(ofShard k: Int, of samples: Int) -> Range<Int> {
        let start = (k - firstShard) * perShard
        return start..<Swift.min(start + perShard, samples)
    }

    /// A sample's key: its shard and place in the shard (no dots: WebDataset splits names at the first dot).
    public func key(shard k: Int, item i: Int) -> String { number(k) + "-" + String(repeating: "0", count: Swift.max(0, 6 - String(i).count)) + String(i) }

    /// The index's and manifest's paths for shards `firstShard ..< firstShard + count`.
    public func sidecars(shards count: Int) -> (index: String, manifest: String) {
        let range = number(firstShard) + "-" + number(firstShard + Swift.max(count, 1) - 1)
        let stem = prefix + range + suffix.dropLast(4)
        return (stem + ".index.jsonl", stem + ".manifest.json")
    }
}
