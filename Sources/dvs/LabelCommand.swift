import ArgumentParser
import DVSData
import DVSLang
import DVSRuntime
import DVSTensor
import DVSVision
import Foundation

/// `dvs label pages/ --tokenizer tokenizer.json -o 'out/train-%06d.tar'`:
/// OCR every PNG page, label its Qwen2-VL image tokens and write WebDataset
/// shards (docs/SCALE.md). Re-running the same command resumes.
struct LabelCommand: ParsableCommand, StatusCommand {
    static let configuration = CommandConfiguration(
        commandName: "label",
        abstract: "Label a folder of PNG pages into DV-SFT WebDataset shards.",
        discussion: """
            Pages are read in file-name order; shard k holds pages k·per-shard onwards.
            Each page is read by Tesseract (one engine per core), resized and cut as
            Qwen2-VL's processor does, and its image tokens are labelled with the
            first token of the word over them; the sample's answer is the page's
            OCR text. Shards are written atomically, so an interrupted run leaves
            only whole shards, and running the same command again keeps them and
            labels the rest (--no-resume rewrites everything); Ctrl-C stops between
            pages (exit status 130). --part i/N labels
            the i-th of N contiguous shard ranges (0-based): N processes, on any
            machines, label one folder with no overlap; each writes its own index
            and manifest, named by its shard range.
            """
    )

    @Argument(help: "The folder of PNG pages.") var folder: String
    @Option(name: .shortAndLong, help: ArgumentHelp("Shard file pattern.", valueName: "pattern")) var output = "shards/train-%06d.tar"
    @Option(help: ArgumentHelp("The tokenizer.json (or vocab.txt) of the model.", valueName: "path")) var tokenizer: String
    @Option(help: "Pages per shard.") var perShard = 1000
    @Option(help: ArgumentHelp("Which part of the shards to label, as i/N.", valueName: "i/N")) var part = "0/1"
    @Option(help: "The question every sample asks; the answer is the page's OCR text.") var question = "Read the text in the image."
    @Option(help: "Qwen2-VL's min_pixels.") var minPixels = Qwen2VLGrid.Settings().minPixels
    @Option(help: "Qwen2-VL's max_pixels.") var maxPixels = Qwen2VLGrid.Settings().maxPixels
    @Option(help: "Label rule: max_overlap or center.") var rule = LabelRule.maxOverlap.rawValue
    @Option(help: "Sub-token mode: first or span.") var subtoken = SubtokenMode.first.rawValue
    @Option(help: "Tesseract's page segmentation mode (3: real documents, 6: one block).") var psm = 3
    @Option(help: "Tesseract language.") var lang = "eng"
    @Flag(help: "Pages are light text on dark (as text_page draws them); by default they are dark text on light paper.") var lightText = false
    @Flag(help: "Rewrite shards that already exist.") var noResume = false

    mutating func run() throws { throw ExitCode(runWithStatus()) }

    mutating func runWithStatus() -> Int32 {
        do {
            let labeler = try makeLabeler()
            // Ctrl-C or SIGTERM: no page is started after it and no shard written;
            // pages under way are dropped, so only whole shards stay on disk.
            Cancellation.install { Interrupt.isRequested }
            StopSignals.install()
            let started = Date()
            let result = try labeler.run(dvsVersion: Runtime.version) { p in
                let seconds = Date().timeIntervalSince(started)
                LabelCommand.report(
                    "label: shard \(p.shardsDone)/\(p.shards), page \(p.samplesDone)/\(p.samples)"
                        + (p.shardsSkipped > 0 ? ", \(p.shardsSkipped) shard\(p.shardsSkipped == 1 ? "" : "s") kept" : "")
                        + String(format: ", %.1f s", seconds))
            }
            StandardOutput.endProgressLine()
            print(
                "label: \(result.samples) pages in \(result.shards.count) shards (\(result.shardsSkipped) kept from an earlier run); index \(result.index), manifest \(result.manifest)"
            )
            return ExitStatus.success
        } catch let error as VisionError where error.isInterruption {
            StandardOutput.endProgressLine()
            fflush(stdout)
            FileHandle.standardError.write(
                "dvs label: interrupted; the shards written are whole, run the same command again to make the rest\n".data(using: .utf8)!)
            return ExitStatus.stopped(by: StopSignals.pending ?? SIGINT)
        } catch let error as ValidationError {
            FileHandle.standardError.write("dvs label: \(error.message)\n".data(using: .utf8)!)
            return ExitStatus.usage
        } catch {
            StandardOutput.endProgressLine()
            fflush(stdout)
            FileHandle.standardError.write("dvs: \(error)\n".data(using: .utf8)!)
            return ExitStatus.runtimeError
        }
    }

    /// A progress line rewritten in place on a terminal, one line per shard elsewhere.
    static func report(_ line: String) {
        if isatty(1) == 1 { StandardOutput.writeProgress(line) } else { print(line); fflush(stdout) }
    }

    private func makeLabeler() throws -> FolderLabeler {
        let pieces = part.split(separator: "/")
        guard pieces.count == 2, let i = Int(pieces[0]), let n = Int(pieces[1]), n >= 1, i >= 0, i < n else {
            throw ValidationError("--part takes i/N with 0 ≤ i < N, got '\(part)'")
        }
        guard let rule = LabelRule(rawValue: rule) else { throw ValidationError("--rule takes max_overlap or center, got '\(rule)'") }
        guard let mode = SubtokenMode(rawValue: subtoken) else { throw ValidationError("--subtoken takes first or span, got '\(subtoken)'") }
        guard perShard >= 1 else { throw ValidationError("--per-shard must be at least 1, got \(perShard)") }
        guard minPixels >= 1, maxPixels >= 1 else { throw ValidationError("--min-pixels and --max-pixels must be at least 1") }
        let settings = ShardSettings(
            tokenizer: try ShardTokenizer.load(tokenizer), grid: .init(minPixels: minPixels, maxPixels: maxPixels),
            rule: rule, subtoken: mode)
        var labeler = FolderLabeler(folder: folder, pattern: output, perShard: perShard, settings: settings)
        (labeler.part, labeler.parts, labeler.question, labeler.psm, labeler.language) = (i, n, question, psm, lang)
        labeler.darkText = !lightText
        labeler.resume = !noResume
        return labeler
    }
}
