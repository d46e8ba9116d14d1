import Synchronization

/// Cooperative cancellation of long native work: large matrix products, big
/// elementwise loops, random fills, OCR.
///
/// DVSTensor and DVSVision cannot see the interpreter's Ctrl-C flag (layers,
/// docs/DESIGN.md §2), so whoever owns the signal installs one question here,
/// once (`DVSRuntime` installs `{ Interrupt.isRequested }`). Long loops work in
/// chunks and call `check()` between them; when the answer is yes they throw
/// `TensorError.interrupted` and drop what they computed. Nothing that is
/// already visible is changed first: only work that writes fresh results
/// checks (in-place updates such as optimizer steps run to the end).
public enum Cancellation {
    private static let source = Mutex<(@Sendable () -> Bool)?>(nil)

    /// Sets the question long work asks between chunks (`nil`: never cancel).
    public static func install(_ isRequested: (@Sendable () -> Bool)?) {
        source.withLock { $0 = isRequested }
    }

    /// Whether the installed question says to stop now.
    public static var isRequested: Bool {
        guard let ask = source.withLock({ $0 }) else { return false }
        return ask()
    }

    /// Throws `TensorError.interrupted` when cancellation was requested.
    @inline(__always)
    public static func check() throws(TensorError) {
        if isRequested { throw TensorError.interrupted }
    }

    /// Elements an elementwise loop handles between two checks (2²² ≈ 4·10⁶):
    /// 5–60 ms of work on one core, so a check costs nothing measurable and
    /// Ctrl-C is answered well within 0.5 s. Tests lower it.
    nonisolated(unsafe) public static var elementChunk = 1 << 22

    /// Runs `body` over `0..<count` in ranges of `elementChunk` elements,
    /// checking for cancellation before every range after the first (a
    /// count up to one chunk runs with no check at all).
    @inline(__always)
    public static func forEachChunk(_ count: Int, _ body: (Range<Int>) -> Void) throws(TensorError) {
        var start = 0
        while start < count {
            if start > 0 { try check() }
            let end = Swift.min(count, start + elementChunk)
            body(start..<end)
            start = end
        }
    }
}

/// Counts the work of one long operation done in uneven pieces (rows of a
/// strided walk, matrices of a batch) and checks for cancellation each time
/// another `interval` units have been done.
struct CancellationMeter {
    let interval: Int
    private var pending = 0

    init(interval: Int = Cancellation.elementChunk) { self.interval = interval }

    @inline(__always)
    mutating func add(_ work: Int) throws(TensorError) {
        pending += work
        if pending >= interval {
            pending = 0
            try Cancellation.check()
        }
    }
}
