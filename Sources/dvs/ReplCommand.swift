import ArgumentParser
import DVSLang
import DVSRuntime
import Foundation

/// `dvs` and `dvs -e 'expr'`: the REPL, or one expression.
struct ReplCommand: ParsableCommand, StatusCommand {
    static let configuration = CommandConfiguration(commandName: "repl", abstract: "Start the interactive REPL (the default).")

    /// `.unconditional`: the value may start with "-" (`dvs -e '-2 ** 2'`).
    @Option(
        name: [.customShort("e"), .customLong("eval")], parsing: .unconditional,
        help: ArgumentHelp("Evaluate one expression (or cell) and print its value.", valueName: "expr"))
    var expression: String?

    mutating func run() throws { throw ExitCode(runWithStatus()) }

    mutating func runWithStatus() -> Int32 {
        if let expression {
            let interpreter = makeInterpreter()
            do {
                let result = try interpreter.run(Source(name: "<-e>", text: expression))
                if result.isExpression, !isNil(result.value) { interpreter.output(result.value.repr + "\n") }
                return ExitStatus.success
            } catch  where error.phase == .exit {
                return error.exitCode
            } catch {
                Report.diagnostic(error, color: Report.stderrIsTerminal)
                return Report.exitStatus(for: error)
            }
        }
        let session = Session(interpreter: makeInterpreter(), color: isatty(1) == 1 && isatty(0) == 1)
        if isatty(0) == 1 {
            return InteractiveREPL(session: session).run()
        }
        return PipedREPL(session: session).run()
    }
}

func isNil(_ v: Value) -> Bool {
    if case .null = v { return true }
    return false
}
