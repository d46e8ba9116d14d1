import DVSTensor
import DVSVision
import XCTest

final class PatchGridTests: XCTestCase {
    func testReferenceShape() throws {
        let g = try PatchGrid(imageWidth: 224, imageHeight: 56, channels: 1, patch: 14, merge: 2)
        XCTAssertEqual(g.patchRows, 4)
        XCTAssertEqual(g.patchCols, 16)
        XCTAssertEqual(g.patchCount, 64)
        XCTAssertEqual(g.patchLength, 196)
        XCTAssertEqual(g.tokenRows, 2)
        XCTAssertEqual(g.tokenCols, 8)
        XCTAssertEqual(g.tokenCount, 16)
        XCTAssertEqual(g.tokenSide, 28)
        XCTAssertEqual(g.paddedWidth, 224)
        XCTAssertEqual(g.paddedHeight, 56)
        XCTAssertFalse(g.isPadded)
        let img = try Image(width: 224, height: 56)
        XCTAssertEqual(try PatchGrid(image: img), g, "defaults are patch 14, merge 2")
        XCTAssertEqual(try g.patches(of: img).shape, [64, 196])
    }

    func testRegions() throws {
        let g = try PatchGrid(imageWidth: 224, imageHeight: 56)
        func xywh(_ b: Box) -> [Double] { [b.x, b.y, b.w, b.h] }
        XCTAssertEqual(xywh(try g.region(ofToken: 0)), [0, 0, 28, 28])
        XCTAssertEqual(xywh(try g.region(ofToken: 7)), [196, 0, 28, 28])
        XCTAssertEqual(xywh(try g.region(ofToken: 8)), [0, 28, 28, 28])
        XCTAssertEqual(xywh(try g.region(ofToken: 9)), [28, 28, 28, 28])
        XCTAssertEqual(xywh(try g.region(ofToken: 15)), [196, 28, 28, 28])
        XCTAssertEqual(g.regions.count, 16)
        XCTAssertEqual(g.regions.map(\.area).reduce(0, +), 224 * 56, "regions tile the image")
        XCTAssertEqual(xywh(try g.patchRegion(ofPatch: 17)), [14, 14, 14, 14])
        XCTAssertThrowsError(try g.region(ofToken: 16)) { XCTAssertTrue("\($0)".contains("token 16 is outside 0..<16")) }
        XCTAssertThrowsError(try g.region(ofToken: -1))
    }

    func testIndexRoundTrip() throws {
        let g = try PatchGrid(imageWidth: 224, imageHeight: 56)
        for t in 0..<g.tokenCount {
            let (r, c) = try g.position(ofToken: t)
            XCTAssertEqual(try g.index(row: r, col: c), t)
        }
        XCTAssertEqual(try g.index(row: 1, col: 2), 10)
        XCTAssertTrue(try g.position(ofToken: 10) == (1, 2))
        for p in 0..<g.patchCount {
            let (r, c) = try g.patchPosition(ofPatch: p)
            XCTAssertEqual(try g.patchIndex(row: r, col: c), p)
        }
        XCTAssertEqual(try g.patchIndex(row: 2, col: 3), 35)
        XCTAssertThrowsError(try g.index(row: 2, col: 0)) { XCTAssertTrue("\($0)".contains("outside the 2×8 token grid")) }
        XCTAssertThrowsError(try g.index(row: 0, col: 8))
        XCTAssertThrowsError(try g.patchIndex(row: 4, col: 0))
        XCTAssertThrowsError(try g.patchPosition(ofPatch: 64))
    }

    /// value = 100·c + 10·y + x, so every element says where it came from.
    private func coded(width: Int, height: Int, channels: Int) throws -> Image {
        var img = try Image(width: width, height: height, channels: channels)
        for c in 0..<channels { for y in 0..<height { for x in 0..<width { img[c, y, x] = Float(100 * c + 10 * y + x) } } }
        return img
    }

