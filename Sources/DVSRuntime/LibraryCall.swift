import DVSLang
import DVSRender
import DVSTensor
import DVSVision

/// An error of a library the runtime binds into the language (tensors,
/// vision, charts): a message, and whether it was an interrupt.
protocol LibraryError: Error {
    var message: String { get }
    var isInterruption: Bool { get }
}

extension TensorError: LibraryError {}
extension VisionError: LibraryError {}
extension ChartError: LibraryError {}

/// Runs library work for a native, turning the library's error into a DVS
/// error (an interrupted operation into the interpreter's interrupt).
func libraryCall<T, E: LibraryError>(_ body: () throws(E) -> T) throws(NativeError) -> T {
    do {
        return try body()
    } catch {
        throw error.isInterruption ? .interrupted : NativeError(error.message)
    }
}
