import Dispatch
import Foundation
import PhaseKit

/// Defers SIGINT, SIGTERM and SIGHUP while a procedure that cannot be stopped runs: each signal
/// only prints how many steps are left, and the run goes on. Ends when released.
final class SignalDeferral {
    private var sources: [any DispatchSourceSignal] = []

    init(progress: RunProgress) {
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                let message = "phasekit: initialization cannot be stopped once started; \(progress.remaining) step row(s) left, continuing.\n"
                FileHandle.standardError.write(Data(message.utf8))
            }
            source.resume()
            sources.append(source)
        }
    }

    deinit {
        for source in sources { source.cancel() }
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] { signal(signalNumber, SIG_DFL) }
    }
}
