#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's stdout (buffered), where `print` goes unless the REPL or a
/// notebook captures it. It may end with one open progress line: text from
/// `writeProgress` stays on its line, the next `writeProgress` rewrites it in
/// place, and any other output first ends it, so it starts on a fresh line.
public enum StandardOutput {
    private static var progressLineOpen = false

    /// Writes `text`, ending an open progress line first.
    public static func write(_ text: String) {
        if text.isEmpty { return }
        endProgressLine()
        put(text)
    }

    /// Replaces the progress line with `text` (carriage return, the text, then
    /// erase to the end of the line: for terminals) and flushes it at once.
    public static func writeProgress(_ text: String) {
        put("\r" + text + "\u{1B}[K")
        fflush(stdout)
        progressLineOpen = true
    }

    /// Ends an open progress line with a newline (before an error message, a
    /// prompt, or the end of the program); nothing when none is open.
    public static func endProgressLine() {
        guard progressLineOpen else { return }
        progressLineOpen = false
        put("\n")
    }

    private static func put(_ text: String) {
        var s = text
        s.withUTF8 { buf in _ = fwrite(buf.baseAddress, 1, buf.count, stdout) }
    }
}
