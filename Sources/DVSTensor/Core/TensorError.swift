import DVSFiles

/// An error from a tensor operation: a message that names the op and, for
/// shape problems, both shapes (`matmul: [32,128] @ [64,512]: inner dimensions 128 and 64 differ`).
public struct TensorError: Error, CustomStringConvertible {
    public let message: String
    /// True for `TensorError.interrupted`: the work was cancelled (Ctrl-C),
    /// not wrong; the runtime reports it as the interpreter's interrupt.
    public let isInterruption: Bool

    public init(_ message: String) {
        self.message = message
        self.isInterruption = false
    }

    private init(interruption message: String) {
        self.message = message
        self.isInterruption = true
    }

    /// Long work stopped because `Cancellation` asked it to (see there).
    public static let interrupted = TensorError(interruption: "interrupted")

    public var description: String { message }
}

/// `[32,128]`
public func shapeText(_ shape: [Int]) -> String { "[" + shape.map(String.init).joined(separator: ",") + "]" }

extension TensorError {
    /// A file error, after `context` when given (`save PNG: cannot write 'p': …`).
    public init(_ error: FileError, context: String? = nil) {
        self.init(context.map { "\($0): \(error.message)" } ?? error.message)
    }
}

/// Runs file reading or writing, reporting its errors as `TensorError`s.
public func fileIO<T>(_ context: String? = nil, _ body: () throws(FileError) -> T) throws(TensorError) -> T {
    do {
        return try body()
    } catch {
        throw TensorError(error, context: context)
    }
}
