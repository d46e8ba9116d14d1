import ArgumentParser
import DVSFiles
import DVSLang
import DVSRuntime
import Foundation

/// `dvs notebook file.dvs -o out.html`: runs a `# %%`-celled script in one
/// session and writes one self-contained HTML page.
struct NotebookCommand: ParsableCommand, StatusCommand {
    static let configuration = CommandConfiguration(
        commandName: "notebook",
        abstract: "Run a script of # %% cells and write an HTML notebook page.",
        discussion: """
        Cells start at lines beginning with "# %%"; "# %% [markdown]" starts a Markdown cell
        whose comment lines are its text. Each cell's printed output, value, pictures (show)
        and errors appear under it. The run stops at the first failing cell unless
        --allow-errors; the exit status is 1 if a cell failed. The page's folder is
        created, and checked to be writable, before the first cell runs.
        """
    )

    @Argument(help: "The script to run.") var file: String
    @Option(name: .shortAndLong, help: "The HTML page to write (default: the script's name with .html).") var output: String?
    @Flag(help: "Keep running after a cell fails.") var allowErrors = false
    @Flag(help: "Run again whenever the script changes (Ctrl-C to stop).") var watch = false
    @Argument(parsing: .postTerminator, help: "Arguments for the script (args()), after --.") var scriptArguments: [String] = []

    mutating func run() throws { throw ExitCode(runWithStatus()) }

    mutating func runWithStatus() -> Int32 {
        let target = output ?? ((file as NSString).deletingPathExtension + ".html")
        var status = runOnce(to: target)
        guard watch else { return status }
        var last = modificationDate()
        print("watching \(file) (Ctrl-C to stop)")
        while true {
            Thread.sleep(forTimeInterval: 0.5)
            let now = modificationDate()
            if now != last {
                last = now
                status = runOnce(to: target)
            }
        }
    }

    /// Makes the page's folder and checks that the page can be written there,
    /// so a bad -o fails before the cells run rather than after (prints why not).
    static func canWrite(_ target: String) -> Bool {
        do {
            let folder = (target as NSString).deletingLastPathComponent
            if !folder.isEmpty { try Folders.make(folder) }
            try AtomicFile(path: target).discard()
            return true
        } catch {
            FileHandle.standardError.write("dvs: \(error.message)\n".data(using: .utf8)!)
            return false
        }
    }

    private func modificationDate() -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: file))?[.modificationDate] as? Date
    }

    private func runOnce(to target: String) -> Int32 {
        guard let text = Report.source(file, prefix: "dvs") else { return ExitStatus.usage }
        guard Self.canWrite(target) else { return ExitStatus.usage }
        let interpreter = Runtime.makeInterpreter(arguments: scriptArguments)
        let cells = NotebookRunner.split(text)
        let result = NotebookRunner.run(cells, in: interpreter, sourceName: file, allowErrors: allowErrors)
        let title = (file as NSString).lastPathComponent
        do {
            try NotebookRunner.write(result.cells, title: title, generator: "dvs \(DVSCommand.version) notebook \(title)", to: target)
        } catch {
            FileHandle.standardError.write("dvs: \(error.message)\n".data(using: .utf8)!)
            return ExitStatus.runtimeError
        }
        let ran = result.cells.filter { $0.kind == .code }.count
        print("wrote \(target): \(ran) code cell\(ran == 1 ? "" : "s")\(result.failed ? ", a cell failed" : "")")
        if result.failed, let failure = result.cells.last(where: \.failed), case .error(let message)? = failure.outputs.last {
            FileHandle.standardError.write(message.data(using: .utf8)!)
        }
        return result.failed ? ExitStatus.runtimeError : ExitStatus.success
    }
}
