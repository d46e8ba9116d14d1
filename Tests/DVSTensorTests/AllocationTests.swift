import DVSMemory
import XCTest

@testable import DVSTensor

/// Sizes from user input never reach an allocation that would abort the process.
final class AllocationTests: XCTestCase {
    private func message(_ body: () throws -> Void) -> String {
        do { try body(); return "no error" } catch { return "\(error)" }
    }

    func testAbsurdStorageIsAnErrorNotATrap() {
        // No machine has 2^60 floats: malloc returns nil and the storage throws.
        XCTAssertEqual(
            message { _ = try TensorStorage(uninitializedCount: 1 << 60) },
            "out of memory: a tensor of 1152921504606846976 elements needs 4.0 EiB, and the allocation failed")
        XCTAssertTrue(message { _ = try TensorStorage(count: Int.max / 2) }.contains("more bytes than the address space holds"))
    }

    func testProbeRefusesWhatCannotBeAllocated() {
        XCTAssertEqual(
            message { try DVSTensor.ensureAllocatable(bytes: 1 << 62, for: "an image") },
            "out of memory: an image needs 4.0 EiB, and the allocation failed")
        XCTAssertEqual(message { try DVSTensor.ensureAllocatable(bytes: 1 << 20, for: "a small buffer") }, "no error")
    }

    func testBroadcastChecksTheResultSizeFirst() {
        XCTAssertEqual(
            message { _ = try Tensor.zeros([3_000_000, 1]).mul(Tensor.zeros([1, 3_000_000])) },
            "mul: shapes [3000000,1] and [1,3000000] broadcast to [3000000,3000000], which has too many elements (at most 2147483647)")
    }

    func testEmptyTensorsAreContiguousAndCopy() throws {
        let t = try Tensor.zeros([3, 0])
        XCTAssertTrue(t.isContiguous)
        XCTAssertTrue(try t.transpose().isContiguous)
        XCTAssertEqual(try t.transpose().contiguousCopy().shape, [0, 3])
        XCTAssertEqual(try t.toArray(), [])
    }

    func testElementReadsAnyLayoutInPlace() throws {
        let t = try Tensor(shape: [2, 3], values: [0, 1, 2, 3, 4, 5]).transpose()
        XCTAssertEqual((0..<6).map { t.element(at: $0) }, [0, 3, 1, 4, 2, 5])
    }

    func testByteText() {
        XCTAssertEqual(byteText(300), "300 bytes")
        XCTAssertEqual(byteText(3 << 29), "1.5 GiB")
        XCTAssertEqual(byteText(600 << 20), "600 MiB")
    }
}

/// Autograd notices tensors changed in place between forward and backward.
final class VersionCounterTests: XCTestCase {
    func testAssignmentAfterForwardIsRefusedNamingTheOp() throws {
        let w = try Tensor(shape: [2], values: [1, 2])
        w.requiresGrad = true
        let y = try w.exp().sum()
        try GradMode.withoutGrad { () throws(TensorError) in try w.assign(Tensor(scalar: 0)) }
        XCTAssertThrowsError(try Autograd.backward(y)) { error in
            XCTAssertTrue("\(error)".hasPrefix("backward: 'exp' needs its input 1 as it was, but it was changed in place"), "\(error)")
        }
    }

    func testUnchangedTensorsStillDifferentiate() throws {
        let w = try Tensor(shape: [2], values: [1, 2])
        w.requiresGrad = true
        let y = try w.mul(w).sum()
        try Autograd.backward(y)
        XCTAssertEqual(w.grad?.values, [2, 4])
    }

    func testMallocIsTunedForTensorBuffersWhenTheProgramLoads() {
        #if canImport(Glibc)
        XCTAssertTrue(TensorStorage.heapTuned, "DVSHeap's load-time mallopt calls did not run or failed")
        #endif
    }
}
