/// Shape arithmetic shared by the ops.
public enum Shape {
    /// The largest number of elements a tensor may have: 2^31 − 1 (8 GiB of
    /// floats), so every size, stride and leading dimension fits the Int32 BLAS takes.
    public static let maxElements = Int(Int32.max)
    public static let maxRank = 8

    /// Number of elements of `shape` (1 for a scalar).
    public static func count(_ shape: [Int]) -> Int { shape.reduce(1, *) }

    /// Row-major strides for a contiguous tensor of `shape`.
    public static func contiguousStrides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var acc = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[i] = acc
            acc = acc &* Swift.max(shape[i], 1)  // wraps only for empty shapes, whose strides address nothing
        }
        return strides
    }

    /// Checks a shape a user asked for: non-negative sizes, a sane rank and size.
    public static func validate(_ shape: [Int], _ op: String) throws(TensorError) {
        guard shape.count <= maxRank else { throw TensorError("\(op): at most \(maxRank) dimensions, got \(shape.count)") }
        guard shape.allSatisfy({ $0 >= 0 }) else { throw TensorError("\(op): sizes must be non-negative, got \(shapeText(shape))") }
        guard fitsLimit(shape) else { throw TensorError("\(op): \(shapeText(shape)) has too many elements (at most \(maxElements))") }
    }

    /// Whether a shape of non-negative sizes has at most `maxElements` elements
    /// (without overflowing on the way; a zero size makes any shape fit).
    public static func fitsLimit(_ shape: [Int]) -> Bool {
        if shape.contains(0) { return true }
        var total = 1
        for d in shape {
            let (product, overflow) = total.multipliedReportingOverflow(by: d)
            guard !overflow, product <= maxElements else { return false }
            total = product
        }
        return true
    }

    /// The NumPy broadcast of two shapes, or an error naming the op and both shapes.
    public static func broadcast(_ a: [Int], _ b: [Int], _ op: String) throws(TensorError) -> [Int] {
        let rank = Swift.max(a.count, b.count)
        var out = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            if da == db || db == 1 {
                out[i] = da
            } else if da == 1 {
                out[i] = db
            } else {
                throw TensorError("\(op): shapes \(shapeText(a)) and \(shapeText(b)) cannot be broadcast (dimension \(i): \(da) vs \(db))")
            }
        }
        guard fitsLimit(out) else {
            throw TensorError(
                "\(op): shapes \(shapeText(a)) and \(shapeText(b)) broadcast to \(shapeText(out)), which has too many elements (at most \(maxElements))")
        }
        return out
    }

    /// A possibly negative axis resolved against `rank`.
    public static func axis(_ axis: Int, rank: Int, _ op: String) throws(TensorError) -> Int {
        let a = axis < 0 ? axis + rank : axis
        guard a >= 0, a < rank else {
            throw TensorError("\(op): axis \(axis) is out of range for a tensor with \(rank) dimension\(rank == 1 ? "" : "s")")
        }
        return a
    }
}
