import DVSLang
import DVSRender
import Foundation

/// Stops a running notebook cell from outside: when it has run longer than
/// the time limit, or when the process is asked to stop (SIGINT, SIGTERM).
/// It asks the way Ctrl-C does, with `Interrupt.request()`, so DVS code and
/// long native calls stop at their next check. A cell still running `grace`
/// seconds after that (a native call that never checks) is abandoned:
/// `abandon` gets the cells so far, the stopped one last, on the watchdog's
/// own thread, and is expected to save them and end the process.
final class CellWatchdog: @unchecked Sendable {
    /// Seconds between checks.
    static let tick = 0.02

    private let limit: Double?
    private let grace: Double
    private let pendingSignal: @Sendable () -> Int32?
    private let abandon: ([NotebookCell], _ signal: Int32?) -> Void
    private let lock = NSLock()
    private var finished: [NotebookCell] = []
    private var running: (recording: CellRecording, number: Int, started: UInt64)?
    private var stop: (reason: NotebookCell.Stop, signal: Int32?, at: UInt64)?
    private var closed = false
    /// Set once `abandon` has run: the run is over, whatever the cell does now.
    private(set) var abandoned = false

    init(
        limit: Double?, grace: Double, pendingSignal: @escaping @Sendable () -> Int32?,
        abandon: @escaping ([NotebookCell], _ signal: Int32?) -> Void
    ) {
        self.limit = limit
        self.grace = grace
        self.pendingSignal = pendingSignal
        self.abandon = abandon
        let thread = Thread { [self] in watch() }
        thread.name = "dvs notebook watchdog"
        thread.start()
    }

    /// A cell that is done (or a Markdown cell), kept for `abandon`.
    func append(_ cell: NotebookCell) { locked { finished.append(cell) } }

    func begin(_ recording: CellRecording, number: Int) {
        locked {
            running = (recording, number, DispatchTime.now().uptimeNanoseconds)
            stop = nil
        }
    }

    /// The cell is no longer running. Returns why it was stopped from outside,
    /// if it was (a signal's handler may have asked before the watchdog did);
    /// a timeout request the cell ended before noticing is withdrawn.
    func end() -> NotebookCell.Stop? {
        locked {
            running = nil
            if let signal = pendingSignal() { return .interrupted(signal: Self.name(of: signal)) }
            guard let stop else { return nil }
            if Interrupt.isRequested { Interrupt.clear() }
            return stop.reason
        }
    }

    /// The run is over: the watchdog's thread ends.
    func close() { locked { closed = true } }

    private func watch() {
        while true {
            Thread.sleep(forTimeInterval: Self.tick)
            lock.lock()
            defer { lock.unlock() }
            if closed || abandoned { return }
            guard let cell = running else { continue }
            let now = DispatchTime.now().uptimeNanoseconds
            if let stop {
                guard Double(now - stop.at) / 1e9 >= grace else { continue }
                abandoned = true
                cell.recording.addError(
                    "error: \(stop.reason.message); the cell did not stop within "
                        + "\(String(format: "%g", grace)) s after that, so the run was ended\n")
                abandon(finished + [cell.recording.cell(number: cell.number, stop: stop.reason)], stop.signal)
                return
            }
            if let signal = pendingSignal() {
                stop = (.interrupted(signal: Self.name(of: signal)), signal, now)
            } else if let limit, Double(now - cell.started) / 1e9 >= limit {
                stop = (.timedOut(limit: limit), nil, now)
            } else {
                continue
            }
            Interrupt.request()
        }
    }

    /// "SIGINT", "SIGTERM", or "signal 7".
    static func name(of signal: Int32) -> String {
        switch signal {
        case SIGINT: return "SIGINT"
        case SIGTERM: return "SIGTERM"
        case SIGHUP: return "SIGHUP"
        default: return "signal \(signal)"
        }
    }

    private func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }
}
