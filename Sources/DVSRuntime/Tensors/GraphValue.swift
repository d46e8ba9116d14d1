import DVSLang
import DVSRender
import DVSTensor
import Foundation

/// A captured computation graph as a DVS value: `graph(loss)`; `save(g, "g.svg")`,
/// `show(g)`, `g.dot`.
final class GraphValue: DVSObject {
    let graph: ComputationGraph
    init(_ graph: ComputationGraph) { self.graph = graph }

    var typeName: String { "graph" }

    var summary: String {
        let ops = graph.nodes.filter { $0.kind == .op }.count
        let params = graph.nodes.filter { $0.kind == .parameter }.count
        return "<graph: \(ops) op\(ops == 1 ? "" : "s"), \(params) parameter\(params == 1 ? "" : "s")>"
    }

    var memberNames: [String] { ["dot", "nodes", "ops", "parameters"] }

    func member(_ name: String) throws(NativeError) -> Value? {
        switch name {
        case "dot": return .string(graph.dot())
        case "nodes": return .number(Double(graph.nodes.count))
        case "ops": return .list(graph.nodes.filter { $0.kind == .op }.map { .string($0.op ?? "") })
        case "parameters": return .list(graph.nodes.filter { $0.kind == .parameter }.map { .string($0.name ?? "") })
        default: return nil
        }
    }

    /// Writes the graph as .svg, .png or .dot (atomically).
    func save(to path: String) throws(NativeError) {
        let ext = (path as NSString).pathExtension.lowercased()
        guard ["svg", "png", "dot", "gv"].contains(ext) else {
            throw NativeError("save: graphs are saved as .svg, .png or .dot, got '\(path)'")
        }
        do {
            try GraphvizRenderer.shared().write(dot: graph.dot(), to: path)
        } catch {
            throw NativeError("save: \(error)")
        }
    }
}