    func testPatchValuesExactOrder() throws {
        // 4×4 RGB, 2-px patches, no merge: 2×2 patches of 12 values.
        let img = try coded(width: 4, height: 4, channels: 3)
        let g = try PatchGrid(image: img, patch: 2, merge: 1)
        let t = try g.patches(of: img)
        XCTAssertEqual(t.shape, [4, 12])
        let v = try t.toArray()
        // Patch 0 (top-left): channel 0 rows 0–1 cols 0–1, then channel 1, then 2.
        XCTAssertEqual(Array(v[0..<12]), [0, 1, 10, 11, 100, 101, 110, 111, 200, 201, 210, 211])
        // Patch 1 (top-right): x 2–3.
        XCTAssertEqual(Array(v[12..<24]), [2, 3, 12, 13, 102, 103, 112, 113, 202, 203, 212, 213])
        // Patch 2 (bottom-left): y 2–3.
        XCTAssertEqual(Array(v[24..<36]), [20, 21, 30, 31, 120, 121, 130, 131, 220, 221, 230, 231])
        XCTAssertEqual(Array(v[36..<48]), [22, 23, 32, 33, 122, 123, 132, 133, 222, 223, 232, 233])
    }

    /// The general formula (torch unfold/permute/reshape convention), on an odd-sized RGB image.
    func testPatchValuesMatchFormula() throws {
        let img = try coded(width: 9, height: 5, channels: 3)
        let g = try PatchGrid(image: img, patch: 2, merge: 2)
        XCTAssertEqual([g.paddedWidth, g.paddedHeight], [12, 8])
        let v = try g.patches(of: img).toArray()
        let p = 2
        for pr in 0..<g.patchRows {
            for pc in 0..<g.patchCols {
                for c in 0..<3 {
                    for py in 0..<p {
                        for px in 0..<p {
                            let y = pr * p + py, x = pc * p + px
                            let expected: Float = (y < 5 && x < 9) ? img[c, y, x] : 0
                            XCTAssertEqual(v[(pr * g.patchCols + pc) * g.patchLength + (c * p + py) * p + px], expected)
                        }
                    }
                }
            }
        }
    }

    func testPaddingRule() throws {
        // 30×20 with 28-px tokens pads to 56×28 (right and bottom).
        let g = try PatchGrid(imageWidth: 30, imageHeight: 20, channels: 1, patch: 14, merge: 2)
        XCTAssertTrue(g.isPadded)
        XCTAssertEqual([g.paddedWidth, g.paddedHeight], [56, 28])
        XCTAssertEqual([g.patchRows, g.patchCols, g.tokenRows, g.tokenCols], [2, 4, 1, 2])
        XCTAssertEqual(try g.region(ofToken: 1).x, 28)
        XCTAssertEqual(try g.region(ofToken: 1).w, 28, "edge regions are not clipped to the image")

        // A 3×3 image of ones with 2-px patches: the padding is 0 on the right/bottom.
        let ones = try Image(width: 3, height: 3, channels: 1, fill: 1)
        let small = try PatchGrid(image: ones, patch: 2, merge: 1)
        XCTAssertEqual([small.paddedWidth, small.paddedHeight], [4, 4])
        let v = try small.patches(of: ones).toArray()
        XCTAssertEqual(Array(v[0..<4]), [1, 1, 1, 1])
        XCTAssertEqual(Array(v[4..<8]), [1, 0, 1, 0])  // top-right: column 3 is padding
        XCTAssertEqual(Array(v[8..<12]), [1, 1, 0, 0])  // bottom-left: row 3 is padding
        XCTAssertEqual(Array(v[12..<16]), [1, 0, 0, 0])

        let padded = try small.paddedImage(ones)
        XCTAssertEqual([padded.width, padded.height], [4, 4])
        XCTAssertEqual(padded[0, 2, 2], 1)
        XCTAssertEqual(padded[0, 3, 3], 0)

        // Merge matters for padding: a 28-px image with 14-px patches and merge 3 pads to 42.
        let m3 = try PatchGrid(imageWidth: 28, imageHeight: 28, patch: 14, merge: 3)
        XCTAssertEqual([m3.paddedWidth, m3.patchCols, m3.tokenCount], [42, 3, 1])
    }

