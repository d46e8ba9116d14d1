import DVSFiles
import DVSTensor
import DVSVision

/// Writes WebDataset shards of DV-SFT samples (docs/INTEROP.md, "Label
/// shards"): each shard is a ustar archive of `<key>.json` and `<key>.png`
/// per sample, written atomically (it appears whole or not at all); then a
/// JSONL index of every sample and a manifest of the export's settings.
///
/// Samples of one shard are made in parallel on `WorkerPool.shared` (resize,
/// labels, PNG encoding: one page per thread), then written in order, so the
/// same examples and settings give the same bytes at any thread count.
public enum ShardExport {
    /// How far an export is, after each shard.
    public struct Progress: Sendable {
        public let shardsDone: Int, shards: Int
        public let samplesDone: Int, samples: Int
        /// Shards found complete on disk and not written again (`resume`).
        public let shardsSkipped: Int
    }

    /// What an export wrote.
    public struct Result: Sendable {
        public let shards: [String]
        public let samples: Int
        public let index: String
        public let manifest: String
        public let shardsSkipped: Int
    }

    /// A shard still to be made: its number, file, and the indices and keys of its samples.
    public struct Job: Sendable {
        public let number: Int
        public let path: String
        public let samples: Range<Int>
        public let keys: [String]
    }

    /// Exports `count` examples; `examples(range)` gives those of one shard
    /// (so a caller can load pages a shard at a time). With `resume`, a shard
    /// whose file exists is kept (shards are written atomically, so an existing
    /// one is complete) and its examples are never asked for.
    public static func export(
        count: Int, plan: ShardPlan, settings: ShardSettings, dvsVersion: String, resume: Bool = false,
        progress: ((Progress) -> Void)? = nil,
        examples: (Range<Int>) throws(VisionError) -> [ShardExample]
    ) throws(VisionError) -> Result {
        try export(count: count, plan: plan, settings: settings, dvsVersion: dvsVersion, resume: resume, progress: progress) {
            jobs, write throws(VisionError) in
            for job in jobs {
                let batch = try examples(job.samples)
                guard batch.count == job.samples.count else {
                    throw VisionError("export_shards: shard \(job.number) needs \(job.samples.count) examples, got \(batch.count)")
                }
                try write(job, try samples(of: batch, keys: job.keys, shard: job.path, settings: settings))
            }
        }
    }

    /// Exports `count` samples made by `make(jobs, write)`, which is given
    /// the shards to make (those not kept by `resume`), in order, and must
    /// call `write` once for each with its samples, in the same order.
    /// Each shard is written atomically when `write` is called; shards kept
    /// are counted in `progress` where they fall. Then the index and the
    /// manifest are written over all the shards.
    public static func export(
        count: Int, plan: ShardPlan, settings: ShardSettings, dvsVersion: String, resume: Bool = false,
        progress: ((Progress) -> Void)? = nil,
        make: (_ jobs: [Job], _ write: (Job, [ShardSample]) throws(VisionError) -> Void) throws(VisionError) -> Void
    ) throws(VisionError) -> Result {
        let shards = plan.shardCount(samples: count)
        if let folder = folderOf(plan.pattern) { try visionFileIO("export_shards") { () throws(FileError) in try Folders.make(folder) } }
        let all = (plan.firstShard..<plan.firstShard + shards).map { k in
            let range = plan.samples(ofShard: k, of: count)
            return Job(number: k, path: plan.path(ofShard: k), samples: range, keys: range.map { plan.key(shard: k, item: $0 - range.lowerBound) })
        }
        let kept = all.map { resume && fileExists($0.path) }
        var reached = 0, skipped = 0, done = 0
        /// Counts (and reports) the shards before `end` not counted yet; the one at `end - 1` is written unless kept.
        func reach(_ end: Int) {
            while reached < end {
                if kept[reached] { skipped += 1 }
                done += all[reached].samples.count
                reached += 1
                progress?(Progress(shardsDone: reached, shards: shards, samplesDone: done, samples: count, shardsSkipped: skipped))
            }
        }
        try make(zip(all, kept).filter { !$0.1 }.map(\.0)) { job, samples throws(VisionError) in
            let position = job.number - plan.firstShard
            reach(position)
            try tensorWork { () throws(TensorError) in try Cancellation.check() }
            guard samples.count == job.samples.count else {
                throw VisionError("export_shards: shard \(job.number) needs \(job.samples.count) samples, got \(samples.count)")
            }
            try write(samples, to: job.path)
            reach(position + 1)
        }
        try tensorWork { () throws(TensorError) in try Cancellation.check() }
        reach(shards)
        let paths = all.map(\.path)
        let (index, manifest) = plan.sidecars(shards: shards)
        let counts = try writeIndex(shards: paths, to: index)
        try writeManifest(plan: plan, shards: paths, counts: counts, index: index, settings: settings, dvsVersion: dvsVersion, to: manifest)
        return Result(shards: paths, samples: counts.reduce(0, +), index: index, manifest: manifest, shardsSkipped: skipped)
    }

