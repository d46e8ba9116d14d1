import DVSFiles
import DVSTensor

/// An error from images, PNG files, fonts and text, OCR, patch grids or
/// labels: a message that names the operation and what was expected
/// (`crop: region x=15 y=0 w=10 h=10 is outside the 20×10 image`).
public struct VisionError: Error, CustomStringConvertible {
    public let message: String
    /// True for `VisionError.interrupted` (Ctrl-C reached long work: OCR, a
    /// big resize); the runtime reports it as the interpreter's interrupt.
    public let isInterruption: Bool

    public init(_ message: String) {
        self.message = message
        self.isInterruption = false
    }

    /// A tensor error met inside vision work (an allocation, a cancelled
    /// loop), with its message and interruption kept.
    public init(_ error: TensorError) {
        self.message = error.message
        self.isInterruption = error.isInterruption
    }

    /// A file error, after `context` when given (`save PNG: cannot write 'p': …`).
    public init(_ error: FileError, context: String? = nil) {
        self.init(context.map { "\($0): \(error.message)" } ?? error.message)
    }

    private init(interruption message: String) {
        self.message = message
        self.isInterruption = true
    }

    /// Long work stopped because `Cancellation` asked it to.
    public static let interrupted = VisionError(interruption: "interrupted")

    public var description: String { message }
}

/// Runs tensor work inside vision code, reporting its errors as `VisionError`s.
public func tensorWork<T>(_ body: () throws(TensorError) -> T) throws(VisionError) -> T {
    do {
        return try body()
    } catch {
        throw VisionError(error)
    }
}

/// Runs file reading or writing, reporting its errors as `VisionError`s.
public func visionFileIO<T>(_ context: String? = nil, _ body: () throws(FileError) -> T) throws(VisionError) -> T {
    do {
        return try body()
    } catch {
        throw VisionError(error, context: context)
    }
}
