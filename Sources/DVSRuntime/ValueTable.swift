import DVSLang
import DVSRender

/// An HTML table for values that read better as one than as text: a list of
/// records that all have the same fields (one row per record, one column per
/// field), for notebooks and the Jupyter kernel (`text/html`).
public enum ValueTable {
    /// Lists longer than this stay text.
    static let maxRows = 200

    /// The table's HTML, or nil when `value` is no such list.
    public static func html(_ value: Value) -> String? {
        guard case .list(let list) = value, (1...maxRows).contains(list.items.count) else { return nil }
        var rows: [RecordObject] = []
        for item in list.items {
            guard case .record(let r) = item else { return nil }
            rows.append(r)
        }
        let keys = rows[0].keys
        guard !keys.isEmpty, rows.allSatisfy({ $0.keys == keys }) else { return nil }
        var html = "<table class=\"dvs-table\">\n<thead><tr>"
        html += keys.map { "<th>\(HTMLText.escape($0))</th>" }.joined()
        html += "</tr></thead>\n<tbody>\n"
        for row in rows {
            html += "<tr>" + row.values.map { "<td>\(HTMLText.escape($0.printed))</td>" }.joined() + "</tr>\n"
        }
        return html + "</tbody>\n</table>"
    }
}
