import DVSLang
import DVSTensor
import DVSVision

/// Grid methods: natives whose first parameter is the grid (`grid.region(i)`);
/// `index` is also the list function, which dispatches here for a grid.
enum GridMethods {
    private static let receiver = NativeFunction.Parameter("grid", .grid)

    static let all: [NativeFunction] = [
        NativeFunction("region", [receiver, .init("token", .whole)], returns: "box", help: "The pixel region of visual token i (row-major).") { a in
            let g = try a.grid(0).grid, i = try a.int(1)
            return BoxValue.wrap(try libraryCall { () throws(VisionError) in try g.region(ofToken: i) })
        },
        NativeFunction(
            "index", [receiver, .init("row", .whole), .init("col", .whole)], returns: "number",
            help: "The visual token index at (row, col)."
        ) { a in
            let g = try a.grid(0).grid, r = try a.int(1), c = try a.int(2)
            return .number(Double(try libraryCall { () throws(VisionError) in try g.index(row: r, col: c) }))
        },
        NativeFunction("position", [receiver, .init("token", .whole)], returns: "list", help: "[row, col] of visual token i.") { a in
            let g = try a.grid(0).grid, i = try a.int(1)
            let p = try libraryCall { () throws(VisionError) in try g.position(ofToken: i) }
            return .list([.number(Double(p.row)), .number(Double(p.col))])
        },
        NativeFunction(
            "patches", [receiver], returns: "tensor",
            help: "The image's patches as a tensor [patches, patch·patch·channels]: patches row-major, each flattened channel, row, column."
        ) { a in
            let value = try a.grid(0)
            guard let image = value.image else { throw NativeError("patches: this grid was made without an image") }
            return try TensorValue.result { () throws(VisionError) in try value.grid.patches(of: image) }
        },
    ]
}
