import DVSHeap

#if canImport(Glibc)
import Glibc
#endif

/// Large allocations that fail with an error instead of aborting the process.
/// Swift's own allocator traps when `malloc` returns nil, so buffers whose size
/// comes from user input (tensors, images, lists) are either allocated here or
/// probed here first. Every layer that builds such buffers uses this target.

/// The memory for `what` is not available (a process limit, or a size no machine has).
public struct OutOfMemory: Error, CustomStringConvertible {
    public let message: String
    init(bytes: Int, for what: String) {
        message = "out of memory: \(what) needs \(byteText(bytes)), and the allocation failed"
    }
    init(message: String) { self.message = message }
    public var description: String { message }
}

/// Allocates `count` elements of `T` with `malloc`, or throws when the memory is
/// not available. Free the result with `free`.
public func allocateChecked<T>(_ type: T.Type, count: Int, for what: @autoclosure () -> String) throws(OutOfMemory) -> UnsafeMutablePointer<T> {
    let (bytes, overflow) = count.multipliedReportingOverflow(by: MemoryLayout<T>.stride)
    guard !overflow, let raw = malloc(bytes) else {
        throw OutOfMemory(bytes: overflow ? Int.max : bytes, for: what())
    }
    return raw.bindMemory(to: T.self, capacity: count)
}

/// Checks that `bytes` can be allocated before Swift code allocates them
/// (`[Float]` images, lists of values): large requests are mapped and unmapped
/// at once, so a process memory limit (or a size beyond what the system will
/// commit) gives an error. `mmap`, not `malloc`: the optimizer may remove a
/// `malloc` whose memory is never used, and the probe with it.
public func ensureAllocatable(bytes: Int, for what: @autoclosure () -> String) throws(OutOfMemory) {
    guard bytes >= 0 else { throw OutOfMemory(bytes: Int.max, for: what()) }
    guard bytes >= 1 << 26 else { return }  // below 64 MiB: not worth a probe
    let probe = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
    guard let probe, probe != MAP_FAILED else { throw OutOfMemory(bytes: bytes, for: what()) }
    munmap(probe, bytes)
}

/// `8.0 GiB`, `512 MiB`, `300 bytes`.
public func byteText(_ bytes: Int) -> String {
    if bytes == Int.max { return "more bytes than the address space holds" }
    let units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
    var value = Double(bytes), unit = 0
    while value >= 1024, unit < units.count - 1 { value /= 1024; unit += 1 }
    if unit == 0 { return "\(bytes) bytes" }
    if value >= 10 { return "\(Int(value.rounded())) \(units[unit])" }
    let tenths = Int((value * 10).rounded())
    return "\(tenths / 10).\(tenths % 10) \(units[unit])"
}

/// The process's address space against its limit (`RLIMIT_AS`, as set by
/// `ulimit -v` or `prlimit --as`): code that grows data one small value at a
/// time (`x = [x]` in a loop) asks now and then, and stops with an error while
/// `headroom` is left, before Swift's allocator would abort. Without a limit,
/// running out of memory is the operating system's to handle.
public enum AddressSpace {
    /// What must stay free for the work between two checks.
    public static let headroom = 256 << 20

    public static func check() throws(OutOfMemory) {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max,  // RLIM_INFINITY
            let used = usedBytes()
        else { return }
        let cap = Int(clamping: limit.rlim_cur)
        if used > cap - headroom {
            throw OutOfMemory(message: "out of memory: the program's data uses \(byteText(used)) of the process's \(byteText(cap)) limit")
        }
    }

    /// The process's size (VmSize) from /proc/self/statm, nil where unavailable.
    static func usedBytes() -> Int? {
        let fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 64)
        let n = read(fd, &buffer, buffer.count)
        guard n > 0, let pages = Int(String(decoding: buffer[..<n].prefix { $0 != 32 }, as: UTF8.self)) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}

/// Whether malloc was tuned for tensor buffers when the program loaded
/// (DVSHeap: blocks up to 32 MiB kept in the heap, freed heap tops up to
/// 1 GiB kept mapped). Referencing it also links that tuning in.
public var heapTunedForTensors: Bool { dvs_heap_policy_applied() != 0 }
