import DVSFiles
import Glibc

/// The cells this kernel ran with `store_history`, for history_request:
/// `tail`, `range` and `search` (a glob pattern, as IPython matches it) over
/// this session (number 1; 0 and negative numbers mean it too). Kept in
/// memory only: a new kernel starts with none.
final class KernelHistory {
    static let session = 1
    private var entries: [(line: Int, input: String, output: String?)] = []

    func add(line: Int, input: String, output: String?) { entries.append((line, input, output)) }

    /// The reply's `history`: [session, line, input] or [session, line, [input, output]].
    func reply(to request: JSONValue) -> JSONValue {
        let wantOutput = request["output"]?.boolValue ?? false
        var found: [(line: Int, input: String, output: String?)]
        switch request["hist_access_type"]?.stringValue ?? "tail" {
        case "range":
            let session = request["session"]?.intValue ?? 0
            guard session <= 0 || session == Self.session else { return .array([]) }
            let start = request["start"]?.intValue ?? 0
            let stop = request["stop"]?.intValue ?? Int.max
            found = entries.filter { $0.line >= start && $0.line < stop }
        case "search":
            let pattern = request["pattern"]?.stringValue ?? "*"
            found = entries.filter { fnmatch(pattern, $0.input, 0) == 0 }
            if request["unique"]?.boolValue ?? false {
                var seen = Set<String>()
                found = found.reversed().filter { seen.insert($0.input).inserted }.reversed()
            }
            if let n = request["n"]?.intValue { found = Array(found.suffix(max(0, n))) }
        default:
            found = Array(entries.suffix(max(0, request["n"]?.intValue ?? 10)))
        }
        return .array(
            found.map { entry in
                let input: JSONValue = .string(entry.input)
                let item = wantOutput ? JSONValue.array([input, entry.output.map { .string($0) } ?? .null]) : input
                return .array([.int(Self.session), .int(entry.line), item])
            })
    }
}
