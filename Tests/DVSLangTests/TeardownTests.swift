import DVSLang
import Foundation
import XCTest

/// Deeply nested data is freed without one stack frame per level.
final class TeardownTests: XCTestCase {
    /// A million nested lists and records freed on a thread with a 16 MB
    /// stack: recursive freeing would need hundreds of megabytes and crash.
    func testMillionLevelNestingFreesOnASmallStack() {
        let done = expectation(description: "freed")
        let thread = Thread {
            var list = Value.list(ListObject())
            var record = Value.record(RecordObject())
            var shared = Value.record(RecordObject())
            for _ in 0..<1_000_000 {
                list = .list(ListObject([list, .number(1)]))
                record = .record(RecordObject([("inner", record)]))
                shared = .record(RecordObject([("a", shared), ("b", shared)]))  // each level holds the last twice
            }
            list = .null
            record = .null
            shared = .null
            done.fulfill()
        }
        thread.stackSize = 16 << 20
        thread.start()
        wait(for: [done], timeout: 120)
    }
}
