import DVSLang
import Foundation
import Synchronization

/// SIGINT and SIGTERM during `dvs notebook` and `dvs label`: the handler notes
/// the signal and asks running DVS code to stop, as Ctrl-C does in the REPL;
/// the notebook runner then ends the run and the page is written with the
/// cells so far, and the labeler stops between pages.
enum StopSignals {
    private static let received = Atomic<Int32>(0)

    /// Installs the handlers (once the flags are initialized: a handler must not be the first to touch them).
    static func install() {
        received.store(0, ordering: .relaxed)
        Interrupt.clear()
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { signal in
            StopSignals.received.store(signal, ordering: .relaxed)
            Interrupt.request()
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        sigaction(SIGINT, &action, nil)
        sigaction(SIGTERM, &action, nil)
    }

    /// The stop signal received, if any.
    static var pending: Int32? {
        let signal = received.load(ordering: .relaxed)
        return signal == 0 ? nil : signal
    }
}
