/// Escaping for text that goes into an HTML page. Everything a notebook shows
/// that came from a cell (source, output, labels, Markdown text) passes through
/// here, so no cell can inject markup.
public enum HTMLText {
    /// `text` with `& < > " '` replaced by entities, safe both between tags and
    /// inside a quoted attribute value. Control characters other than tab, line
    /// feed and carriage return (which HTML forbids or drops) become their
    /// visible Control Pictures symbol (ESC shows as ␛).
    public static func escape(_ text: String) -> String { MarkupEscaping.escape(text, .pictures) }

    @inline(__always)
    static func append(_ scalar: Unicode.Scalar, to out: inout String) { MarkupEscaping.append(scalar, .pictures, to: &out) }

    /// `<pre class="…">` around already-escaped `html`. The HTML parser drops a
    /// line feed right after `<pre>`, so a leading one is doubled to survive.
    static func pre(_ html: String, class cls: String? = nil) -> String {
        let open = cls.map { "<pre class=\"\($0)\">" } ?? "<pre>"
        return open + (html.hasPrefix("\n") ? "\n" : "") + html + "</pre>"
    }

    /// The lines of `text`, split at "\n" with any "\r" before it dropped.
    /// (Splitting on Characters would not split "\r\n": it is one grapheme.)
    static func lines(_ text: String) -> [String] {
        text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            var view = Substring.UnicodeScalarView(line)
            while view.last == "\r" { view.removeLast() }
            return String(view)
        }
    }
}
