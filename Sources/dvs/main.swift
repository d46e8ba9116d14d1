import ArgumentParser
import DVSLang
import Foundation

// DVS code runs on a thread with a large stack (see runOnLargeStack). SIGINT is
// blocked on the main thread so that Ctrl-C reaches the thread running the REPL.
var blocked = sigset_t()
sigemptyset(&blocked)
sigaddset(&blocked, SIGINT)
pthread_sigmask(SIG_BLOCK, &blocked, nil)
// Output to a pipe or file is block-buffered (fast); a terminal sees each line at once.
setvbuf(stdout, nil, isatty(1) == 1 ? _IOLBF : _IOFBF, 1 << 16)

let status: Int32 = runOnLargeStack {
    pthread_sigmask(SIG_UNBLOCK, &blocked, nil)
    return CommandLineEntry.main(Array(CommandLine.arguments.dropFirst()))
}
StandardOutput.endProgressLine()
fflush(stdout)
exit(status)
