/// Frees nested lists and records without deep recursion: a list nested 30
/// million levels deep (`x = [x]` in a loop) would otherwise free itself one
/// `deinit` inside the next until the stack overflows.
///
/// Every container hands its items to one worklist. The first `release` in
/// progress drains it, freeing one item array at a time; a `deinit` that runs
/// meanwhile only adds its items and returns, so the stack stays two levels
/// deep however deep the data. Values live on the interpreter's one thread, so
/// the bookkeeping needs no lock.
///
/// Nothing here depends on when Swift releases a value. An earlier version
/// counted nesting depth and deferred past 100, but the optimizer may release
/// an array before the statement that precedes it in the source (Swift does not
/// order `deinit`s), and in release builds it released the items before the
/// depth was raised: the count never rose, and 6 million nested records
/// overflowed the 1 GiB stack. The state sits behind a pointer so that stores to
/// it stay ordered with the runtime calls that free arrays.
enum Teardown {
    private struct State {
        var draining = false
        var pending: [[Value]] = []
    }

    private static let state: UnsafeMutablePointer<State> = {
        let p = UnsafeMutablePointer<State>.allocate(capacity: 1)
        p.initialize(to: State())
        return p
    }()

    /// Empties `items`, freeing what only it held.
    static func release(_ items: inout [Value]) {
        if items.isEmpty { return }
        let s = state
        s.pointee.pending.append(items)  // the worklist now holds the items
        items = []
        if s.pointee.draining { return }
        s.pointee.draining = true
        while var next = s.pointee.pending.popLast() {
            next.removeAll()  // frees what only `next` held; their deinits add to `pending`
        }
        s.pointee.draining = false
    }
}