    /// Makes the samples in parallel and writes one shard. Keys default to
    /// `keys` where an example has none; keys must be unique in the shard.
    public static func writeShard(_ examples: [ShardExample], keys: [String], to path: String, settings: ShardSettings) throws(VisionError) {
        try write(try samples(of: examples, keys: keys, shard: path, settings: settings), to: path)
    }

    /// The samples of one shard's examples, made in parallel (see `makeSamples`),
    /// after checking every example and that keys are unique in the shard.
    static func samples(of examples: [ShardExample], keys: [String], shard path: String, settings: ShardSettings) throws(VisionError) -> [ShardSample] {
        var seen = Set<String>()
        var finalKeys: [String] = []
        for (i, example) in examples.enumerated() {
            let what = "export_shards: example \(i) of shard \(path.split(separator: "/").last ?? "")"
            try example.validate(what)
            let key = example.key ?? keys[i]
            guard seen.insert(key).inserted else { throw VisionError("\(what): key '\(key)' is used twice in the shard") }
            finalKeys.append(key)
        }
        return try makeSamples(examples, keys: finalKeys, settings: settings)
    }

    /// Writes one shard of made samples, atomically.
    static func write(_ samples: [ShardSample], to path: String) throws(VisionError) {
        try visionFileIO("export_shards") { () throws(FileError) in
            // A writer that is not committed leaves nothing behind (TarWriter's deinit discards it).
            let tar = try TarWriter(path: path)
            for s in samples {
                try tar.add(s.key + ".json", s.json)
                try tar.add(s.key + ".png", s.png)
            }
            try tar.commit()
        }
    }

    /// `ShardSample`s of every example, one per thread at a time; the first
    /// failure in input order is thrown.
    static func makeSamples(_ examples: [ShardExample], keys: [String], settings: ShardSettings) throws(VisionError) -> [ShardSample] {
        let results = UnsafeMutableBufferPointer<Swift.Result<ShardSample, VisionError>?>.allocate(capacity: examples.count)
        results.initialize(repeating: nil)
        defer { results.deinitialize(); results.deallocate() }
        WorkerPool.shared.parallelFor(examples.count, grain: 1) { range in
            for i in range {
                if Cancellation.isRequested { results[i] = .failure(.interrupted); continue }
                do throws(VisionError) {
                    results[i] = .success(try ShardSample(examples[i], key: keys[i], settings: settings))
                } catch {
                    results[i] = .failure(
                        error.isInterruption
                            ? error
                            : VisionError("export_shards: example \(i) (\(examples[i].source.isEmpty ? keys[i] : examples[i].source)): \(error.message)"))
                }
            }
        }
        var out: [ShardSample] = []
        for r in results {
            switch r! {
            case .success(let s): out.append(s)
            case .failure(let e): throw e
            }
        }
        return out
    }

    /// The JSONL index: one line per sample of every shard, read back from
    /// the shards. Returns the number of samples in each shard.
    static func writeIndex(shards: [String], to path: String) throws(VisionError) -> [Int] {
        var text = "", counts: [Int] = []
        for shard in shards {
            let lines = try ShardIndex.lines(ofShard: shard)
            counts.append(lines.count)
            for line in lines { text += line.text() + "\n" }
        }
        try visionFileIO("export_shards") { () throws(FileError) in try AtomicFile.write(Array(text.utf8), to: path) }
        return counts
    }

    static func writeManifest(
        plan: ShardPlan, shards: [String], counts: [Int], index: String, settings: ShardSettings,
        dvsVersion: String, to path: String
    ) throws(VisionError) {
        let name = { (p: String) in JSONValue.string(p.split(separator: "/").last.map(String.init) ?? p) }
        let members: [(key: String, value: JSONValue)] =
            [
                ("format", .string("dvs-dvsft-webdataset")),
                ("format_version", .int(1)),
                ("dvs_version", .string(dvsVersion)),
                ("pattern", name(plan.pattern)),
                ("first_shard", .int(plan.firstShard)),
                ("per_shard", .int(plan.perShard)),
                ("shards", .array(zip(shards, counts).map { .object([("file", name($0)), ("samples", .int($1))]) })),
                ("samples", .int(counts.reduce(0, +))),
                ("extensions", .array(ShardSample.extensions.map(JSONValue.string))),
                ("index", name(index)),
            ] + settings.manifestMembers()
        try visionFileIO("export_shards") { () throws(FileError) in
            try AtomicFile.write(Array((JSONValue.object(members).text(indent: 2) + "\n").utf8), to: path)
        }
    }

    private static func folderOf(_ path: String) -> String? {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return nil }
        return String(path[..<slash])
    }

    private static func fileExists(_ path: String) -> Bool {
        (try? ReadFile(path: path)) != nil
    }
}
