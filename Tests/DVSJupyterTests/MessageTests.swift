import DVSFiles
import XCTest

@testable import DVSJupyter

final class MessageTests: XCTestCase {
    /// RFC 4231, test case 2: the digest Python's `hmac.new(b"Jefe", …, "sha256")` gives.
    func testSignatureIsHMACSHA256InHex() throws {
        let signer = try MessageSigner(key: "Jefe")
        XCTAssertEqual(
            signer.signature([Array("what do ya want ".utf8), Array("for nothing?".utf8)]),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        XCTAssertEqual(try MessageSigner(key: "").signature([[1, 2]]), "", "no key, no signature")
    }

    func testDecodeChecksTheSignatureOverTheFourFrames() throws {
        let signer = try MessageSigner(key: "secret")
        let message = JupyterMessage.make(
            "kernel_info_request", content: .emptyObject, parent: nil, session: "s",
            identities: [Array("client".utf8)])
        let frames = message.encode(signer: signer)
        XCTAssertEqual(frames[1], Array("<IDS|MSG>".utf8))
        let decoded = try JupyterMessage.decode(frames, signer: signer)
        XCTAssertEqual(decoded.type, "kernel_info_request")
        XCTAssertEqual(decoded.identities, [Array("client".utf8)])
        XCTAssertThrowsError(try JupyterMessage.decode(frames, signer: try MessageSigner(key: "other")))
        var unsigned = frames
        unsigned[2] = []
        XCTAssertThrowsError(try JupyterMessage.decode(unsigned, signer: signer))
        var tampered = frames
        tampered[6] = Array("{\"code\":\"1\"}".utf8)
        XCTAssertThrowsError(try JupyterMessage.decode(tampered, signer: signer))
        XCTAssertThrowsError(try JupyterMessage.decode(Array(frames.prefix(4)), signer: signer))
    }

    func testConnectionFile() throws {
        let text =
            #"{"shell_port": 5001, "iopub_port": 5002, "stdin_port": 5003, "control_port": 5004, "hb_port": 5005,"#
            + #" "ip": "127.0.0.1", "key": "k", "transport": "tcp", "signature_scheme": "hmac-sha256", "kernel_name": "dvs"}"#
        let file = try ConnectionFile.parse(Array(text.utf8))
        XCTAssertEqual(file.endpoint(.shell), "tcp://127.0.0.1:5001")
        XCTAssertEqual(file.endpoint(.hb), "tcp://127.0.0.1:5005")
        XCTAssertEqual(file.key, "k")
        XCTAssertThrowsError(try ConnectionFile.parse(Array(#"{"shell_port": 1}"#.utf8))) { error in
            XCTAssertTrue("\(error)".contains("control_port must be a port number"), "\(error)")
        }
        XCTAssertThrowsError(try ConnectionFile.parse(Array("[1]".utf8)))
    }

    func testStreamsAreNotCutInsideAUTF8Character() {
        let bytes = Array("a→".utf8)  // "→" is 3 bytes
        XCTAssertEqual(OutputCapture.completeUTF8Prefix(bytes), 4)
        XCTAssertEqual(OutputCapture.completeUTF8Prefix(Array(bytes.prefix(3))), 1)
        XCTAssertEqual(OutputCapture.completeUTF8Prefix(Array(bytes.prefix(2))), 1)
        XCTAssertEqual(OutputCapture.completeUTF8Prefix([]), 0)
    }

    func testHistoryTailRangeAndSearch() {
        let history = KernelHistory()
        for (line, code) in ["let a = 1", "a + 1", "a + 2"].enumerated() { history.add(line: line + 1, input: code, output: nil) }
        func inputs(_ request: String) -> [String] {
            let reply = history.reply(to: try! JSONValue.parse(Array(request.utf8)))
            return reply.arrayValue!.map { $0.arrayValue![2].stringValue! }
        }
        XCTAssertEqual(inputs(#"{"hist_access_type": "tail", "n": 2}"#), ["a + 1", "a + 2"])
        XCTAssertEqual(inputs(#"{"hist_access_type": "range", "session": 0, "start": 1, "stop": 2}"#), ["let a = 1"])
        XCTAssertEqual(inputs(#"{"hist_access_type": "search", "pattern": "a +*"}"#), ["a + 1", "a + 2"])
    }

    func testNotebookLinesKeepTheirNewlines() {
        XCTAssertEqual(NotebookFile.lines("a\nb\n").text(), #"["a\n","b\n"]"#)
        XCTAssertEqual(NotebookFile.lines("a\nb").text(), #"["a\n","b"]"#)
        XCTAssertEqual(NotebookFile.lines("").text(), "[]")
    }
}
