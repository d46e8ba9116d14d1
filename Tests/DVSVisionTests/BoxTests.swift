import DVSVision
import XCTest

final class BoxTests: XCTestCase {
    func testGeometry() {
        let a = Box(x: 0, y: 0, w: 10, h: 10), b = Box(x: 5, y: 5, w: 10, h: 10)
        XCTAssertEqual(a.area, 100)
        XCTAssertEqual(a.intersection(b).area, 25)
        XCTAssertEqual(a.iou(b), 25.0 / 175.0, accuracy: 1e-12)
        XCTAssertEqual(a.iou(a), 1)
        XCTAssertEqual(a.iou(Box(x: 20, y: 20, w: 1, h: 1)), 0)
        XCTAssertTrue(a.contains(x: 9.5, y: 0))
        XCTAssertFalse(a.contains(x: 10, y: 5), "right edge is exclusive")
    }

    func testImageTensorRoundTrip() throws {
        var img = try Image(width: 3, height: 2, channels: 1)
        img[0, 1, 2] = 1
        let t = img.tensor()
        XCTAssertEqual(t.shape, [1, 2, 3])
        XCTAssertEqual(try Image(tensor: t), img)
        XCTAssertThrowsError(try Image(width: 0, height: 5)) { error in
            XCTAssertTrue("\(error)".contains("outside 1…32768"))
        }
    }
}
