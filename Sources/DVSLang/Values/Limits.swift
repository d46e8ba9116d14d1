import DVSMemory

/// Sizes the language refuses to build, so that a typo such as `[0] * 2**40`
/// is an error instead of an allocation the process cannot survive.
public enum Limits {
    /// The most items a list (or a string repetition) may hold: 100 million,
    /// about 1.6 GB of values.
    public static let maxListItems = 100_000_000

    /// The most values one walk over nested data (save, parameters…) visits,
    /// and the most values printing shows before it writes `…`.
    public static let maxWalkVisits = 1_000_000

    /// The most UTF-8 bytes a string built by repetition may hold (1 GiB).
    public static let maxStringBytes = 1 << 30

    /// Throws unless a list of `count` items may be built; `what` names it.
    /// A list within the limit is also probed: under a process memory limit a
    /// hundred million values may not fit, and Swift would abort.
    public static func checkListSize(_ count: Int, _ what: @autoclosure () -> String) throws(NativeError) {
        guard count <= maxListItems else {
            throw NativeError(
                "\(what()) would hold \(count == Int.max ? "too many" : grouped(count)) items: too many for a list (at most \(grouped(maxListItems)))")
        }
        do throws(OutOfMemory) {
            try ensureAllocatable(bytes: count * MemoryLayout<Value>.stride * 2, for: "\(what()) (\(grouped(count)) items)")
        } catch {
            throw NativeError(error.message)
        }
    }

    /// Before one more item is appended to `list`: the list limit, and, when
    /// the buffer is full and large, a probe for the doubled buffer Swift will
    /// allocate (a list grown by `push` in a loop).
    public static func checkGrowth(of list: ListObject, _ what: @autoclosure () -> String) throws(NativeError) {
        let count = list.items.count, capacity = list.items.capacity
        guard count < maxListItems else {
            throw NativeError("\(what()) of \(grouped(count)) items: a list holds at most \(grouped(maxListItems))")
        }
        guard count == capacity else { return }
        do throws(OutOfMemory) {
            try ensureAllocatable(bytes: 2 * Swift.max(capacity, 1) * MemoryLayout<Value>.stride, for: "\(what()) of \(grouped(count)) items")
        } catch {
            throw NativeError(error.message)
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
