import DVSMemory

/// `DVSMemory`'s probe with tensor errors, for the layers above (images, PNG
/// decoding, tensor conversions): throws `out of memory: … needs 8.0 GiB …`.
public func ensureAllocatable(bytes: Int, for what: @autoclosure () -> String) throws(TensorError) {
    do throws(OutOfMemory) {
        try DVSMemory.ensureAllocatable(bytes: bytes, for: what())
    } catch {
        throw TensorError(error.message)
    }
}
