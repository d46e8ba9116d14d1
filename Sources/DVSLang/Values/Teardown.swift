/// Frees nested lists and records without deep recursion: a list nested 30
/// million levels deep (`x = [x]` in a loop) would otherwise free itself one
/// `deinit` inside the next until the stack overflows. Past a depth of 100,
/// a container's items are handed to the outermost `deinit` in progress, which
/// frees them in a loop. Values live on the interpreter's one thread, so the
/// bookkeeping is plain globals.
enum Teardown {
    nonisolated(unsafe) private static var depth = 0
    nonisolated(unsafe) private static var deferred: [[Value]] = []

    /// Empties `items`, freeing what only it held.
    static func release(_ items: inout [Value]) {
        if items.isEmpty { return }
        if depth >= 100 {
            deferred.append(items)
            items = []
            return
        }
        depth += 1
        items = []
        if depth == 1 {
            while !deferred.isEmpty { _ = deferred.removeLast() }
        }
        depth -= 1
    }
}
