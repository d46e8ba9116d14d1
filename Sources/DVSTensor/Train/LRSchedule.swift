import Foundation

/// A learning-rate schedule: a value that maps a step index to a learning
/// rate. The step is the index of the update about to run, counted from 0 —
/// `optimizer.lr = schedule.lr(at: optimizer.stepCount)` before each `step()`.
/// Negative steps count as 0. Computed in Float64, returned as Float32.
///
/// With peak η, floor η_min, warmup W and total T:
///
/// - `constant(η)`: η.
/// - `linearWarmup(peak: η, warmup: W)`: η·s/W for s < W, then η
///   (0 at step 0, η from step W on).
/// - `cosine(peak: η, minLR: η_min, total: T)`:
///   η_min + (η − η_min)·½·(1 + cos(π·s/T)) for s ≤ T, then η_min.
/// - `warmupCosine(peak: η, minLR: η_min, warmup: W, total: T)`: η·s/W for s < W,
///   then η_min + (η − η_min)·½·(1 + cos(π·(s − W)/(T − W))) for W ≤ s ≤ T
///   (η at s = W, η_min at s = T), then η_min.
public struct LRSchedule: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        case constant
        case linearWarmup
        case cosine
        case warmupCosine
    }

    public let kind: Kind
    public let peak: Float
    public let minLR: Float
    public let warmup: Int
    public let total: Int

    private init(_ kind: Kind, peak: Float, minLR: Float, warmup: Int, total: Int, _ name: String) throws(TensorError) {
        guard peak.isFinite, peak >= 0 else { throw TensorError("\(name): peak learning rate must be a finite number ≥ 0, got \(peak)") }
        guard minLR.isFinite, minLR >= 0, minLR <= peak else {
            throw TensorError("\(name): minLR must be a finite number in [0, peak \(peak)], got \(minLR)")
        }
        guard warmup >= 0 else { throw TensorError("\(name): warmup must be ≥ 0 steps, got \(warmup)") }
        self.kind = kind
        self.peak = peak
        self.minLR = minLR
        self.warmup = warmup
        self.total = total
    }

    /// The same learning rate at every step.
    public static func constant(_ lr: Float) throws(TensorError) -> LRSchedule {
        try LRSchedule(.constant, peak: lr, minLR: lr, warmup: 0, total: 0, "constant schedule")
    }

    /// Linear from 0 at step 0 to `peak` at step `warmup`, then constant.
    public static func linearWarmup(peak: Float, warmup: Int) throws(TensorError) -> LRSchedule {
        try LRSchedule(.linearWarmup, peak: peak, minLR: 0, warmup: warmup, total: warmup, "linearWarmup schedule")
    }

    /// Half a cosine from `peak` at step 0 to `minLR` at step `total` (> 0), then `minLR`.
    public static func cosine(peak: Float, minLR: Float = 0, total: Int) throws(TensorError) -> LRSchedule {
        guard total > 0 else { throw TensorError("cosine schedule: total must be > 0 steps, got \(total)") }
        return try LRSchedule(.cosine, peak: peak, minLR: minLR, warmup: 0, total: total, "cosine schedule")
    }

    /// Linear warmup from 0 to `peak` over `warmup` steps, then half a cosine
    /// to `minLR` at step `total` (> warmup), then `minLR`.
    public static func warmupCosine(peak: Float, minLR: Float = 0, warmup: Int, total: Int) throws(TensorError) -> LRSchedule {
        guard total > warmup else {
            throw TensorError("warmupCosine schedule: total (\(total)) must be greater than warmup (\(warmup))")
        }
        return try LRSchedule(.warmupCosine, peak: peak, minLR: minLR, warmup: warmup, total: total, "warmupCosine schedule")
    }

    /// The learning rate for the update with index `step` (0-based).
    public func lr(at step: Int) -> Float {
        let s = Swift.max(step, 0)
        let peak = Double(self.peak), floor = Double(minLR)
        func cosineDecay(_ progress: Double) -> Float {
            Float(floor + (peak - floor) * 0.5 * (1 + Foundation.cos(Double.pi * progress)))
        }
        switch kind {
        case .constant:
            return self.peak
        case .linearWarmup:
            return s < warmup ? Float(peak * Double(s) / Double(warmup)) : self.peak
        case .cosine:
            return s >= total ? minLR : cosineDecay(Double(s) / Double(total))
        case .warmupCosine:
            if s < warmup { return Float(peak * Double(s) / Double(warmup)) }
            if s >= total { return minLR }
            return cosineDecay(Double(s - warmup) / Double(total - warmup))
        }
    }
}
