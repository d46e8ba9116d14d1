/// A tokenizer error: a plain message naming the file or component and what
/// was expected (the runtime turns it into a DVS error).
public struct TokenizerError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
