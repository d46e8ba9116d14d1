import DVSKernels
import Foundation
import Synchronization

/// Elements of a memory-bound loop worth handing to another thread (about
/// 10 µs of work; waking a spinning worker costs about 1 µs).
let elementGrain = 1 << 15

/// Rows of `width` elements worth handing to another thread.
func rowGrain(_ width: Int) -> Int { Swift.max(1, elementGrain / Swift.max(width, 1)) }

/// The threads that run DVSTensor's kernels: matrix products split into
/// row or batch blocks (OpenBLAS itself runs single-threaded, so there is one
/// set of threads and they never contend with a second pool spinning on the
/// same cores) and memory-bound loops split into ranges.
///
/// `parallelFor` hands out the parts of one loop; the calling thread works
/// too, and each part is claimed by whichever thread comes first, so a worker
/// that is slow to wake never holds the caller up. Idle workers spin for about
/// `spinTime` after their last part (training dispatches ops microseconds
/// apart), then sleep until the next loop.
public final class WorkerPool: @unchecked Sendable {
    /// The pool every kernel uses: `DVS_THREADS` threads (default: one per
    /// core) until `BLAS.setThreads` changes it.
    public static let shared: WorkerPool = {
        let pool = WorkerPool()
        let requested = ProcessInfo.processInfo.environment["DVS_THREADS"].flatMap { Int($0) }
        pool.resize(Swift.min(requested ?? ProcessInfo.processInfo.activeProcessorCount, maxSize))
        return pool
    }()

    /// The most threads a pool takes: 4 per core, at most 64.
    public static var maxSize: Int {
        Swift.max(1, Swift.min(ProcessInfo.processInfo.activeProcessorCount * 4, 64))
    }

    /// How long an idle worker spins before it sleeps.
    static let spinTime: Double = 0.000_2

