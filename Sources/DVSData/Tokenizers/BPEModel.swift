import Synchronization

/// Byte-pair encoding as `tokenizers`' `BPE` model does it: each character of
/// the word (with `continuing_subword_prefix` on non-first characters and
/// `end_of_word_suffix` on the last) becomes a symbol, unknown characters go
/// to byte-fallback tokens `<0xXX>`, else to `unk_token` (fused runs when
/// `fuse_unk`), else are dropped; then merges apply lowest rank first (the
/// leftmost among equal ranks) through a priority queue, O(n log n) per word.
/// Results are cached per word (words under 256 bytes, up to 100,000 of them).
final class BPEModel: SubwordModel {
    let vocabulary: Vocabulary
    /// (left id, right id) → (rank, merged id), packed as `rank << 32 | id`.
    private let merges: [UInt64: UInt64]
    /// Ids of one-scalar tokens, the common first lookup.
    private let scalarIDs: [UInt32: Int32]
    private let unknown: Int32?
    private let fuseUnknown: Bool
    private let byteFallback: Bool
    private let prefix: String?
    private let suffix: String?
    private let ignoreMerges: Bool
    private let cache = Mutex<[String: [ModelToken]]>([:])
    private static let cacheLimit = 100_000, cachedWordBytes = 256

    struct Options {
        var unknown: String?
        var fuseUnknown = false
        var byteFallback = false
        var continuingSubwordPrefix: String?
        var endOfWordSuffix: String?
        var ignoreMerges = false
        var dropout: Double?
    }

    init(vocabulary: Vocabulary, merges pairs: [(String, String)], options: Options) throws(TokenizerError) {
        if let dropout = options.dropout, dropout > 0 {
            throw TokenizerError("model BPE with dropout \(dropout) is not supported (dropout is random; use null or 0)")
        }
        self.vocabulary = vocabulary
        let prefix = options.continuingSubwordPrefix.flatMap { $0.isEmpty ? nil : $0 }
        var merges: [UInt64: UInt64] = [:]
        merges.reserveCapacity(pairs.count)
        for (rank, (a, b)) in pairs.enumerated() {
            guard let left = vocabulary[a] else { throw TokenizerError("model BPE merge \(rank + 1) (\"\(a) \(b)\"): \"\(a)\" is not in the vocabulary") }
            guard let right = vocabulary[b] else { throw TokenizerError("model BPE merge \(rank + 1) (\"\(a) \(b)\"): \"\(b)\" is not in the vocabulary") }
            let merged = a + (prefix.map { b.hasPrefix($0) ? String(b.dropFirst($0.count)) : b } ?? b)
            guard let id = vocabulary[merged] else {
                throw TokenizerError("model BPE merge \(rank + 1) (\"\(a) \(b)\"): \"\(merged)\" is not in the vocabulary")
            }
            merges[UInt64(UInt32(left)) << 32 | UInt64(UInt32(right))] = UInt64(rank) << 32 | UInt64(UInt32(id))
        }
        self.merges = merges
        var scalarIDs: [UInt32: Int32] = [:]
        for (token, id) in vocabulary.ids where token.unicodeScalars.count == 1 {
            scalarIDs[token.unicodeScalars.first!.value] = id
        }
        self.scalarIDs = scalarIDs
        if let unk = options.unknown {
            guard let id = vocabulary[unk] else { throw TokenizerError("model BPE unk_token \"\(unk)\" is not in the vocabulary") }
            unknown = id
        } else {
            unknown = nil
        }
        fuseUnknown = options.fuseUnknown
        byteFallback = options.byteFallback
        self.prefix = prefix
        suffix = options.endOfWordSuffix.flatMap { $0.isEmpty ? nil : $0 }
        ignoreMerges = options.ignoreMerges
    }

    func tokenize(_ word: [Unicode.Scalar]) -> [ModelToken] {
        guard !word.isEmpty else { return [] }
        let key = String(scalars: word)
        if ignoreMerges, let id = vocabulary[key] { return [ModelToken(id: id, start: 0, end: Int32(word.count))] }
        if let hit = cache.withLock({ $0[key] }) { return hit }
        let result = merge(initialSymbols(word))
        if key.utf8.count < BPEModel.cachedWordBytes {
            cache.withLock { if $0.count < BPEModel.cacheLimit { $0[key] = result } }
        }
        return result
    }

