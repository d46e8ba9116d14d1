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
        if t.count == 0 { return "[]" }  // NumPy prints every empty array so; the header shows the shape
        let summarize = t.count > summarizeAbove
        // The row-major positions shown along each dimension (nil: the `…`).
        func shown(_ n: Int) -> [Int?] {
            summarize && n > 2 * edgeItems ? Array(0..<edgeItems) + [nil] + Array((n - edgeItems)..<n) : Array(0..<n)
        }
        // Only shown elements are read (in place), and they alone decide the format.
        var sample: [Float] = []
        func collect(_ dim: Int, _ base: Int) {
            let stride = t.shape[(dim + 1)...].reduce(1, *)
            for case let i? in shown(t.shape[dim]) {
                if dim == t.rank - 1 { sample.append(t.element(at: base + i)) } else { collect(dim + 1, base + i * stride) }
            }
        }
        if t.rank == 0 { sample = [t.element(at: 0)] } else { collect(0, 0) }
        let finite = sample.filter(\.isFinite)
        let whole = t.dtype == .int64 || finite.allSatisfy { $0 == $0.rounded() && Swift.abs($0) < 1e7 }
        let largest = finite.map { Swift.abs($0) }.max() ?? 0
        let smallest = finite.filter { $0 != 0 }.map { Swift.abs($0) }.min() ?? 1
        let scientific = !whole && (largest >= 1e6 || smallest < 1e-4)
        func format(_ x: Float) -> String {
            if x.isNaN { return "nan" }
            if x.isInfinite { return x > 0 ? "inf" : "-inf" }
            if whole { return Swift.abs(x) < 1e18 ? String(Int(x)) : String(format: "%.0f", x) }
            return scientific ? String(format: "%.4e", x) : String(format: "%.4f", x)
        }
        let width = sample.map { format($0).count }.max() ?? 1
        func cell(_ x: Float) -> String {
            let s = format(x)
            return String(repeating: " ", count: Swift.max(0, width - s.count)) + s
        }
        if t.rank == 0 { return format(sample[0]) }
        var out = ""
        var next = 0  // the next element of `sample`, in the order they are printed
        func emit(_ dim: Int, _ indent: Int) {
            out += "["
            for (position, index) in shown(t.shape[dim]).enumerated() {
                if position > 0 {
                    if dim == t.rank - 1 {
                        out += ", "
                    } else {
                        out += "," + String(repeating: "\n", count: t.rank - 1 - dim) + String(repeating: " ", count: indent + 1)
                    }
                }
                if index == nil {
                    out += "…"
                } else if dim == t.rank - 1 {
                    out += cell(sample[next])
                    next += 1
                } else {
                    emit(dim + 1, indent + 1)
                }
            }
            out += "]"
        }
        emit(0, 0)
        return out
    }

    /// `Tensor[32, 48, 512] f32`, with autograd state.
    static func header(_ t: Tensor) -> String {
        var s = "Tensor[\(t.shape.map(String.init).joined(separator: ", "))] \(t.dtype.rawValue)"
        if let fn = t.gradFn { s += " grad_fn=\(fn.op)" } else if t.requiresGrad { s += " requires_grad" }
        if let name = t.name { s += " '\(name)'" }
        return s
    }
}
