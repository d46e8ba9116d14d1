import DVSFiles
import DVSTensor
import DVSVision

/// The JSONL index of an export, read back from its shards: one line per
/// sample, `{"shard", "key", "offset", "size", "image_tokens", "labelled",
/// "source"}`, where `offset` is the byte offset of the sample's first tar
/// header in the shard and `size` the bytes of its members (headers and
/// padding included), so a reader can seek to one sample.
public enum ShardIndex {
    public static func lines(ofShard path: String) throws(VisionError) -> [JSONValue] {
        let entries = try visionFileIO("export_shards") { () throws(FileError) in
            try TarReader.entries(path, readingDataOf: { $0.hasSuffix(".json") })
        }
        let shard = JSONValue.string(path.split(separator: "/").last.map(String.init) ?? path)
        var out: [JSONValue] = []
        var k = 0
        while k < entries.count {
            let key = sampleKey(entries[k].member.path)
            var end = k
            while end < entries.count && sampleKey(entries[end].member.path) == key { end += 1 }
            let group = entries[k..<end]
            guard let json = group.first(where: { $0.member.path.hasSuffix(".json") })?.data else {
                throw VisionError("export_shards: '\(path)': sample '\(key)' has no .json member")
            }
            let fields = try summary(json, key: key, shard: path)
            let last = group.last!.member
            let size = last.dataOffset + last.size + TarHeader.padding(after: last.size) - group.first!.member.headerOffset
            out.append(.object([("shard", shard), ("key", .string(key)), ("offset", .int(group.first!.member.headerOffset)), ("size", .int(size))] + fields))
            k = end
        }
        return out
    }

    /// WebDataset's key: the file name up to its first dot.
    static func sampleKey(_ name: String) -> String {
        let base = name.split(separator: "/").last.map(String.init) ?? name
        return String(base.prefix { $0 != "." })
    }

    /// The index's fields taken from a sample's JSON.
    private static func summary(_ bytes: [UInt8], key: String, shard: String) throws(VisionError) -> [(key: String, value: JSONValue)] {
        guard case .object(let members)? = try? JSONParser.parse(bytes) else {
            throw VisionError("export_shards: '\(shard)': \(key).json is not a JSON object")
        }
        return ["image_tokens", "labelled", "source"].map { name in (name, members.first { $0.key == name }?.value ?? .null) }
    }
}
