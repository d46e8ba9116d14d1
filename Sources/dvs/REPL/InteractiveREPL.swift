import CReadline
import DVSLang
import DVSRuntime
import Foundation

/// The terminal REPL on GNU readline: line editing, history in `~/.dvs_history`
/// (or `$DVS_HISTORY`), tab completion, multi-line cells while brackets or
/// strings are open, and Ctrl-C that cancels the line or interrupts a cell.
struct InteractiveREPL {
    let session: Session

    func run() -> Int32 {
        let historyPath =
            ProcessInfo.processInfo.environment["DVS_HISTORY"]
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".dvs_history")
        LineEditor.install(completer: Completer(interpreter: session.interpreter, commands: Session.commands.map(\.name)))
        read_history(historyPath)
        print("DVS \(DVSCommand.version) — :help for help, Ctrl-D to quit")
        var buffer = ""
        while !session.wantsQuit {
            fflush(stdout)
            let prompt = buffer.isEmpty ? session.prompt : session.continuationPrompt
            guard let line = LineEditor.readLine(prompt: prompt) else {
                if !buffer.isEmpty { buffer = ""; print(); continue }
                print()
                break  // Ctrl-D
            }
            if LineEditor.takeInterrupt() {
                buffer = ""  // Ctrl-C at the prompt: drop the line (and any open cell)
                continue
            }
            buffer += buffer.isEmpty ? line : "\n" + line
            if !session.isComplete(buffer) { continue }
            let cell = buffer
            buffer = ""
            if !cell.trimmingCharacters(in: .whitespaces).isEmpty {
                add_history(cell)
                append_history(1, historyPath)
            }
            let outcome = session.run(cell, prompts: true)
            if outcome == .failed, Interrupt.isRequested { Interrupt.clear() }
        }
        history_truncate_file(historyPath, 10_000)
        return session.exitCode
    }
}

/// The thin layer over readline's C API.
enum LineEditor {
    nonisolated(unsafe) static var completer: Completer?
    nonisolated(unsafe) static var candidates: [String] = []

    static func install(completer: Completer) {
        LineEditor.completer = completer
        Interrupt.clear()
        dvs_rl_set_readline_name("dvs")
        dvs_rl_set_catch_signals(0)
        dvs_rl_set_getc(readKey)
        dvs_history_keep_multiline_entries()
        dvs_rl_set_completion(completionHook)
        // List the candidates at once when a Tab cannot decide (sor → sort, sorted),
        // instead of ringing the bell until a third Tab.
        rl_variable_bind("show-all-if-ambiguous", "on")
        dvs_rl_set_word_break_characters(Completer.wordBreaks)
        installInterruptHandler()
        // The history file may not exist yet: create it (never replacing
        // anything, and through a link to it) so append_history works.
        let path =
            ProcessInfo.processInfo.environment["DVS_HISTORY"]
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".dvs_history")
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_NONBLOCK | O_CLOEXEC, 0o600)
        if fd >= 0 { close(fd) }
    }

    /// A self-pipe: the SIGINT handler writes a byte, `readKey` waits on the
    /// terminal and the pipe together, so Ctrl-C ends the line whichever thread
    /// received the signal and whatever readline was doing at that moment.
    nonisolated(unsafe) static var interruptPipe: [Int32] = [-1, -1]

    private static func installInterruptHandler() {
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) == 0 {
            for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
            interruptPipe = fds
        }
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            Interrupt.request()
            var byte: UInt8 = 1
            _ = write(LineEditor.interruptPipe[1], &byte, 1)
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        sigaction(SIGINT, &action, nil)
    }

    /// Empties the self-pipe (a Ctrl-C that interrupted a running cell must not
    /// also cancel the next line).
    static func drainInterrupts() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(interruptPipe[0], &buffer, buffer.count) > 0 {}
    }

    static func readLine(prompt: String) -> String? {
        drainInterrupts()
        Interrupt.clear()
        guard let raw = readline(prompt) else { return nil }
        defer { free(raw) }
        return String(cString: raw)
    }

    /// True (once) when the last readLine ended by Ctrl-C.
    static func takeInterrupt() -> Bool {
        guard Interrupt.isRequested else { return false }
        Interrupt.clear()
        return true
    }
}

/// readline's key reader: waits for a key or a Ctrl-C (a byte in the
/// interrupt pipe); on Ctrl-C it empties the line and ends it, so the prompt
/// returns at once.
private func readKey(_ stream: UnsafeMutablePointer<FILE>?) -> Int32 {
    let input = fileno(stream ?? stdin)
    var fds = [
        pollfd(fd: input, events: Int16(POLLIN), revents: 0),
        pollfd(fd: LineEditor.interruptPipe[0], events: Int16(POLLIN), revents: 0),
    ]
    while true {
        if Interrupt.isRequested || fds[1].revents != 0 {
            LineEditor.drainInterrupts()
            rl_replace_line("", 0)
            fputs("^C", stdout)
            fflush(stdout)
            Interrupt.request()  // takeInterrupt() reports it once the line has ended
            return Int32(UInt8(ascii: "\n"))
        }
        fds[0].revents = 0
        fds[1].revents = 0
        let ready = poll(&fds, LineEditor.interruptPipe[0] >= 0 ? 2 : 1, -1)
        if ready < 0 {
            if errno == EINTR { continue }
            return EOF
        }
        if fds[1].revents != 0 { continue }
        if fds[0].revents != 0 {
            var byte: UInt8 = 0
            let n = read(input, &byte, 1)
            if n == 1 { return Int32(byte) }
            if n < 0, errno == EINTR || errno == EAGAIN { continue }
            return EOF
        }
    }
}

private func completionHook(_ text: UnsafePointer<CChar>?, _ start: Int32, _ end: Int32) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
    dvs_rl_set_completion_over(1)
    guard let text, let completer = LineEditor.completer else { return nil }
    let word = String(cString: text)
    let line = String(cString: dvs_rl_line_buffer())
    let before = String(decoding: Array(line.utf8).prefix(Int(start)), as: UTF8.self)
    switch completer.complete(word: word, lineBefore: before) {
    case .path:
        dvs_rl_set_completion_append_character(0)
        return rl_completion_matches(text, rl_filename_completion_function)
    case .words(let words):
        LineEditor.candidates = words
        dvs_rl_set_completion_append_character(0)
        return rl_completion_matches(text, candidateGenerator)
    }
}

private func candidateGenerator(_ text: UnsafePointer<CChar>?, _ state: Int32) -> UnsafeMutablePointer<CChar>? {
    let i = Int(state)
    guard i < LineEditor.candidates.count else { return nil }
    return strdup(LineEditor.candidates[i])
}
