import Dispatch
import Foundation
import PhaseKit

/// What SIGINT, SIGTERM and SIGHUP do during an execution.
///
/// Until the operator confirms (or `--yes` starts applying) nothing has been changed, so a signal
/// ends the run at once: it prints "Not confirmed: nothing was changed." and exits 4, whatever the
/// run is doing (an analysis in Lua, a query, the `Proceed?` prompt). Once applying, a procedure
/// that cannot be stopped defers them: the first one says so, with the rows left, and the run goes
/// on; any other run gets the signals' default action back. Ends when released.
final class RunSignals: @unchecked Sendable {
    private static let signals = [SIGINT, SIGTERM, SIGHUP]
    private var sources: [any DispatchSourceSignal] = []
    private let lock = NSLock()
    private var applying = false
    private var told = false
    private let deferWhileApplying: Bool
    private let progress: RunProgress?
    private let beforeExit: () -> Void
    /// Prints the message of a deferred signal (set while a live grid is drawn, so it is not
    /// written in the middle of a frame); standard error by default.
    private var announce: (@Sendable (String) -> Void)?

    /// - Parameters:
    ///   - deferWhileApplying: whether the procedure cannot be stopped once it applies.
    ///   - progress: rows left, for the message of a deferred signal.
    ///   - beforeExit: runs before a signal ends an unconfirmed run (to journal that it ended).
    init(deferWhileApplying: Bool, progress: RunProgress? = nil, beforeExit: @escaping () -> Void = {}) {
        self.deferWhileApplying = deferWhileApplying
        self.progress = progress
        self.beforeExit = beforeExit
        // A parent may have started phasekit with these signals blocked (the mask is inherited):
        // unblocked on this thread, they reach the sources below however phasekit was started.
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        for signalNumber in Self.signals { sigaddset(&unblocked, signalNumber) }
        pthread_sigmask(SIG_UNBLOCK, &unblocked, nil)
        // A source is registered asynchronously: until it is, a signal would only be ignored.
        // Waiting for the registrations makes the handling armed when init returns.
        let registered = DispatchSemaphore(value: 0)
        for signalNumber in Self.signals {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { [weak self] in self?.received() }
            source.setRegistrationHandler { registered.signal() }
            source.resume()
            sources.append(source)
        }
        for _ in Self.signals { registered.wait() }
    }

    /// Prints the message of a deferred signal through `announce` from now on.
    func announce(with announce: @escaping @Sendable (String) -> Void) {
        lock.withLock { self.announce = announce }
    }

    /// The run starts changing the world: from now on signals no longer end it unconfirmed.
    func startApplying() {
        lock.withLock {
            guard !applying else { return }
            applying = true
            if !deferWhileApplying { release() }
        }
    }

    private func received() {
        lock.lock()
        guard applying else {
            // The lock stays held: the run cannot start applying while it exits.
            beforeExit()
            FileHandle.standardError.write(Data("\nphasekit: Not confirmed: nothing was changed.\n".utf8))
            // No stdio flush: the main thread may hold stdin's lock, blocked at the prompt.
            _exit(RunReport.Outcome.refused.exitCode)
        }
        defer { lock.unlock() }
        guard deferWhileApplying, !told else { return }
        told = true
        let left = progress.map { "; \($0.remaining) step row(s) left" } ?? ""
        let message = "phasekit: this procedure cannot be stopped once it applies changes\(left); the signal is deferred and the run continues.\n"
        if let announce {
            announce(message)
        } else {
            FileHandle.standardError.write(Data(message.utf8))
        }
    }

    private func release() {
        for source in sources { source.cancel() }
        sources = []
        for signalNumber in Self.signals { signal(signalNumber, SIG_DFL) }
    }

    deinit {
        release()
    }
}
