/// A `Split` (or `Replace`) pattern from `tokenizer.json`: a literal string or
/// a regular expression, matched on Unicode scalars as `tokenizers` matches on
/// characters. Regexes run on Swift's `Regex` with Unicode-scalar semantics;
/// the GPT-2, Qwen2 and Llama-3/cl100k pre-tokenizer regexes, recognized by
/// their exact text, run on a hand-written matcher instead (`KnownPattern`,
/// the same matches — checked against `Regex` in the unit tests and against
/// `tokenizers` in the parity test — several times faster).
struct SplitPattern: @unchecked Sendable {  // Regex is immutable once compiled
    /// The pattern as written, for messages.
    let source: String
    private let matcher: Matcher

    private enum Matcher {
        case literal([Unicode.Scalar])
        case known(KnownPattern)
        case regex(Regex<AnyRegexOutput>)
    }

    init(literal: String) {
        source = literal
        matcher = .literal(Array(literal.unicodeScalars))
    }

    /// A regex; `useKnown: false` forces Swift's `Regex` (for tests).
    init(regex: String, useKnown: Bool = true) throws(TokenizerError) {
        source = regex
        if useKnown, let known = KnownPattern(regex) {
            matcher = .known(known)
            return
        }
        do {
            matcher = .regex(try Regex(regex).matchingSemantics(.unicodeScalar))
        } catch {
            throw TokenizerError("the regular expression \(regex) does not compile: \(error)")
        }
    }

    /// The non-overlapping matches in `scalars`, leftmost first, as index ranges
    /// (empty matches included, as `find_iter` gives them).
    func matches(in scalars: [Unicode.Scalar]) -> [Range<Int>] {
        switch matcher {
        case .known(let known): return known.matches(in: scalars)
        case .literal(let needle):
            guard !needle.isEmpty, needle.count <= scalars.count else { return [] }
            var out: [Range<Int>] = []
            var i = 0
            while i + needle.count <= scalars.count {
                if scalars[i] == needle[0], scalars[i..<i + needle.count].elementsEqual(needle) {
                    out.append(i..<i + needle.count)
                    i += needle.count
                } else {
                    i += 1
                }
            }
            return out
        case .regex(let regex):
            let text = String(scalars: scalars)
            var out: [Range<Int>] = []
            var index = text.unicodeScalars.startIndex, offset = 0
            for m in text.matches(of: regex) {
                offset += text.unicodeScalars.distance(from: index, to: m.range.lowerBound)
                let length = text.unicodeScalars.distance(from: m.range.lowerBound, to: m.range.upperBound)
                out.append(offset..<offset + length)
                index = m.range.upperBound
                offset += length
            }
            return out
        }
    }
}
