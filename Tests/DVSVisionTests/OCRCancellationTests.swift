import DVSTensor
import Dispatch
import Foundation
import Synchronization
import XCTest

@testable import DVSVision

/// Ctrl-C reaching OCR: Tesseract's monitor asks `Cancellation` between words,
/// and `OCRPool` starts no page once it says stop.
final class OCRCancellationTests: XCTestCase {
    /// A stop flag long work asks through `Cancellation`.
    final class Flag: Sendable {
        let raised = Atomic<Bool>(false)
        func raise() { raised.store(true, ordering: .relaxed) }
        var isRaised: Bool { raised.load(ordering: .relaxed) }
    }

    override func tearDown() { Cancellation.install(nil) }

    private func install() -> Flag {
        let flag = Flag()
        Cancellation.install { flag.isRaised }
        return flag
    }

    /// A page of uniform noise: seconds of Tesseract layout analysis, which
    /// has no cancel point (a 2000×2000 one takes 13–20 s).
    private func noise(_ side: Int) throws -> Image {
        let rng = RandomGenerator(seed: 9)
        return try Image(width: side, height: side, channels: 1, pixels: (0..<side * side).map { _ in Float(rng.nextDouble()) })
    }

    private func assertInterrupted<T>(_ body: @autoclosure () throws -> T, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            XCTAssertTrue((error as? VisionError)?.isInterruption ?? false, "expected VisionError.interrupted, got \(error)", file: file, line: line)
        }
    }

    func testPoolAnswersCancellationAtOnceAndStaysUsable() throws {
        let pool = try OCRPool(workers: 2)
        let pages = [try noise(1200), try noise(1100), try noise(1000)]
        let page = try OCRFixturePage.load("page01")
        let expected = try OCREngine().recognize(page.image)
        let flag = install()
        let delay = 0.3
        Thread {
            Thread.sleep(forTimeInterval: delay); flag.raise()
        }.start()
        let start = Date()
        assertInterrupted(try pool.recognizeAll(pages))
        let latency = Date().timeIntervalSince(start) - delay
        print("OCR cancellation latency: \(String(format: "%.3f", latency)) s")
        XCTAssertLessThan(latency, 0.5, "recognizeAll returned \(latency) s after the stop was asked")
        // Once Ctrl-C is cleared the pool reads normally (abandoned pages stop in the background).
        Cancellation.install { false }
        XCTAssertEqual(try pool.recognizeAll([page.image]), [expected])
    }

    func testPoolStartsNoPageOnceStopped() throws {
        let pool = try OCRPool(workers: 2)
        let page = try OCRFixturePage.load("page01")
        install().raise()
        assertInterrupted(try pool.recognizeAll([page.image, page.image, page.image]))
        XCTAssertEqual(pool.engineCount, 0, "no page was dispatched")
    }
}
