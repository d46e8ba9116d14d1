import DVSLang
import Foundation

/// The REPL with stdin not a terminal: reads lines, runs each complete cell,
/// prints values without prompts or colours; exits 1 if any cell failed.
struct PipedREPL {
    let session: Session

    func run() -> Int32 {
        var failed = false
        var buffer = ""
        while let line = readLine(strippingNewline: false) {
            buffer += line
            if !session.isComplete(buffer) { continue }
            if session.run(buffer, prompts: false) == .failed { failed = true }
            buffer = ""
            if session.wantsQuit { break }
        }
        if !buffer.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, !session.wantsQuit {
            if session.run(buffer, prompts: false) == .failed { failed = true }  // reports the incomplete input
        }
        fflush(stdout)
        if session.exitCode != 0 { return session.exitCode }
        return failed ? ExitStatus.runtimeError : ExitStatus.success
    }
}
