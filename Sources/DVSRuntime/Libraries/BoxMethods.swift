import DVSLang
import DVSVision

/// Box methods: natives whose first parameter is the box (`b.iou(other)`);
/// `contains` is also the list function, which dispatches here for a box.
enum BoxMethods {
    private static let receiver = NativeFunction.Parameter("box", .box)

    static let all: [NativeFunction] = [
        NativeFunction("iou", [receiver, .init("other", .box)], returns: "number", help: "Intersection over union with another box.") { a in
            .number(try a.box(0).iou(try a.box(1)))
        },
        NativeFunction("intersection", [receiver, .init("other", .box)], returns: "box", help: "The overlapping part of two boxes.") { a in
            BoxValue.wrap(try a.box(0).intersection(try a.box(1)))
        },
        NativeFunction(
            "contains", [receiver, .init("x", .number), .init("y", .number)], returns: "bool",
            help: "Whether the point lies inside the box (right and bottom edges excluded)."
        ) { a in
            .bool(try a.box(0).contains(x: try a.number(1), y: try a.number(2)))
        },
    ]
}
