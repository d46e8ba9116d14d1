import DVSVision
import XCTest

@testable import DVSRender

final class TerminalImageTests: XCTestCase {
    func testDetection() {
        XCTAssertEqual(TerminalImage.detect(environment: ["TERM": "xterm-kitty"], isTerminal: true), .kitty)
        XCTAssertEqual(TerminalImage.detect(environment: ["TERM_PROGRAM": "iTerm.app", "TERM": "xterm"], isTerminal: true), .iterm)
        XCTAssertEqual(TerminalImage.detect(environment: ["TERM": "mlterm"], isTerminal: true), .sixel)
        XCTAssertEqual(TerminalImage.detect(environment: ["TERM": "xterm-256color"], isTerminal: true), .blocks)
        XCTAssertEqual(TerminalImage.detect(environment: ["TERM": "xterm-kitty"], isTerminal: false), .none)
        XCTAssertEqual(TerminalImage.detect(environment: ["DVS_IMAGE_PROTOCOL": "sixel"], isTerminal: false), .sixel)
    }

    func testHalfBlocksUseTopAndBottomPixels() throws {
        var img = try Image(width: 2, height: 2, channels: 1)
        img[0, 0, 0] = 1  // top-left white, others black
        let text = TerminalImage.halfBlocks(img, columns: 2)
        XCTAssertTrue(text.hasPrefix("\u{1B}[38;2;255;255;255m\u{1B}[48;2;0;0;0m▀"))
        XCTAssertEqual(text.components(separatedBy: "\n").count, 2, "two pixel rows make one text row")
    }

    func testKittyChunksAndSixelFraming() throws {
        let png = [UInt8](repeating: 7, count: 10_000)
        let kitty = TerminalImage.kitty(png)
        XCTAssertTrue(kitty.hasPrefix("\u{1B}_Ga=T,f=100,m=1;"))
        XCTAssertEqual(kitty.components(separatedBy: "\u{1B}_G").count - 1, 4, "13,336 base64 bytes in 4096-byte chunks")
        XCTAssertTrue(kitty.contains("m=0;"))
        let img = try Image(width: 3, height: 7, channels: 1, fill: 1)
        let sixel = Sixel.encode(img)
        XCTAssertTrue(sixel.hasPrefix("\u{1B}Pq\"1;1;3;7"))
        XCTAssertTrue(sixel.hasSuffix("\u{1B}\\\n"))
        XCTAssertEqual(sixel.filter { $0 == "-" }.count, 2, "7 rows make two sixel bands")
    }
}
