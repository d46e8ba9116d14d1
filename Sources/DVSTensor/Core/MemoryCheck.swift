#if canImport(Glibc)
import Glibc
#endif

/// Large allocations that fail with an error instead of aborting the process.
/// Swift's own allocator traps when `malloc` returns nil, so buffers whose size
/// comes from user input (tensors, images, lists) are either allocated here or
/// probed here first.

/// Allocates `count` elements of `T` with `malloc`, or throws when the memory is
/// not available. Free the result with `free`.
func allocateChecked<T>(_ type: T.Type, count: Int, for what: @autoclosure () -> String) throws(TensorError) -> UnsafeMutablePointer<T> {
    let (bytes, overflow) = count.multipliedReportingOverflow(by: MemoryLayout<T>.stride)
    guard !overflow, let raw = malloc(bytes) else {
        throw outOfMemory(bytes: overflow ? Int.max : bytes, for: what())
    }
    return raw.bindMemory(to: T.self, capacity: count)
}

/// Checks that `bytes` can be allocated before Swift code allocates them
/// (for `[Float]` images and value lists): large requests are tried with
/// `malloc` and released at once, so a process memory limit gives an error.
public func ensureAllocatable(bytes: Int, for what: @autoclosure () -> String) throws(TensorError) {
    guard bytes >= 0 else { throw outOfMemory(bytes: Int.max, for: what()) }
    guard bytes >= 1 << 26 else { return }  // below 64 MiB: not worth a probe
    guard let probe = malloc(bytes) else { throw outOfMemory(bytes: bytes, for: what()) }
    free(probe)
}

private func outOfMemory(bytes: Int, for what: String) -> TensorError {
    TensorError("out of memory: \(what) needs \(byteText(bytes)), and the allocation failed")
}

/// `8.0 GiB`, `512 MiB`, `300 bytes`.
func byteText(_ bytes: Int) -> String {
    if bytes == Int.max { return "more bytes than the address space holds" }
    let units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
    var value = Double(bytes), unit = 0
    while value >= 1024, unit < units.count - 1 { value /= 1024; unit += 1 }
    return unit == 0 ? "\(bytes) bytes" : (value < 10 ? String(format1: value) : "\(Int(value.rounded()))") + " " + units[unit]
}

private extension String {
    /// One decimal, without Foundation.
    init(format1 value: Double) {
        let tenths = Int((value * 10).rounded())
        self = "\(tenths / 10).\(tenths % 10)"
    }
}
