/// An error from a tensor operation: a message that names the op and, for
/// shape problems, both shapes (`matmul: [32,128] @ [64,512]: inner dimensions 128 and 64 differ`).
public struct TensorError: Error, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// `[32,128]`
public func shapeText(_ shape: [Int]) -> String { "[" + shape.map(String.init).joined(separator: ",") + "]" }
