/// Sizes the language refuses to build, so that a typo such as `[0] * 2**40`
/// is an error instead of an allocation the process cannot survive.
public enum Limits {
    /// The most items a list (or a string repetition) may hold: 100 million,
    /// about 1.6 GB of values.
    public static let maxListItems = 100_000_000

    /// The most UTF-8 bytes a string built by repetition may hold (1 GiB).
    public static let maxStringBytes = 1 << 30

    /// Throws unless a list of `count` items may be built; `what` names it.
    public static func checkListSize(_ count: Int, _ what: @autoclosure () -> String) throws(NativeError) {
        guard count <= maxListItems else {
            throw NativeError("\(what()) would hold \(grouped(count)) items: too many for a list (at most \(grouped(maxListItems)))")
        }
    }

    /// `100,000,000`: limits read better with thousands separators.
    public static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out += "," }
            out.append(c)
        }
        return n < 0 ? "-" + out : out
    }
}
