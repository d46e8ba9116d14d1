import Synchronization

/// Ctrl-C support. A signal handler calls `Interrupt.request()`; running DVS
/// code notices at the next loop iteration or call and stops with an
/// "interrupted" diagnostic, leaving the session intact.
public enum Interrupt {
    private static let flag = Atomic<Bool>(false)

    /// Safe to call from a signal handler once `clear()` has run once
    /// (the first touch initializes the flag, which is not signal-safe).
    public static func request() { flag.store(true, ordering: .relaxed) }
    public static func clear() { flag.store(false, ordering: .relaxed) }
    public static var isRequested: Bool { flag.load(ordering: .relaxed) }
}
