import ArgumentParser
import DVSFiles
import DVSLang
import DVSRuntime
import Foundation

/// Exit codes of `dvs`.
enum ExitStatus {
    static let success: Int32 = 0
    static let runtimeError: Int32 = 1
    static let usage: Int32 = 2
    static let parseError: Int32 = 65
    /// `dvs notebook`: a cell ran past `--timeout` (as timeout(1) reports it).
    static let timedOut: Int32 = 124
    /// Ended by a stop signal: 128 + its number, as shells report it (130 SIGINT, 143 SIGTERM).
    static func stopped(by signal: Int32) -> Int32 { 128 + signal }
}

enum CommandLineEntry {
    /// Parses the command line and runs it; returns the process exit status.
    static func main(_ arguments: [String]) -> Int32 {
        if arguments.first == "help" {
            return HelpCommand.run(topic: arguments.dropFirst().first)
        }
        // `dvs run FILE …`: everything after FILE is the script's (RunCommand
        // passes it through), so this form needs no parsing; ArgumentParser's
        // reflection over the command tree is a quarter of start-up.
        if arguments.count >= 2, arguments[0] == "run", !arguments[1].hasPrefix("-") {
            return RunCommand.run(arguments[1], arguments: Array(arguments.dropFirst(2)))
        }
        do {
            var command = try DVSCommand.parseAsRoot(arguments)
            if var runnable = command as? StatusCommand { return runnable.runWithStatus() }
            try command.run()
            return ExitStatus.success
        } catch {
            let code = DVSCommand.exitCode(for: error)
            let message = DVSCommand.fullMessage(for: error)
            if code == .success {
                print(message)
                return ExitStatus.success
            }
            FileHandle.standardError.write((message + "\n").data(using: .utf8)!)
            return code == .validationFailure ? ExitStatus.usage : code.rawValue
        }
    }
}

/// A command that reports its own exit status (the DVS ones do: 0, 1, 65).
protocol StatusCommand {
    mutating func runWithStatus() -> Int32
}

struct DVSCommand: ParsableCommand {
    static let version = Runtime.version
    static let configuration = CommandConfiguration(
        commandName: "dvs",
        abstract: "DVS: a small language for direct vision supervision research.",
        discussion: """
            dvs                  start the REPL (reads cells from stdin if not a terminal)
            dvs run file.dvs …   run a script; args() gives the arguments after it
            dvs -e 'expr'        evaluate one expression and print its value
            dvs notebook f.dvs   run a # %%-celled script and write an HTML page
                                 (--ipynb: a Jupyter notebook)
            dvs kernel install   make the Jupyter kernel known (docs/JUPYTER.md)
            dvs label pages/ …   OCR and label a folder of PNG pages into shards
            dvs help [topic]     help on a command (run, repl, notebook, kernel, label),
                                 a built-in or a topic (syntax, operators, errors)
            Exit codes: 0 success, 1 runtime error, 2 usage error, 65 parse error
            (dvs help notebook lists the notebook's own).
            """,
        version: version,
        subcommands: [ReplCommand.self, RunCommand.self, NotebookCommand.self, KernelCommand.self, LabelCommand.self],
        defaultSubcommand: ReplCommand.self
    )
}

/// Prints stdout output and a diagnostic, coloured on terminals.
enum Report {
    static func diagnostic(_ d: Diagnostic, color: Bool) {
        StandardOutput.endProgressLine()
        fflush(stdout)
        FileHandle.standardError.write(d.render(color: color).data(using: .utf8)!)
    }

    /// The UTF-8 text of a script, or nil after printing why it cannot be
    /// read (`dvs: cannot read 'a.dvs': permission denied`).
    static func source(_ path: String, prefix: String) -> String? {
        do {
            return try ReadFile.text(path)
        } catch {
            FileHandle.standardError.write("\(prefix): \(error.message)\n".data(using: .utf8)!)
            return nil
        }
    }

    static var stderrIsTerminal: Bool { isatty(2) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil }

    static func exitStatus(for d: Diagnostic) -> Int32 {
        d.phase == .syntax ? ExitStatus.parseError : ExitStatus.runtimeError
    }
}

struct RunCommand: ParsableCommand, StatusCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run a DVS script.")

    @Argument(help: "The script to run.") var file: String
    @Argument(parsing: .captureForPassthrough, help: "Arguments for the script (args()).") var scriptArguments: [String] = []

    mutating func run() throws { throw ExitCode(runWithStatus()) }

    mutating func runWithStatus() -> Int32 { Self.run(file, arguments: scriptArguments) }

    /// Runs the script at `file` with `arguments` for `args()`; the exit status.
    static func run(_ file: String, arguments: [String]) -> Int32 {
        guard let text = Report.source(file, prefix: "dvs") else { return ExitStatus.usage }
        let interpreter = makeInterpreter(arguments: arguments)
        do {
            try interpreter.run(Source(name: file, text: text))
            return ExitStatus.success
        } catch  where error.phase == .exit {
            return error.exitCode
        } catch {
            Report.diagnostic(error, color: Report.stderrIsTerminal)
            return Report.exitStatus(for: error)
        }
    }
}

/// A new interpreter for `run`, `-e` and the REPL: when stdout is a terminal,
/// `progress` rewrites one line in place (see `StandardOutput`).
func makeInterpreter(arguments: [String] = []) -> Interpreter {
    let interpreter = Runtime.makeInterpreter(arguments: arguments)
    if isatty(1) == 1 { interpreter.progressOutput = StandardOutput.writeProgress }
    return interpreter
}

enum HelpCommand {
    static func run(topic: String?) -> Int32 {
        guard let topic else {
            print(DVSCommand.helpMessage())
            print()
            print(Help.text(for: .null, in: Runtime.makeInterpreter()))
            return ExitStatus.success
        }
        if let command = DVSCommand.configuration.subcommands.first(where: { $0.configuration.commandName == topic }) {
            print(DVSCommand.helpMessage(for: command))
            return ExitStatus.success
        }
        print(Help.text(for: .string(topic), in: Runtime.makeInterpreter()))
        return ExitStatus.success
    }
}
