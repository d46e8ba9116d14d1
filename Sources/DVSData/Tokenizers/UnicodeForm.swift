import Foundation

/// A Unicode normalization form (Foundation's mappings, ICU underneath).
enum UnicodeForm: String {
    case nfc = "NFC", nfd = "NFD", nfkc = "NFKC", nfkd = "NFKD"

    func apply(_ s: String) -> String {
        switch self {
        case .nfc: return s.precomposedStringWithCanonicalMapping
        case .nfd: return s.decomposedStringWithCanonicalMapping
        case .nfkc: return s.precomposedStringWithCompatibilityMapping
        case .nfkd: return s.decomposedStringWithCompatibilityMapping
        }
    }

    /// Scalars below this value are left unchanged by the form (no
    /// decomposition, and nothing they could compose with).
    var stableBelow: UInt32 {
        switch self {
        case .nfc: return 0x300
        case .nfd: return 0xC0
        case .nfkc, .nfkd: return 0xA0
        }
    }
}

extension AlignedText {
    /// Normalizes to `form`. Alignment, per grapheme cluster that the form
    /// changes (m scalars → k): when k ≥ m the first m outputs replace the
    /// inputs one for one and the rest are insertions; when k < m the first
    /// output replaces the first m − k + 1 inputs (so a composed character
    /// points at its base character) and the rest one for one.
    mutating func normalize(_ form: UnicodeForm) {
        let limit = form.stableBelow
        guard scalars.contains(where: { $0.value >= limit }) else { return }
        let text = String(scalars: scalars)
        let whole = form.apply(text)
        if whole.unicodeScalars.elementsEqual(scalars) { return }
        var outputs: [(Unicode.Scalar, Int)] = []
        outputs.reserveCapacity(scalars.count + 8)
        for cluster in text {
            let original = cluster.unicodeScalars
            let m = original.count
            let normalized = original.allSatisfy({ $0.value < limit }) ? Array(original) : Array(form.apply(String(cluster)).unicodeScalars)
            let k = normalized.count
            for (j, s) in normalized.enumerated() {
                if k >= m { outputs.append((s, j < m ? 0 : 1)) } else { outputs.append((s, j == 0 ? k - m : 0)) }
            }
        }
        transform(outputs)
    }
}