    /// The claim word: generation (32 bits) | part count (16) | next part (16).
    /// One compare-and-swap both claims a part and checks that the loop it
    /// belongs to is still the current one.
    private let claim = Atomic<UInt64>(0)
    /// Whether a loop is running (its caller owns the pool until it ends).
    private let inUse = Atomic<Bool>(false)
    /// Parts of the current loop finished; the caller waits for all of them.
    private let finished = Atomic<Int>(0)
    private let lock = NSCondition()
    private var body: ((Int) -> Void)?
    private var generation: UInt64 = 0
    /// Workers alive, and whether they should exit.
    private let running = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)

    /// Threads working on each loop, the caller included.
    public private(set) var size = 1

    /// Starts or stops workers so that `size == n` (n ≥ 1). Only the thread
    /// that runs loops may call it, never from inside a loop.
    public func resize(_ n: Int) {
        let target = Swift.max(1, n)
        if target == size { return }
        stopWorkers()
        size = target
        for index in 1..<target {
            running.add(1, ordering: .relaxed)
            let thread = Thread { [unowned self] in self.work() }
            thread.name = "dvs-worker-\(index)"
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    /// Runs `body(part)` for every part in 0..<parts across the pool, the
    /// calling thread included, and returns when all have finished. With one
    /// part or a pool of one, runs in the caller. Parts must be independent;
    /// `parts` is at most 65,535.
    public func run(parts: Int, _ body: @escaping (Int) -> Void) {
        if parts <= 0 { return }
        // One loop at a time: a loop started while another runs (nested in a
        // part, or from another thread such as an OCR worker) runs serially.
        if parts == 1 || size == 1 || !inUse.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged {
            for part in 0..<parts { body(part) }
            return
        }
        defer { inUse.store(false, ordering: .releasing) }
        precondition(parts < 1 << 16, "WorkerPool.run: too many parts")
        self.body = body
        finished.store(0, ordering: .relaxed)
        publish(parts: parts)
        while let part = claimPart(generation) {
            body(part)
            finished.add(1, ordering: .releasing)
        }
        while finished.load(ordering: .acquiring) < parts { dvs_spin_pause() }
        self.body = nil
    }

    /// Splits 0..<count into at most `size` ranges of at least `grain`
    /// elements each and runs `body` on them in parallel.
    public func parallelFor(_ count: Int, grain: Int, _ body: @escaping (Range<Int>) -> Void) {
        let parts = Swift.min(size, Swift.max(1, count / Swift.max(1, grain)))
        if parts <= 1 {
            if count > 0 { body(0..<count) }
            return
        }
        run(parts: parts) { part in
            body(count * part / parts..<count * (part + 1) / parts)
        }
    }

    /// `parallelFor` over 0..<count in pieces of `Cancellation.elementChunk`
    /// elements, checking for cancellation before each piece after the first;
    /// for loops that write fresh results only.
    func cancellableFor(_ count: Int, grain: Int = elementGrain, _ body: @escaping (Range<Int>) -> Void) throws(TensorError) {
        try Cancellation.forEachChunk(count) { chunk in
            parallelFor(chunk.count, grain: grain) { r in body(chunk.lowerBound + r.lowerBound..<chunk.lowerBound + r.upperBound) }
        }
    }

    /// Starts a new loop of `parts` parts (0: just wakes the workers) and
    /// wakes sleeping workers.
    private func publish(parts: Int) {
        lock.lock()
        generation = (generation + 1) & 0xFFFF_FFFF
        claim.store(generation << 32 | UInt64(parts) << 16, ordering: .releasing)
        lock.broadcast()
        lock.unlock()
    }

    /// The next unclaimed part of loop `generation`, or nil when it has none left.
    private func claimPart(_ generation: UInt64) -> Int? {
        var word = claim.load(ordering: .acquiring)
        while true {
            let parts = Int((word >> 16) & 0xFFFF), next = Int(word & 0xFFFF)
            if word >> 32 != generation || next >= parts { return nil }
            let (exchanged, original) = claim.compareExchange(
                expected: word, desired: word + 1,
                successOrdering: .acquiringAndReleasing, failureOrdering: .acquiring)
            if exchanged { return next }
            word = original
        }
    }

    /// A worker: waits for a new loop (spinning, then sleeping), takes parts
    /// while there are any, and exits when the pool shrinks.
    private func work() {
        var seen = claim.load(ordering: .acquiring) >> 32
        while !stopping.load(ordering: .acquiring) {
            var deadline = Date().addingTimeInterval(WorkerPool.spinTime)
            var spins = 0
            while claim.load(ordering: .acquiring) >> 32 == seen {
                spins += 1
                if spins & 1023 != 0 { dvs_spin_pause(); continue }
                if Date() < deadline { continue }
                lock.lock()
                while claim.load(ordering: .acquiring) >> 32 == seen { lock.wait() }
                lock.unlock()
                deadline = Date().addingTimeInterval(WorkerPool.spinTime)
            }
            seen = claim.load(ordering: .acquiring) >> 32
            while let part = claimPart(seen) {
                body!(part)
                finished.add(1, ordering: .releasing)
            }
        }
        running.subtract(1, ordering: .releasing)
    }

    /// Ends every worker thread and waits until they have exited.
    private func stopWorkers() {
        if running.load(ordering: .acquiring) == 0 { return }
        stopping.store(true, ordering: .releasing)
        publish(parts: 0)
        while running.load(ordering: .acquiring) > 0 { dvs_spin_pause() }
        stopping.store(false, ordering: .releasing)
    }
}

/// Several tensors' elements seen as one range 0..<total (tensor 0's, then
/// tensor 1's, …), so a multi-tensor update is one `parallelFor`.
struct MultiTensorRanges {
    /// Where each tensor starts in the joint range, and the end.
    private let starts: [Int]

    init(_ counts: [Int]) {
        var starts = [0]
        for c in counts { starts.append(starts[starts.count - 1] + c) }
        self.starts = starts
    }

    var total: Int { starts[starts.count - 1] }

    /// Calls `body(tensor, elements)` for each tensor that `range` overlaps,
    /// with the overlap in that tensor's own element indices.
    func forEachPiece(of range: Range<Int>, _ body: (Int, Range<Int>) -> Void) {
        // The last tensor starting at or before range.lowerBound.
        var low = 0, high = starts.count - 2
        while low < high {
            let mid = (low + high + 1) / 2
            if starts[mid] <= range.lowerBound { low = mid } else { high = mid - 1 }
        }
        var index = low
        while index < starts.count - 1, starts[index] < range.upperBound {
            let lower = Swift.max(range.lowerBound, starts[index]), upper = Swift.min(range.upperBound, starts[index + 1])
            if lower < upper { body(index, lower - starts[index]..<upper - starts[index]) }
            index += 1
        }
    }
}
