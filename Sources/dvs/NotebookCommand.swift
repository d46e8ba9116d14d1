import ArgumentParser
import DVSFiles
import DVSJupyter
import DVSLang
import DVSRuntime
import Foundation

/// `dvs notebook file.dvs -o out.html`: runs a `# %%`-celled script (or a
/// DVS .ipynb) in one session and writes one self-contained HTML page, and/or
/// a Jupyter notebook (`--ipynb`) — also when a cell fails, times out, or the
/// run is stopped by SIGINT or SIGTERM.
struct NotebookCommand: ParsableCommand, StatusCommand {
    static let configuration = CommandConfiguration(
        commandName: "notebook",
        abstract: "Run # %% cells (or a DVS .ipynb) into an HTML page or an .ipynb.",
        usage: """
            dvs notebook <file.dvs|file.ipynb> [-o <page.html>] [--ipynb <out.ipynb>]
                         [--timeout <seconds>] [--allow-errors] [--watch]
                         [-- <arguments> ...]
            """,
        discussion: """
            Cells start at lines beginning with "# %%"; "# %% [markdown]" starts a
            Markdown cell whose comment lines are its text. Each cell's printed
            output, value, pictures (show) and errors appear under it; _ and Out[n]
            work as in the REPL. This is jupytext's "percent" format, so jupytext
            pairs .dvs scripts with notebooks.

            --ipynb writes a Jupyter notebook (nbformat 4.5) with the outputs the
            DVS kernel sends (docs/JUPYTER.md); without -o, no HTML page then. An
            .ipynb input runs its code cells (its kernel must be DVS).

            The run stops at the first failing cell unless --allow-errors. A cell
            that runs longer than --timeout seconds is stopped as Ctrl-C stops it
            (no limit by default). SIGINT and SIGTERM stop the running cell and end
            the run. The page is written in every case, with the stopped cell
            marked "failed", "timed out" or "interrupted"; its folder is created,
            and checked to be writable, before the first cell runs.

            Exit status: 0 every cell ran, 1 a cell failed (or the page could not be
            written), 2 usage error, 124 a cell timed out, 130 SIGINT, 143 SIGTERM.
            """
    )

    @Argument(help: "The script (or .ipynb) to run.") var file: String
    @Option(name: .shortAndLong, help: ArgumentHelp("The page to write (default: the script's name with .html, unless --ipynb).", valueName: "page.html"))
    var output: String?
    @Option(help: ArgumentHelp("Also (or only) write the run as a Jupyter notebook.", valueName: "out.ipynb"))
    var ipynb: String?
    /// `.unconditional`: `--timeout -1` is then a value to reject clearly, not a missing one.
    @Option(parsing: .unconditional, help: ArgumentHelp("Stop a cell that runs longer than this (default: no limit).", valueName: "seconds"))
    var timeout: Double?
    @Flag(help: "Keep running after a cell fails or times out.") var allowErrors = false
    @Flag(help: "Run again whenever the script changes (Ctrl-C to stop).") var watch = false
    @Argument(parsing: .postTerminator, help: "Arguments for the script (args()), after --.") var scriptArguments: [String] = []

    func validate() throws {
        if let timeout, !(timeout > 0 && timeout.isFinite) {
            throw ValidationError("--timeout takes a positive number of seconds, got \(String(format: "%g", timeout))")
        }
    }

    mutating func run() throws { throw ExitCode(runWithStatus()) }

    mutating func runWithStatus() -> Int32 {
        StopSignals.install()
        let target = output ?? (ipynb == nil ? (file as NSString).deletingPathExtension + ".html" : nil)
        var status = runOnce(to: target)
        guard watch else { return status }
        var last = modificationDate()
        print("watching \(file) (Ctrl-C to stop)")
        fflush(stdout)
        while StopSignals.pending == nil {
            Thread.sleep(forTimeInterval: 0.2)
            let now = modificationDate()
            if now != last {
                last = now
                status = runOnce(to: target)
            }
        }
        return StopSignals.pending.map(ExitStatus.stopped) ?? status
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

    /// The cells of the script, or of the .ipynb; nil after saying why not.
    private func sourceCells() -> [NotebookRunner.SourceCell]? {
        if file.lowercased().hasSuffix(".ipynb") {
            do {
                return try NotebookFile.cells(ofNotebookAt: file)
            } catch {
                FileHandle.standardError.write("dvs: \(error.message)\n".data(using: .utf8)!)
                return nil
            }
        }
        return Report.source(file, prefix: "dvs").map(NotebookRunner.split)
    }

    private func runOnce(to target: String?) -> Int32 {
        guard let cells = sourceCells() else { return ExitStatus.usage }
        guard [target, ipynb].allSatisfy({ $0.map(Self.canWrite) ?? true }) else { return ExitStatus.usage }
        let interpreter = Runtime.makeInterpreter(arguments: scriptArguments)
        var options = NotebookRunner.Options(allowErrors: allowErrors, timeout: timeout)
        options.pendingSignal = { StopSignals.pending }
        options.vectors = ipynb != nil
        let outcome = NotebookRunner.run(cells, in: interpreter, sourceName: file, options: options) { outcome in
            // A stopped cell that did not end (a native call that never checks): save what there is and leave.
            let status = finish(outcome, to: target)
            fflush(stdout)
            _exit(status)
        }
        return finish(outcome, to: target)
    }

    /// Writes the page and/or the .ipynb, reports how the run ended, and returns the exit status.
    private func finish(_ outcome: NotebookRunner.Outcome, to target: String?) -> Int32 {
        let title = (file as NSString).lastPathComponent
        var failure: String?
        if let target {
            do {
                try NotebookRunner.write(outcome, title: title, generator: "dvs \(DVSCommand.version) notebook \(title)", to: target)
            } catch {
                failure = error.message
            }
        }
        if let ipynb {
            do {
                try NotebookFile.write(outcome.cells, version: DVSCommand.version, to: ipynb)
            } catch {
                failure = error.message
            }
        }
        if let failure {
            FileHandle.standardError.write("dvs: \(failure)\n".data(using: .utf8)!)
            return ExitStatus.runtimeError
        }
        let ran = outcome.cells.filter { $0.kind == .code }
        let written = [target, ipynb].compactMap { $0 }.joined(separator: " and ")
        var note = "wrote \(written): \(ran.count) code cell\(ran.count == 1 ? "" : "s")"
        let stopped = ran.last { $0.outcome != nil }
        if let stopped, let outcome = stopped.outcome {
            note += ", In [\(stopped.number ?? 0)] " + (stopped.stop?.message ?? outcome)
        }
        if outcome.cellsNotRun > 0 { note += ", \(outcome.cellsNotRun) not run" }
        print(note)
        fflush(stdout)
        if let stopped, case .error(let message, _, _)? = stopped.outputs.last {
            FileHandle.standardError.write(message.data(using: .utf8)!)
        }
        if let signal = outcome.signal { return ExitStatus.stopped(by: signal) }
        if outcome.timedOut { return ExitStatus.timedOut }
        return outcome.failed ? ExitStatus.runtimeError : ExitStatus.success
    }
}
