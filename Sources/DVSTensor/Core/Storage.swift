import DVSMemory
#if canImport(Glibc)
import Glibc
#endif
#if os(Linux)
/// glibc's `mallopt` (declared in malloc.h, which the Glibc module does not export).
@_silgen_name("mallopt") private func mallopt(_ parameter: Int32, _ value: Int32) -> Int32
private let M_TRIM_THRESHOLD: Int32 = -1
private let M_MMAP_THRESHOLD: Int32 = -3
#endif

/// A flat Float32 buffer shared by a tensor and its views.
public final class TensorStorage {
    public let pointer: UnsafeMutablePointer<Float>
    public let count: Int
    /// Counts in-place changes (optimizer steps, initializers, assignments), so
    /// autograd can tell that a tensor it saved for backward has changed since.
    public private(set) var version = 0

    /// Records an in-place change of the elements.
    public func markModified() { version &+= 1 }

    /// Keeps freed tensor memory in the process: glibc would otherwise map and
    /// unmap large buffers on every allocation, and page faults then cost as
    /// much as the kernels (a training step allocates the same sizes each time).
    private static let allocatorConfigured: Bool = {
        #if os(Linux)
        _ = mallopt(M_MMAP_THRESHOLD, 1 << 30)
        _ = mallopt(M_TRIM_THRESHOLD, Int32.max)
        #endif
        return true
    }()

    /// A zero-filled buffer of `count` floats.
    public convenience init(count: Int) throws(TensorError) {
        try self.init(uninitializedCount: count)
        pointer.initialize(repeating: 0, count: Swift.max(count, 1))
    }

    /// A buffer left uninitialized, for kernels that write every element.
    /// Throws instead of aborting when the memory is not there (a process
    /// limit, or a size no machine has).
    init(uninitializedCount count: Int) throws(TensorError) {
        _ = TensorStorage.allocatorConfigured
        self.count = count
        do throws(OutOfMemory) {
            pointer = try allocateChecked(Float.self, count: Swift.max(count, 1), for: "a tensor of \(count) elements")
        } catch {
            throw TensorError(error.message)
        }
    }

    /// A one-element buffer (scalars are too small to fail).
    init(scalar: Float) {
        _ = TensorStorage.allocatorConfigured
        count = 1
        pointer = UnsafeMutablePointer<Float>(OpaquePointer(malloc(MemoryLayout<Float>.stride)!))
        pointer.initialize(to: scalar)
    }

    deinit { free(pointer) }
}