    func testMergedIndicesOrder() throws {
        let g = try PatchGrid(imageWidth: 224, imageHeight: 56)
        XCTAssertEqual(try g.mergedPatchIndices(ofToken: 0), [0, 1, 16, 17])  // TL, TR, BL, BR
        XCTAssertEqual(try g.mergedPatchIndices(ofToken: 1), [2, 3, 18, 19])
        XCTAssertEqual(try g.mergedPatchIndices(ofToken: 9), [34, 35, 50, 51])
        XCTAssertEqual(try g.mergedPatchIndices(ofToken: 15), [46, 47, 62, 63])
        let order = g.mergeOrder
        XCTAssertEqual(order.count, 64)
        XCTAssertEqual(Set(order).count, 64, "a permutation of the patches")
        XCTAssertEqual(Array(order[36..<40]), [34, 35, 50, 51])
        // Every merged patch lies inside its token's region.
        for t in 0..<g.tokenCount {
            let region = try g.region(ofToken: t)
            for p in try g.mergedPatchIndices(ofToken: t) {
                XCTAssertEqual(region.intersection(try g.patchRegion(ofPatch: p)).area, 196)
            }
        }
        let m3 = try PatchGrid(imageWidth: 6, imageHeight: 3, patch: 1, merge: 3)
        XCTAssertEqual(try m3.mergedPatchIndices(ofToken: 1), [3, 4, 5, 9, 10, 11, 15, 16, 17])
        XCTAssertThrowsError(try g.mergedPatchIndices(ofToken: 16))
    }

    func testTensorInputAndBatch() throws {
        let img = try coded(width: 5, height: 3, channels: 1)
        let g = try PatchGrid(image: img, patch: 2, merge: 1)
        let fromImage = try g.patches(of: img).toArray()
        XCTAssertEqual(try g.patches(ofTensor: try Tensor(shape: [3, 5], values: img.pixels)).toArray(), fromImage)
        XCTAssertEqual(try g.patches(ofTensor: img.tensor()).toArray(), fromImage)
        let batch = try Tensor(shape: [2, 1, 3, 5], values: img.pixels + img.pixels.map { -$0 })
        let out = try g.patches(ofTensor: batch)
        XCTAssertEqual(out.shape, [2, g.patchCount, 4])
        let values = try out.toArray()
        XCTAssertEqual(Array(values[0..<fromImage.count]), fromImage)
        XCTAssertEqual(Array(values[fromImage.count...]), fromImage.map { -$0 }, "values are not clamped")
        XCTAssertThrowsError(try g.patches(ofTensor: try Tensor(shape: [3, 6], values: .init(repeating: 0, count: 18)))) {
            XCTAssertTrue("\($0)".contains("does not match"))
        }
    }

    func testErrors() throws {
        XCTAssertThrowsError(try PatchGrid(imageWidth: 10, imageHeight: 10, patch: 0)) { XCTAssertTrue("\($0)".contains("at least 1")) }
        XCTAssertThrowsError(try PatchGrid(imageWidth: 10, imageHeight: 10, merge: 0))
        XCTAssertThrowsError(try PatchGrid(imageWidth: 0, imageHeight: 10))
        XCTAssertThrowsError(try PatchGrid(imageWidth: 10, imageHeight: 10, channels: 0))
        let g = try PatchGrid(imageWidth: 224, imageHeight: 56)
        XCTAssertThrowsError(try g.patches(of: try Image(width: 56, height: 224))) { XCTAssertTrue("\($0)".contains("grid is for 224×56×1")) }
        XCTAssertThrowsError(try g.patches(of: try Image(width: 224, height: 56, channels: 3)))
    }
}
