import Foundation

/// Runs `body` on a thread with a large stack and waits for it. The evaluator
/// recurses on the Swift stack, so DVS code runs here: the documented call
/// depth limit (`Interpreter.maxCallDepth`) is then reached long before the
/// native stack could overflow.
public func runOnLargeStack<T>(_ body: @escaping () -> T) -> T {
    let box = LargeStackBox(body)
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
        box.value = box.body()
        done.signal()
    }
    thread.stackSize = 1 << 30
    thread.start()
    done.wait()
    return box.value!
}

private final class LargeStackBox<T>: @unchecked Sendable {
    var value: T?
    let body: () -> T
    init(_ body: @escaping () -> T) { self.body = body }
}
