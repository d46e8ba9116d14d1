import DVSMemory

#if canImport(Glibc)
import Glibc
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

    /// Whether malloc keeps tensor-sized blocks for reuse (DVSHeap, set when
    /// the program loads); reading it links that tuning into every program
    /// that makes tensors.
    static let heapTuned = heapTunedForTensors

    /// A zero-filled buffer of `count` floats.
    public convenience init(count: Int) throws(TensorError) {
        try self.init(uninitializedCount: count)
        pointer.initialize(repeating: 0, count: Swift.max(count, 1))
    }

    /// A buffer left uninitialized, for kernels that write every element.
    /// Throws instead of aborting when the memory is not there (a process
    /// limit, or a size no machine has).
    init(uninitializedCount count: Int) throws(TensorError) {
        _ = TensorStorage.heapTuned
        self.count = count
        do throws(OutOfMemory) {
            pointer = try allocateChecked(Float.self, count: Swift.max(count, 1), for: "a tensor of \(count) elements")
        } catch {
            throw TensorError(error.message)
        }
    }

    /// A one-element buffer (scalars are too small to fail).
    init(scalar: Float) {
        count = 1
        pointer = UnsafeMutablePointer<Float>(OpaquePointer(malloc(MemoryLayout<Float>.stride)!))
        pointer.initialize(to: scalar)
    }

    deinit { free(pointer) }
}