    /// The id of the character at `i` with the prefix/suffix its place calls for.
    private func symbolID(_ word: [Unicode.Scalar], _ i: Int) -> (Int32?, String?) {
        let first = i == 0, last = i == word.count - 1
        if (first || prefix == nil) && (!last || suffix == nil) {
            return (scalarIDs[word[i].value], nil)
        }
        var s = first ? "" : prefix ?? ""
        s.unicodeScalars.append(word[i])
        if last, let suffix { s += suffix }
        return (vocabulary[s], s)
    }

    private func initialSymbols(_ word: [Unicode.Scalar]) -> [ModelToken] {
        var symbols: [ModelToken] = []
        symbols.reserveCapacity(word.count)
        var pendingUnknown: ModelToken?
        for i in word.indices {
            let (found, text) = symbolID(word, i)
            let at = Int32(i)
            if let id = found {
                if let u = pendingUnknown { symbols.append(u); pendingUnknown = nil }
                symbols.append(ModelToken(id: id, start: at, end: at + 1))
                continue
            }
            if byteFallback {
                var spelled = text ?? ""
                if text == nil { spelled.unicodeScalars.append(word[i]) }
                let bytes = Array(spelled.utf8).map { vocabulary[BPEModel.byteToken($0)] }
                if bytes.allSatisfy({ $0 != nil }) {
                    if let u = pendingUnknown { symbols.append(u); pendingUnknown = nil }
                    for id in bytes { symbols.append(ModelToken(id: id!, start: at, end: at + 1)) }
                    continue
                }
            }
            guard let unk = unknown else { continue }
            if var u = pendingUnknown, fuseUnknown {
                u.end = at + 1
                pendingUnknown = u
            } else {
                if let u = pendingUnknown { symbols.append(u) }
                pendingUnknown = ModelToken(id: unk, start: at, end: at + 1)
            }
        }
        if let u = pendingUnknown { symbols.append(u) }
        return symbols
    }

    /// `<0xE2>`: the byte-fallback token of a byte.
    static func byteToken(_ b: UInt8) -> String {
        let hex = String(b, radix: 16, uppercase: true)
        return "<0x" + (hex.count == 1 ? "0" + hex : hex) + ">"
    }

    /// Applies the merges, lowest rank first, leftmost first among equal ranks.
    private func merge(_ initial: [ModelToken]) -> [ModelToken] {
        var symbols = initial
        let n = symbols.count
        guard n > 1 else { return symbols }
        var prev = (0..<n).map { $0 - 1 }, next = (0..<n).map { $0 + 1 }
        var alive = [Bool](repeating: true, count: n)
        var queue = MinHeap()
        func pair(_ a: Int32, _ b: Int32) -> UInt64? { merges[UInt64(UInt32(a)) << 32 | UInt64(UInt32(b))] }
        for i in 0..<n - 1 {
            if let m = pair(symbols[i].id, symbols[i + 1].id) { queue.push((m & 0xFFFF_FFFF_0000_0000) | UInt64(i)) }
        }
        while let top = queue.pop() {
            let rank = top >> 32, i = Int(top & 0xFFFF_FFFF)
            guard alive[i], next[i] < n else { continue }
            let j = next[i]
            guard let m = pair(symbols[i].id, symbols[j].id), m >> 32 == rank else { continue }
            symbols[i].id = Int32(truncatingIfNeeded: m & 0xFFFF_FFFF)
            symbols[i].end = symbols[j].end
            alive[j] = false
            next[i] = next[j]
            if next[j] < n { prev[next[j]] = i }
            if prev[i] >= 0, let m = pair(symbols[prev[i]].id, symbols[i].id) { queue.push((m & 0xFFFF_FFFF_0000_0000) | UInt64(prev[i])) }
            if next[i] < n, let m = pair(symbols[i].id, symbols[next[i]].id) { queue.push((m & 0xFFFF_FFFF_0000_0000) | UInt64(i)) }
        }
        var out: [ModelToken] = []
        var i = 0
        while i < n { out.append(symbols[i]); i = next[i] }
        return out
    }
}

/// A binary min-heap of packed `rank << 32 | position` keys.
struct MinHeap {
    private var items: [UInt64] = []

    mutating func push(_ x: UInt64) {
        items.append(x)
        var i = items.count - 1
        while i > 0 {
            let p = (i - 1) / 2
            if items[p] <= items[i] { break }
            items.swapAt(p, i)
            i = p
        }
    }

    mutating func pop() -> UInt64? {
        guard let top = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < items.count && items[l] < items[m] { m = l }
                if r < items.count && items[r] < items[m] { m = r }
                if m == i { break }
                items.swapAt(i, m)
                i = m
            }
        }
        return top
    }
}
