import DVSTensor

/// How `DOT.source(of:)` draws a computation graph.
public struct DOTOptions: Equatable, Sendable {
    /// Which way data flows on the page.
    public enum Direction: String, Sendable {
        /// Inputs at the top, the output (the loss) at the bottom.
        case topToBottom = "TB"
        /// Inputs at the bottom, the output (the loss) at the top.
        case bottomToTop = "BT"
        case leftToRight = "LR"
    }

    public var direction: Direction
    /// A caption above the picture.
    public var title: String?
    /// Draw leaves that don't need gradients (inputs, labels, constants).
    /// One-element constants that an op's detail already shows ("× 0.5") are
    /// never drawn.
    public var showConstants: Bool
    public var fontName: String

    public init(
        direction: Direction = .topToBottom, title: String? = nil,
        showConstants: Bool = true, fontName: String = "DejaVu Sans"
    ) {
        self.direction = direction
        self.title = title
        self.showConstants = showConstants
        self.fontName = fontName
    }
}

/// Graphviz DOT text for computation graphs: a pure function of the graph.
///
/// - scopes are nested clusters (a collapsed run reads "block0 … block3 (×4)");
/// - ops are rounded blue boxes: the op name in bold, its detail below;
/// - parameters are green notes with their name and shape, and "∇ grad" once
///   a gradient is present; inputs and constants are small dashed gray boxes
///   (name or "const", and shape; a one-element constant shows its value);
/// - any node whose values hold NaN/Inf is red and says so;
/// - the output is outlined in bold with its shape;
/// - edges carry the shape flowing along them ("32×48×512").
public enum DOT {
    public static func source(of graph: ComputationGraph, options: DOTOptions = DOTOptions()) -> String {
        let hidden = hiddenNodes(graph, options)
        var out = ""
        out.reserveCapacity(256 + graph.nodes.count * 200)
        let font = quoted(options.fontName)
        out += "digraph computation {\n"
        out += "  graph [rankdir=\(options.direction.rawValue), fontname=\(font), fontsize=11, nodesep=0.3, ranksep=0.4, newrank=true"
        if let title = options.title {
            out += ", label=<<b>\(escapeHTML(title))</b>>, labelloc=t, fontsize=13"
        }
        out += "];\n"
        out += "  node [fontname=\(font), fontsize=10, margin=\"0.12,0.05\", height=0.3];\n"
        out += "  edge [fontname=\(font), fontsize=8, color=\"#666666\", fontcolor=\"#555555\", arrowsize=0.6];\n"

        // Scopes as a tree of clusters, children in order of first appearance.
        let tree = ScopeTree(graph, hidden: hidden)
        let repeated = Dictionary(graph.repeatedScopes.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        var clusterCount = 0
        func emit(_ index: Int, depth: Int) {
            let scope = tree.scopes[index]
            let indent = String(repeating: "  ", count: Swift.max(depth, 1))
            if depth > 0 {
                clusterCount += 1
                let r = repeated[scope.path]
                let label = r.map { "<b>\(escapeHTML($0.label))</b>" } ?? "<b>\(escapeHTML(scope.path.last ?? ""))</b>"
                let fill = clusterFills[(depth - 1) % clusterFills.count]
                out += "\(indent)subgraph cluster_\(clusterCount) {\n"
                out += "\(indent)  label=<\(label)>; labeljust=l; fontsize=11; style=\"rounded,filled\"; "
                out += r == nil ? "color=\"#9fb0c8\"; fillcolor=\"\(fill)\";\n" : "color=\"#7a5fa8\"; penwidth=1.6; fillcolor=\"#f4effa\";\n"
            }
            let inner = String(repeating: "  ", count: depth + 1)
            for id in scope.nodes { out += inner + nodeStatement(graph.nodes[id], graph) + "\n" }
            for child in scope.children { emit(child, depth: depth + 1) }
            if depth > 0 { out += "\(indent)}\n" }
        }
        emit(0, depth: 0)

        for edge in graph.edges where !hidden[edge.from] && !hidden[edge.to] {
            out += "  n\(edge.from) -> n\(edge.to) [label=\(quoted(shapeLabel(edge.shape)))"
            if graph.nodes[edge.from].hasNonFinite { out += ", color=\"#cc0000\", fontcolor=\"#cc0000\"" }
            out += "];\n"
        }
        out += "}\n"
        return out
    }

    // MARK: Nodes

    private static let clusterFills = ["#f5f8fc", "#eaf0f8", "#dfe8f3"]

    private static func nodeStatement(_ node: ComputationGraph.Node, _ graph: ComputationGraph) -> String {
        var lines: [String] = []
        var attrs: [String] = []
        switch node.kind {
        case .op:
            lines.append("<b>\(escapeHTML(node.op ?? "op"))</b>")
            if let detail = node.detail, !detail.isEmpty {
                lines.append("<font point-size=\"9\">\(escapeHTML(tidyNumbers(detail)))</font>")
            }
            attrs += ["shape=box", "style=\"rounded,filled\"", "fillcolor=\"#e8eef8\"", "color=\"#4a6fa5\""]
        case .parameter:
            lines.append("<b>\(escapeHTML(node.name ?? "parameter"))</b>")
            lines.append("<font point-size=\"8\">\(escapeHTML(shapeLabel(node.shape)))</font>")
            if node.hasGrad { lines.append("<font point-size=\"8\" color=\"#2e6b1f\"><b>∇ grad</b></font>") }
            attrs += ["shape=note", "style=filled", "fillcolor=\"\(node.hasGrad ? "#cfe8c2" : "#e6f2df")\"", "color=\"#4f8a3a\""]
        case .constant:
            if node.name == nil, let value = node.scalarValue {
                lines.append(escapeHTML(tidyNumbers(formatFloat(value))))
            } else {
                lines.append(escapeHTML(node.name ?? "const"))
                lines.append("<font point-size=\"7\">\(escapeHTML(shapeLabel(node.shape)))</font>")
            }
            attrs += [
                "shape=box", "style=\"filled,dashed\"", "fillcolor=\"#f4f4f4\"", "color=\"#9a9a9a\"",
                "fontsize=8", "fontcolor=\"#444444\"", "height=0.2", "margin=\"0.06,0.03\"",
            ]
        }
        if node.hasNonFinite {
            let what = [node.hasNaN ? "NaN" : nil, node.hasInf ? "Inf" : nil].compactMap { $0 }.joined(separator: " · ")
            lines.append("<font color=\"#b00000\"><b>⚠ \(what)</b></font>")
            attrs = attrs.filter { !$0.hasPrefix("fillcolor=") && !$0.hasPrefix("color=") && !$0.hasPrefix("fontcolor=") }
            attrs += ["fillcolor=\"#ffd9d9\"", "color=\"#cc0000\"", "fontcolor=\"#7a0000\"", "penwidth=2"]
        }
        if node.isOutput {
            if node.kind == .op {
                lines.append("<font point-size=\"8\">output \(escapeHTML(shapeLabel(node.shape)))</font>")
            }
            attrs = attrs.filter { !$0.hasPrefix("penwidth=") }
            if !node.hasNonFinite {
                attrs = attrs.filter { !$0.hasPrefix("color=") }
                attrs.append("color=\"#1f3b73\"")
            }
            attrs.append("penwidth=2.5")
        }
        return "n\(node.id) [label=<\(lines.joined(separator: "<br/>"))>, \(attrs.joined(separator: ", "))];"
    }

    /// Constants not drawn: all of them without `showConstants`; one-element
    /// constants whose every user's detail already shows the value ("× 0.5").
    private static func hiddenNodes(_ graph: ComputationGraph, _ options: DOTOptions) -> [Bool] {
        var hidden = [Bool](repeating: false, count: graph.nodes.count)
        var usersShowValue = [Bool](repeating: true, count: graph.nodes.count)
        for edge in graph.edges {
            let from = graph.nodes[edge.from]
            guard from.kind == .constant, let value = from.scalarValue else { continue }
            let detail = graph.nodes[edge.to].detail.map(tidyNumbers) ?? ""
            if !detail.contains(tidyNumbers(formatFloat(value))) { usersShowValue[edge.from] = false }
        }
        for node in graph.nodes where node.kind == .constant && !node.isOutput {
            hidden[node.id] = !options.showConstants || (node.scalarValue != nil && usersShowValue[node.id])
        }
        return hidden
    }

    /// Visible nodes grouped by scope path, as a tree (index 0 is the root).
    private struct ScopeTree {
        struct Scope { var path: [String]; var nodes: [Int] = []; var children: [Int] = [] }
        var scopes: [Scope] = [Scope(path: [])]

        init(_ graph: ComputationGraph, hidden: [Bool]) {
            var index: [[String]: Int] = [[]: 0]
            for node in graph.nodes where !hidden[node.id] {
                var parent = 0
                for depth in 0..<node.scope.count {
                    let path = Array(node.scope[...depth])
                    if let existing = index[path] {
                        parent = existing
                    } else {
                        let new = scopes.count
                        scopes.append(Scope(path: path))
                        scopes[parent].children.append(new)
                        index[path] = new
                        parent = new
                    }
                }
                scopes[parent].nodes.append(node.id)
            }
        }
    }

    // MARK: Text

    /// "32×48×512"; "scalar" for a 0-d shape.
    public static func shapeLabel(_ shape: [Int]) -> String {
        shape.isEmpty ? "scalar" : shape.map(String.init).joined(separator: "×")
    }

    /// Text for inside an HTML-like label: `& < > "` escaped, newlines as
    /// line breaks, other control characters dropped.
    public static func escapeHTML(_ s: String) -> String { MarkupEscaping.escape(s, .lineBreaks) }

    /// A DOT double-quoted string: backslashes and quotes escaped, newlines as `\n`.
    public static func quoted(_ s: String) -> String {
        var out = "\""
        for ch in s.unicodeScalars {
            switch ch {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\r": continue
            default:
                if ch.value < 0x20 || ch.value == 0x7F { continue }
                out.unicodeScalars.append(ch)
            }
        }
        return out + "\""
    }

    /// Drops trailing zeros of decimal numbers for display: "× 0.5000" → "× 0.5",
    /// "1.2500e-05" → "1.25e-05", "2.0000" → "2".
    static func tidyNumbers(_ s: String) -> String {
        guard s.contains(".") else { return s }
        let chars = Array(s)
        var out = ""
        var i = 0
        while i < chars.count {
            // A run of digits, a point, and more digits.
            guard chars[i].isASCII, chars[i].isNumber else { out.append(chars[i]); i += 1; continue }
            var j = i
            while j < chars.count, chars[j].isASCII, chars[j].isNumber { j += 1 }
            out += String(chars[i..<j])
            if j + 1 < chars.count, chars[j] == ".", chars[j + 1].isASCII, chars[j + 1].isNumber {
                var k = j + 1
                while k < chars.count, chars[k].isASCII, chars[k].isNumber { k += 1 }
                var fraction = chars[(j + 1)..<k]
                while fraction.last == "0" { fraction = fraction.dropLast() }
                if !fraction.isEmpty { out += "." + String(fraction) }
                j = k
            }
            i = j
        }
        return out
    }
}

extension ComputationGraph {
    /// Graphviz DOT text for this graph (see `DOT.source(of:options:)`).
    public func dot(options: DOTOptions = DOTOptions()) -> String {
        DOT.source(of: self, options: options)
    }
}
