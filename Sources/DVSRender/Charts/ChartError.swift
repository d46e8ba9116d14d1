import DVSFiles

/// An error from checking, rendering or writing a chart: a message naming
/// what is wrong and what was expected
/// (`chart: series #1 has 2 x values but 1 y values`).
public struct ChartError: Error, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    /// A file error while writing the chart.
    public init(_ error: FileError) { self.message = "chart: \(error.message)" }

    /// Charts have no long work to interrupt.
    public var isInterruption: Bool { false }

    public var description: String { message }
}
