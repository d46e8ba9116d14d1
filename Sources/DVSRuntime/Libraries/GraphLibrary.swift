import DVSLang
import DVSRender
import DVSTensor
import Foundation

enum GraphLibrary {
    static let functions: [NativeFunction] = [
        NativeFunction(
            "graph", [.init("t", .tensor), .init("collapse", .bool, default: .bool(false))], returns: "graph",
            help:
                "The computation graph behind a tensor: ops, shapes, parameters (named by their record paths), which have grads, NaN/Inf flags, scope(…) clusters. collapse: true draws repeated blocks (block0…block3) once. save(g, \"g.svg\" | \"g.png\" | \"g.dot\"), show(g)."
        ) { a in
            let t = try a.tensor(0), collapse = try a.bool(1)
            return .object(GraphValue(ComputationGraph.capture(t, collapseRepeats: collapse)))
        }
    ]

    static let saver = SaveLoadLibrary.Saver(GraphValue.self, what: "a graph (.svg, .png, .dot)") { o, path in
        try o.save(to: path)
    }
}
