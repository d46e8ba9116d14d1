/// Hand-written matchers for the pre-tokenizer regexes most byte-level BPE
/// models use, with the leftmost-first backtracking semantics of Oniguruma
/// (which `tokenizers` uses) spelled out per alternative:
///
/// - GPT-2: `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`
/// - Qwen2 (`\p{N}`) and Llama 3 / cl100k (`\p{N}{1,3}`):
///   `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`
///
/// `\s` is Unicode White_Space, `\p{L}` the letter categories, `\p{N}` the
/// number categories; `(?i:…)` also folds `ſ` (U+017F) to `s`, as Oniguruma does.
enum KnownPattern: Equatable {
    case gpt2
    /// Qwen2's (1) and Llama 3's (3) pattern: at most this many digits per match.
    case cl100k(maxDigits: Int)

    static let gpt2Source = #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#
    static let qwen2Source = #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
    static let llama3Source = #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#

    init?(_ source: String) {
        switch source {
        case KnownPattern.gpt2Source: self = .gpt2
        case KnownPattern.qwen2Source: self = .cl100k(maxDigits: 1)
        case KnownPattern.llama3Source: self = .cl100k(maxDigits: 3)
        default: return nil
        }
    }

    /// Scalar classes of the patterns (`\r`/`\n` apart from other whitespace).
    enum Kind: UInt8 { case letter, number, space, newline, other }

    private static let asciiKinds: [Kind] = (0..<128).map { v in
        let s = Unicode.Scalar(UInt8(v))
        if s == "\r" || s == "\n" { return .newline }
        if s.properties.isWhitespace { return .space }
        if (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) { return .letter }
        if v >= 0x30 && v <= 0x39 { return .number }
        return .other
    }

    static func kind(_ s: Unicode.Scalar) -> Kind {
        if s.value < 128 { return asciiKinds[Int(s.value)] }
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return .letter
        case .decimalNumber, .letterNumber, .otherNumber: return .number
        default: return s.properties.isWhitespace ? .space : .other
        }
    }

    func matches(in scalars: [Unicode.Scalar]) -> [Range<Int>] {
        let kinds = scalars.map(KnownPattern.kind)
        var out: [Range<Int>] = []
        out.reserveCapacity(scalars.count / 3 + 1)
        var i = 0
        while i < scalars.count {
            let end: Int
            switch self {
            case .gpt2: end = KnownPattern.gpt2Match(scalars, kinds, at: i)
            case .cl100k(let maxDigits): end = KnownPattern.cl100kMatch(scalars, kinds, at: i, maxDigits: maxDigits)
            }
            out.append(i..<end)
            i = end
        }
        return out
    }

    /// The length of the contraction (`s t re ve m ll d` after an apostrophe) at `i`, or 0.
    private static func contraction(_ s: [Unicode.Scalar], at i: Int, foldCase: Bool) -> Int {
        func letter(_ k: Int, _ c: Unicode.Scalar) -> Bool {
            guard k < s.count else { return false }
            let x = s[k]
            if x == c { return true }
            guard foldCase else { return false }
            return x.value == c.value - 32 || (c == "s" && x == "\u{17F}")
        }
        if letter(i, "s") || letter(i, "t") || letter(i, "m") || letter(i, "d") { return 1 }
        if letter(i, "r") && letter(i + 1, "e") { return 2 }
        if letter(i, "v") && letter(i + 1, "e") { return 2 }
        if letter(i, "l") && letter(i + 1, "l") { return 2 }
        return 0
    }

    private static func run(_ kinds: [Kind], from i: Int, while test: (Kind) -> Bool) -> Int {
        var j = i
        while j < kinds.count && test(kinds[j]) { j += 1 }
        return j
    }

    /// `\s+(?!\S)|\s+` over the whitespace run at `i`, given the run's end.
    private static func trailingSpaces(from i: Int, runEnd e: Int, count: Int) -> Int {
        e == count || e - i < 2 ? e : e - 1
    }

    private static func gpt2Match(_ s: [Unicode.Scalar], _ kinds: [Kind], at i: Int) -> Int {
        if s[i] == "'" {
            let n = contraction(s, at: i + 1, foldCase: false)
            if n > 0 { return i + 1 + n }
        }
        // ` ?\p{L}+`, ` ?\p{N}+`, ` ?[^\s\p{L}\p{N}]+`: an optional space, then a run of one kind.
        let start = s[i] == " " && i + 1 < s.count && kinds[i + 1] != .space && kinds[i + 1] != .newline ? i + 1 : i
        let k = kinds[start]
        if k == .letter || k == .number || k == .other { return run(kinds, from: start) { $0 == k } }
        let e = run(kinds, from: i) { $0 == .space || $0 == .newline }
        return trailingSpaces(from: i, runEnd: e, count: s.count)
    }

    private static func cl100kMatch(_ s: [Unicode.Scalar], _ kinds: [Kind], at i: Int, maxDigits: Int) -> Int {
        if s[i] == "'" {
            let n = contraction(s, at: i + 1, foldCase: true)
            if n > 0 { return i + 1 + n }
        }
        let k = kinds[i]
        // `[^\r\n\p{L}\p{N}]?\p{L}+`
        if k == .letter { return run(kinds, from: i) { $0 == .letter } }
        if k != .newline && k != .number && i + 1 < s.count && kinds[i + 1] == .letter {
            return run(kinds, from: i + 1) { $0 == .letter }
        }
        // `\p{N}{1,maxDigits}`
        if k == .number {
            var j = i + 1
            while j < s.count && j - i < maxDigits && kinds[j] == .number { j += 1 }
            return j
        }
        // ` ?[^\s\p{L}\p{N}]+[\r\n]*`
        let start = s[i] == " " && i + 1 < s.count && kinds[i + 1] == .other ? i + 1 : i
        if kinds[start] == .other {
            let e = run(kinds, from: start) { $0 == .other }
            return run(kinds, from: e) { $0 == .newline }
        }
        // `\s*[\r\n]+`: up to the run's last newline; then `\s+(?!\S)|\s+`.
        let e = run(kinds, from: i) { $0 == .space || $0 == .newline }
        if let last = (i..<e).last(where: { kinds[$0] == .newline }) { return last + 1 }
        return trailingSpaces(from: i, runEnd: e, count: s.count)
    }
}
