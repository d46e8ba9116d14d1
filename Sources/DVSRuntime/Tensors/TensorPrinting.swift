import DVSTensor
import Foundation

/// NumPy-style text for tensors: every element when small, the first and last
/// three along each dimension (with `…`) when large; whole-number data without
/// decimals, other data with four decimals (or exponents for extreme values),
/// right-aligned in columns.
enum TensorPrinting {
    static let summarizeAbove = 1000
    static let edgeItems = 3

    static func text(_ t: Tensor) -> String {
        let values = t.toArray()
        let summarize = t.count > summarizeAbove
        let finite = values.filter(\.isFinite)
        let whole = t.dtype == .int64 || finite.allSatisfy { $0 == $0.rounded() && Swift.abs($0) < 1e7 }
        let largest = finite.map { Swift.abs($0) }.max() ?? 0
        let smallest = finite.filter { $0 != 0 }.map { Swift.abs($0) }.min() ?? 1
        let scientific = !whole && (largest >= 1e6 || smallest < 1e-4)
        func format(_ x: Float) -> String {
            if x.isNaN { return "nan" }
            if x.isInfinite { return x > 0 ? "inf" : "-inf" }
            if whole { return String(Int(x)) }
            return scientific ? String(format: "%.4e", x) : String(format: "%.4f", x)
        }
        let width = (summarize ? sampleForWidth(values) : values).map { format($0).count }.max() ?? 1
        func cell(_ x: Float) -> String {
            let s = format(x)
            return String(repeating: " ", count: Swift.max(0, width - s.count)) + s
        }
        if t.rank == 0 { return format(values.first ?? 0) }
        var out = ""
        func emit(_ dim: Int, _ base: Int, _ indent: Int) {
            let n = t.shape[dim]
            let stride = t.shape[(dim + 1)...].reduce(1, *)
            let indices: [Int?] = summarize && n > 2 * edgeItems
                ? Array(0..<edgeItems) + [nil] + Array((n - edgeItems)..<n)
                : Array(0..<n)
            out += "["
            for (position, index) in indices.enumerated() {
                if position > 0 {
                    if dim == t.rank - 1 {
                        out += ", "
                    } else {
                        out += "," + String(repeating: "\n", count: t.rank - 1 - dim) + String(repeating: " ", count: indent + 1)
                    }
                }
                guard let i = index else {
                    out += "…"
                    continue
                }
                if dim == t.rank - 1 {
                    out += cell(values[base + i])
                } else {
                    emit(dim + 1, base + i * stride, indent + 1)
                }
            }
            out += "]"
        }
        emit(0, 0, 0)
        return out
    }

    private static func sampleForWidth(_ values: [Float]) -> [Float] {
        Array(values.prefix(200)) + Array(values.suffix(200))
    }

    /// `Tensor[32, 48, 512] f32`, with autograd state.
    static func header(_ t: Tensor) -> String {
        var s = "Tensor[\(t.shape.map(String.init).joined(separator: ", "))] \(t.dtype.rawValue)"
        if let fn = t.gradFn { s += " grad_fn=\(fn.op)" } else if t.requiresGrad { s += " requires_grad" }
        if let name = t.name { s += " '\(name)'" }
        return s
    }
}
