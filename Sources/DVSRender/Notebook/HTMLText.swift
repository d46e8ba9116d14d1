/// Escaping for text that goes into an HTML page. Everything a notebook shows
/// that came from a cell (source, output, labels, Markdown text) passes through
/// here, so no cell can inject markup.
enum HTMLText {
    /// `text` with `& < > " '` replaced by entities, safe both between tags and
    /// inside a quoted attribute value. Control characters other than tab, line
    /// feed and carriage return (which HTML forbids or drops) become their
    /// visible Control Pictures symbol (ESC shows as ␛).
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + text.utf8.count / 8)
        for scalar in text.unicodeScalars {
            append(scalar, to: &out)
        }
        return out
    }

    @inline(__always)
    static func append(_ scalar: Unicode.Scalar, to out: inout String) {
        switch scalar {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
        default:
            if scalar.value < 0x20 {
                out.unicodeScalars.append(Unicode.Scalar(0x2400 + scalar.value)!)
            } else if scalar.value == 0x7F {
                out.unicodeScalars.append("\u{2421}")
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }

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
