import DVSKernels
import Foundation

/// Softmax and log-softmax along any axis as fused kernels. Forward subtracts
/// each row's maximum, exponentiates and normalizes in one sweep per row;
/// backward uses the closed forms
///   softmax:     dx = y ⊙ (g − Σ g⊙y)
///   log-softmax: dx = g − exp(y) · Σ g
/// Rows along the last axis are read directly; along another axis the kernel
/// walks the `inner` columns side by side (no transpose copy).

extension Tensor {
    /// Softmax along `axis` (negative counts from the end):
    /// `exp(x − max) / Σ exp(x − max)`, so large logits do not overflow.
    /// A row holding only `-inf` gives `nan`, as in PyTorch.
    public func softmax(axis: Int = -1) throws(TensorError) -> Tensor {
        try softmaxKernel(axis: axis, log: false)
    }

    /// Log-softmax along `axis`: `x − max − log Σ exp(x − max)`, computed
    /// without forming the softmax (exact for very negative entries).
    public func logSoftmax(axis: Int = -1) throws(TensorError) -> Tensor {
        try softmaxKernel(axis: axis, log: true)
    }

    private func softmaxKernel(axis: Int, log: Bool) throws(TensorError) -> Tensor {
        let op = log ? "log_softmax" : "softmax"
        // A scalar is one row of one element (axis 0 or -1).
        let ax = try Shape.axis(axis, rank: Swift.max(rank, 1), op)
        let n = rank == 0 ? 1 : shape[ax]
        let outer = rank == 0 ? 1 : shape[..<ax].reduce(1, *)
        let inner = rank == 0 ? 1 : shape[(ax + 1)...].reduce(1, *)
        let src = try contiguousLayout()
        let out = try Tensor(uninitializedShape: shape)
        if count > 0 {
            if inner == 1 {
                let x = src.data, y = out.data
                WorkerPool.shared.parallelFor(outer, grain: rowGrain(n)) { rows in
                    for r in rows { softmaxRow(x + r * n, y + r * n, n, log: log) }
                }
            } else {
                softmaxColumns(src.data, out.data, outer: outer, n: n, inner: inner, log: log)
            }
        }
        // Backward saves a view of the output, not the output itself (which
        // would own its own grad record: a reference cycle).
        let a = self, y = out.detached()
        return out.recording(op, [a], detail: "axis \(ax)") { g throws(TensorError) in
            let gg = try g.contiguousLayout()
            let gx = try Tensor(uninitializedShape: a.shape)
            if gx.count > 0 {
                if inner == 1 {
                    let yp = y.data, gp = gg.data, dx = gx.data
                    WorkerPool.shared.parallelFor(outer, grain: rowGrain(n)) { rows in
                        for r in rows { softmaxBackwardRow(yp + r * n, gp + r * n, dx + r * n, n, log: log) }
                    }
                } else {
                    softmaxBackwardColumns(y.data, gg.data, gx.data, outer: outer, n: n, inner: inner, log: log)
                }
            }
            return [gx]
        }
    }
}

/// One contiguous row of `n` elements.
@inline(__always)
private func softmaxRow(_ x: UnsafeMutablePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int, log: Bool) {
    let m = rowMax(x, n)
    let sum = dvs_exp_shifted_sum(x, y, n, m)
    if log {
        let lse = m + logf(sum)
        for j in 0..<n { y[j] = x[j] - lse }
    } else {
        let inv = 1 / sum
        for j in 0..<n { y[j] *= inv }
    }
}

@inline(__always)
private func softmaxBackwardRow(
    _ y: UnsafeMutablePointer<Float>, _ g: UnsafeMutablePointer<Float>,
    _ dx: UnsafeMutablePointer<Float>, _ n: Int, log: Bool
) {
    if log {
        let s = rowSum(g, n)
        for j in 0..<n { dx[j] = g[j] - vexp(y[j]) * s }
    } else {
        let s = rowDot(g, y, n)
        for j in 0..<n { dx[j] = y[j] * (g[j] - s) }
    }
}

/// Softmax over the middle extent of an (outer, n, inner) layout: the
/// `inner` rows of each outer block are processed together, column by column.
private func softmaxColumns(
    _ x: UnsafeMutablePointer<Float>, _ y: UnsafeMutablePointer<Float>,
    outer: Int, n: Int, inner: Int, log: Bool
) {
    let m = UnsafeMutablePointer<Float>.allocate(capacity: inner)
    let s = UnsafeMutablePointer<Float>.allocate(capacity: inner)
    defer { m.deallocate(); s.deallocate() }
    for o in 0..<outer {
        let xb = x + o * n * inner, yb = y + o * n * inner
        m.update(repeating: -Float.infinity, count: inner)
        s.update(repeating: 0, count: inner)
        for r in 0..<n {
            let xr = xb + r * inner
            for j in 0..<inner { m[j] = xr[j] > m[j] ? xr[j] : m[j] }
        }
        for r in 0..<n {
            let xr = xb + r * inner, yr = yb + r * inner
            for j in 0..<inner {
                let e = vexp(xr[j] - m[j])
                yr[j] = e
                s[j] += e
            }
        }
        if log {
            for j in 0..<inner { s[j] = m[j] + logf(s[j]) }
            for r in 0..<n {
                let xr = xb + r * inner, yr = yb + r * inner
                for j in 0..<inner { yr[j] = xr[j] - s[j] }
            }
        } else {
            for j in 0..<inner { s[j] = 1 / s[j] }
            for r in 0..<n {
                let yr = yb + r * inner
                for j in 0..<inner { yr[j] *= s[j] }
            }
        }
    }
}

private func softmaxBackwardColumns(
    _ y: UnsafeMutablePointer<Float>, _ g: UnsafeMutablePointer<Float>,
    _ dx: UnsafeMutablePointer<Float>, outer: Int, n: Int, inner: Int, log: Bool
) {
    let s = UnsafeMutablePointer<Float>.allocate(capacity: inner)
    defer { s.deallocate() }
    for o in 0..<outer {
        let base = o * n * inner
        s.update(repeating: 0, count: inner)
        for r in 0..<n {
            let gr = g + base + r * inner, yr = y + base + r * inner
            if log {
                for j in 0..<inner { s[j] += gr[j] }
            } else {
                for j in 0..<inner { s[j] += gr[j] * yr[j] }
            }
        }
        for r in 0..<n {
            let gr = g + base + r * inner, yr = y + base + r * inner, dr = dx + base + r * inner
            if log {
                for j in 0..<inner { dr[j] = gr[j] - vexp(yr[j]) * s[j] }
            } else {
                for j in 0..<inner { dr[j] = yr[j] * (gr[j] - s[j]) }
            }
        }
    }
}
