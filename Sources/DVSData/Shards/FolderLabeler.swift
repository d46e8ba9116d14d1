import DVSFiles
import DVSTensor
import DVSVision
import Foundation

/// `dvs label`: a folder of PNG pages → OCR word boxes → DV-SFT labels →
/// WebDataset shards (docs/SCALE.md). Pages are taken in file-name order;
/// shard `k` holds pages `k · perShard …`. A run can take one part of the
/// shards (`part` of `parts`, contiguous shard ranges), so many processes on
/// many machines label one folder without overlap. With `resume`, shards
/// already on disk are kept and their pages are not read again.
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
        ) { range throws(VisionError) in
            let files = names[(start + range.lowerBound)..<(start + range.upperBound)]
            let images = try files.map { name throws(VisionError) in try Image.load(path: folder + "/" + name) }
            let words = try pool.recognizeAll(darkText ? images.map { $0.inverted() } : images, psm: psm)
            return zip(zip(files, images), words).map { page, boxes in
                ShardExample(
                    image: page.1, words: boxes,
                    conversation: ShardExample.conversation(question: question, answer: ShardExample.transcription(boxes)),
                    source: page.0)
            }
        }
    }
}
