import DVSFiles
import DVSTensor
import DVSVision
import Foundation

/// `dvs label`: a folder of PNG pages → OCR word boxes → DV-SFT labels →
/// WebDataset shards (docs/SCALE.md). Pages are taken in file-name order;
/// shard `k` holds pages `k · perShard …`. A run can take one part of the
/// shards (`part` of `parts`, contiguous shard ranges), so many processes on
/// many machines label one folder without overlap. With `resume`, shards
/// already on disk are kept and their pages are not read again. Pages flow
/// through `ShardPipeline`: each worker thread takes the next page and
/// decodes, reads (OCR), resizes, labels and encodes it, while this thread
/// writes each shard once its pages are made. Threads: `WorkerPool.shared.size`
/// (`DVS_THREADS`, else one per core), each with its own Tesseract engine.
public struct FolderLabeler {
    public var folder: String
    public var pattern: String
    public var perShard: Int
    public var part = 0, parts = 1
    public var question = "Read the text in the image."
    /// Tesseract's language and page segmentation mode (3: layout analysis, for real documents).
    public var language = "eng", psm = 3
    /// True when pages are dark text on light paper (scans): OCR reads the inverted page.
    public var darkText = true
    public var resume = true
    public var settings: ShardSettings

    public init(folder: String, pattern: String, perShard: Int, settings: ShardSettings) {
        (self.folder, self.pattern, self.perShard, self.settings) = (folder, pattern, perShard, settings)
    }

    /// The PNG files of the folder, sorted by name.
    public func pages() throws(VisionError) -> [String] {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: folder) } catch {
            throw VisionError("dvs label: cannot list folder '\(folder)': \(error.localizedDescription)")
        }
        return names.filter { $0.lowercased().hasSuffix(".png") && !$0.hasPrefix(".") }.sorted()
    }

    /// Labels this part's pages into shards.
    public func run(dvsVersion: String, progress: ((ShardExport.Progress) -> Void)? = nil) throws(VisionError) -> ShardExport.Result {
        guard parts >= 1, part >= 0, part < parts else { throw VisionError("dvs label: part \(part) of \(parts) does not exist (parts are 0 to \(parts - 1))") }
        let names = try pages()
        guard !names.isEmpty else { throw VisionError("dvs label: folder '\(folder)' has no .png pages") }
        let probe = try ShardPlan(pattern: pattern, perShard: perShard)
        let total = probe.shardCount(samples: names.count)
        let first = total * part / parts, last = total * (part + 1) / parts
        let start = first * perShard, count = Swift.min(last * perShard, names.count) - start
        let plan = try ShardPlan(pattern: pattern, perShard: perShard, firstShard: first)
        let pool = try OCRPool.shared(language: language)
        return try ShardExport.export(
            count: Swift.max(count, 0), plan: plan, settings: settings, dvsVersion: dvsVersion,
            resume: resume, progress: progress
        ) { jobs, write throws(VisionError) in
            try ShardPipeline.run(
                jobs: jobs, workers: WorkerPool.shared.size,
                sample: { i, key throws(VisionError) in
                    try label(page: names[start + i], key: key, pool: pool)
                }, write: write)
        }
    }

    /// One page's sample: decode the PNG, read it with an engine of `pool`,
    /// then resize, label and encode it.
    private func label(page name: String, key: String, pool: OCRPool) throws(VisionError) -> ShardSample {
        do {
            let image = try Image.load(path: folder + "/" + name)
            let page = darkText ? image.inverted() : image
            let boxes = try pool.withEngine { engine throws(VisionError) in try engine.recognize(page, psm: psm) }
            let example = ShardExample(
                image: image, words: boxes,
                conversation: ShardExample.conversation(question: question, answer: ShardExample.transcription(boxes)), source: name)
            return try ShardSample(example, key: key, settings: settings)
        } catch  where !error.isInterruption {
            throw VisionError("dvs label: page '\(name)': \(error.message)")
        }
    }
}
