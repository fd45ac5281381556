import Dispatch
import Foundation
import PhaseKit

/// SIGINT, SIGTERM and SIGHUP handled on a dispatch queue instead of by their default action: the
/// one way ``RunSignals`` (during an execution) and ``ArchiveSignals`` (while a report is stored)
/// take them over.
enum SignalSources {
    static let handled = [SIGINT, SIGTERM, SIGHUP]

    /// Unblocks the handled signals on this thread (a parent may have started phasekit with them
    /// blocked: the mask is inherited), sets them to be ignored and installs a source for each
    /// that calls `handler` with the signal's number. Returns once every source is installed (a
    /// source is installed asynchronously, and until then its signal is ignored and lost; the
    /// wait is bounded).
    static func install(_ handler: @escaping @Sendable (Int32) -> Void) -> [any DispatchSourceSignal] {
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        for signalNumber in handled { sigaddset(&unblocked, signalNumber) }
        pthread_sigmask(SIG_UNBLOCK, &unblocked, nil)
        return handled.map { signalNumber in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { handler(signalNumber) }
            let installed = DispatchSemaphore(value: 0)
            source.setRegistrationHandler { installed.signal() }
            source.resume()
            _ = installed.wait(timeout: .now() + .seconds(5))
            return source
        }
    }

    /// Gives the handled signals their default action back.
    static func restoreDefaults() {
        for signalNumber in handled { signal(signalNumber, SIG_DFL) }
    }

    /// Ends the process by `signalNumber`, as if phasekit had not handled it, once the reports
    /// already handed to the ``ArchiveQueue`` are stored (an execution's analysis report is
    /// stored while the execution goes on).
    static func takeDefaultAction(_ signalNumber: Int32) {
        ArchiveQueue.waitForAll()
        restoreDefaults()
        kill(getpid(), signalNumber)
    }
}
