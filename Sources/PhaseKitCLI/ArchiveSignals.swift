import Dispatch
import Foundation
import PhaseKit
import Synchronization

/// While a run's reports are still being stored (``ArchiveQueue``, as the command prints), SIGINT,
/// SIGTERM and SIGHUP first wait for them, then take their default action: a Ctrl-C during the
/// printing of a big report never loses the report under `state/reports/`.
enum ArchiveSignals {
    /// The sources, kept until the process ends.
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []
    /// The signal received while waiting (0: none), for the process's exit to end by it too.
    private static let received = Atomic<Int32>(0)

    /// Arms the sources (once; later calls do nothing). Called on the main thread after the run.
    static func arm() {
        guard sources.isEmpty else { return }
        sources = SignalSources.install { signalNumber in
            received.store(signalNumber, ordering: .sequentiallyConsistent)
            // After the store.
            SignalSources.takeDefaultAction(signalNumber)
        }
    }

    /// At the process's exit (after ``ArchiveQueue/waitForAll()``): ends it by the signal received
    /// meanwhile, if any, rather than by the exit the command was making when it came.
    static func endByReceivedSignal() {
        let signalNumber = received.load(ordering: .sequentiallyConsistent)
        guard signalNumber != 0 else { return }
        SignalSources.takeDefaultAction(signalNumber)
    }
}
