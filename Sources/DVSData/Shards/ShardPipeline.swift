import DVSTensor
import DVSVision
import Foundation

/// Makes the samples of many shards on worker threads, a page at a time, and
/// hands each shard's samples back in order on the calling thread as soon as
/// all of them are made: one page's reading (e.g. PNG decoding and OCR),
/// resizing, labelling and PNG encoding overlap the others' and the writing
/// of the previous shard, so no core waits at the end of a stage.
///
/// Workers take samples in input order and run at most one shard ahead of
/// the shard being handed back, so at most two shards of made samples are
/// held. A sample's bytes depend only on its input, so the output is the same
/// at any number of workers.
enum ShardPipeline {
    /// Runs `sample(index, key)` for every sample of `jobs` on `workers`
    /// threads and calls `write(job, samples)` for each job, in order, on
    /// this thread. The first failure in input order is thrown once the
    /// shards before it are written; no sample after it is started. When
    /// `Cancellation` asks, this throws `VisionError.interrupted` within
    /// 20 ms: no further sample is started and no further shard is written
    /// (samples under way finish in the background and are dropped).
    static func run(
        jobs: [ShardExport.Job], workers: Int,
        sample: @escaping (_ index: Int, _ key: String) throws(VisionError) -> ShardSample,
        write: (ShardExport.Job, [ShardSample]) throws(VisionError) -> Void
    ) throws(VisionError) {
        let state = State(jobs: jobs, sample: sample)
        if state.items.isEmpty { return }
        defer { state.stop() }
        for index in 0..<Swift.max(1, Swift.min(workers, state.items.count)) {
            let thread = Thread { state.work() }
            thread.name = "dvs-shard-\(index)"
            thread.start()
        }
        var first = 0
        for (j, job) in jobs.enumerated() {
            let end = first + job.samples.count
            let samples = try state.take(first..<end, allowingUpTo: state.ends[Swift.min(j + 1, jobs.count - 1)])
            try write(job, samples)
            first = end
        }
    }

    /// The samples to make and what has been made, shared by the workers
    /// (which may outlive `run` when it was interrupted).
    private final class State: @unchecked Sendable {
        /// Every sample to make, in order: its index and key.
        let items: [(index: Int, key: String)]
        /// Where each job's samples end in `items`.
        let ends: [Int]
        let sample: (Int, String) throws(VisionError) -> ShardSample

        private let condition = NSCondition()
        private var next = 0
        /// Workers start no sample at or after `limit` (the end of the shard after the one awaited).
        private var limit = 0
        /// The first sample that failed: none after it is started.
        private var failed = Int.max
        private var stopped = false
        private var made: [Swift.Result<ShardSample, VisionError>?]

        init(jobs: [ShardExport.Job], sample: @escaping (Int, String) throws(VisionError) -> ShardSample) {
            var items: [(index: Int, key: String)] = [], ends: [Int] = []
            for job in jobs {
                items += zip(job.samples, job.keys).map { (index: $0, key: $1) }
                ends.append(items.count)
            }
            (self.items, self.ends, self.sample) = (items, ends, sample)
            made = Array(repeating: nil, count: items.count)
        }

        /// A worker: takes the next sample while there is one it may start, and makes it.
        func work() {
            while true {
                condition.lock()
                while !stopped && next < Swift.min(failed, items.count) && next >= limit { condition.wait() }
                guard !stopped, next < Swift.min(failed, items.count) else {
                    condition.unlock()
                    return
                }
                let i = next
                next += 1
                condition.unlock()
                let result: Swift.Result<ShardSample, VisionError>
                if Cancellation.isRequested {
                    result = .failure(.interrupted)
                } else {
                    do throws(VisionError) { result = .success(try sample(items[i].index, items[i].key)) } catch { result = .failure(error) }
                }
                condition.lock()
                made[i] = result
                if case .failure = result { failed = Swift.min(failed, i) }
                condition.broadcast()
                condition.unlock()
            }
        }

        /// Waits for the samples of `range` (letting workers run up to `limit`)
        /// and returns them, or throws the first failure among them.
        func take(_ range: Range<Int>, allowingUpTo limit: Int) throws(VisionError) -> [ShardSample] {
            condition.lock()
            defer { condition.unlock() }
            self.limit = limit
            condition.broadcast()
            // Samples before the first failure are all made; none after it is started.
            while range.contains(where: { $0 < failed && made[$0] == nil }) {
                if Cancellation.isRequested {
                    stopped = true
                    condition.broadcast()
                    throw VisionError.interrupted
                }
                _ = condition.wait(until: Date().addingTimeInterval(0.02))
            }
            var samples: [ShardSample] = []
            samples.reserveCapacity(range.count)
            for i in range {
                switch made[i] {
                case .success(let s)?: samples.append(s)
                case .failure(let e)?: throw e
                case nil: throw VisionError.interrupted  // unreachable: a sample after a failure, and the failure comes first
                }
                made[i] = nil
            }
            return samples
        }

        /// Tells the workers to start no further sample.
        func stop() {
            condition.lock()
            stopped = true
            condition.broadcast()
            condition.unlock()
        }
    }
}
