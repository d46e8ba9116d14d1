import DVSTensor
import DVSVision

/// One page to export as a training sample (docs/INTEROP.md, "Label shards"):
/// the image as the model should see it, its word boxes in the image's
/// pixels, and the conversation about it. The image comes before the text of
/// the first user turn, as in Qwen2-VL's chat template.
public struct ShardExample: Sendable {
    /// One turn of the conversation.
    public struct Turn: Equatable, Sendable {
        /// "system", "user" or "assistant".
        public var role: String
        public var content: String
        public init(role: String, content: String) { (self.role, self.content) = (role, content) }
    }

    public static let roles = ["system", "user", "assistant"]

    public var image: Image
    /// Word boxes (level "word"; others are kept in the JSON but label nothing).
    public var words: [Box]
    public var conversation: [Turn]
    /// Where the page came from (a file name), kept in the sample's JSON; may be empty.
    public var source: String
    /// The sample's key in the shard; nil: the exporter numbers it.
    public var key: String?

    public init(image: Image, words: [Box], conversation: [Turn], source: String = "", key: String? = nil) {
        (self.image, self.words, self.conversation, self.source, self.key) = (image, words, conversation, source, key)
    }

    /// A question and its answer as a one-exchange conversation.
    public static func conversation(question: String, answer: String) -> [Turn] {
        [Turn(role: "user", content: question), Turn(role: "assistant", content: answer)]
    }

    /// The OCR transcription of a page as an answer: words joined by spaces,
    /// lines (as the labeler groups them) by newlines.
    public static func transcription(_ words: [Box]) -> String {
        let used = words.filter { $0.level.lowercased() == "word" && !$0.text.isEmpty }
        return DVSFTLabeler.lines(of: used).map { $0.map { used[$0].text }.joined(separator: " ") }.joined(separator: "\n")
    }

    /// Checks what the sample format needs: a user turn, known roles, a usable key.
    func validate(_ what: String) throws(VisionError) {
        for (i, turn) in conversation.enumerated() where !ShardExample.roles.contains(turn.role) {
            throw VisionError("\(what): turn \(i) has role '\(turn.role)'; expected system, user or assistant")
        }
        guard conversation.contains(where: { $0.role == "user" }) else {
            throw VisionError("\(what): the conversation has no user turn (the image goes before the first user turn's text)")
        }
        if let key { try ShardExample.checkKey(key, what) }
    }

    /// WebDataset splits a file name at its first dot into key and extension,
    /// and keys become file names inside the tar.
    static func checkKey(_ key: String, _ what: String) throws(VisionError) {
        guard !key.isEmpty, key.utf8.count <= 90, !key.contains("."), !key.contains("/"), !key.unicodeScalars.contains(where: { $0.value < 0x20 }) else {
            throw VisionError("\(what): key '\(key)' must be 1 to 90 bytes without '.', '/' or control characters (WebDataset splits names at the first dot)")
        }
    }
}
