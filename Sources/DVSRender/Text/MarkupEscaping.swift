/// The one escaper for the markup DVS writes: notebook pages (HTML), charts
/// (SVG, which is XML) and Graphviz HTML-like labels. `& < > "` always become
/// entities; what differs is how each format lets control characters through.
enum MarkupEscaping {
    enum Controls {
        /// HTML pages: tab, line feed and carriage return kept, other control
        /// characters shown as their Control Pictures symbol (ESC as ␛), and `'`
        /// escaped too, so the text is safe in attributes quoted either way.
        case pictures
        /// XML 1.0 forbids most control characters: each becomes a space.
        case spaces
        /// Graphviz labels: a line feed becomes `<br/>`, other control characters are dropped.
        case lineBreaks
    }

    static func escape(_ text: String, _ controls: Controls) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + text.utf8.count / 8)
        for scalar in text.unicodeScalars { append(scalar, controls, to: &out) }
        return out
    }

    @inline(__always)
    static func append(_ scalar: Unicode.Scalar, _ controls: Controls, to out: inout String) {
        switch scalar {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'" where controls == .pictures: out += "&#39;"
        default:
            let isControl = scalar.value < 0x20 || scalar.value == 0x7F
            guard isControl else { out.unicodeScalars.append(scalar); return }
            switch controls {
            case .pictures:
                if scalar == "\t" || scalar == "\n" || scalar == "\r" {
                    out.unicodeScalars.append(scalar)
                } else {
                    out.unicodeScalars.append(Unicode.Scalar(scalar.value == 0x7F ? 0x2421 : 0x2400 + scalar.value)!)
                }
            case .spaces:
                // DEL is allowed in XML 1.0; the C0 controls are not.
                if scalar.value == 0x7F { out.unicodeScalars.append(scalar) } else { out += " " }
            case .lineBreaks:
                if scalar == "\n" { out += "<br/>" }
            }
        }
    }
}
