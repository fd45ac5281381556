import Dispatch
import Foundation
import PhaseKit
import Synchronization

/// What SIGINT, SIGTERM and SIGHUP do during an execution.
///
/// - At a `Proceed? [y/N]` prompt (any of them, also after earlier phases were applied) a signal
///   is the answer "no": the prompt ends, the run ends not confirmed (exit 4) with its report and
///   journal, and what was confirmed and applied before stays applied.
/// - Until the operator confirms (or `--yes` starts applying) nothing has been changed, so a
///   signal ends the run at once: it prints "Not confirmed: nothing was changed." and exits 4,
///   whatever the run is doing (an analysis in Lua, a query).
/// - Once applying, a procedure that cannot be stopped defers them: the first one says so, with
///   the rows left, and the run goes on; any other run gets the signal's default action (it is
///   killed; the journal makes it safe to `resume`).
///
/// Ends when released.
final class RunSignals: Sendable {
    /// What a signal does; the sources' handlers and the run share it.
    private let reaction: SignalReaction
    /// The signal sources, until released.
    private let sources: Mutex<[any DispatchSourceSignal]>

    /// - Parameters:
    ///   - deferWhileApplying: whether the procedure cannot be stopped once it applies.
    ///   - progress: rows left, for the message of a deferred signal.
    ///   - beforeExit: runs before a signal ends an unconfirmed run (to journal that it ended).
    init(deferWhileApplying: Bool, progress: RunProgress? = nil, beforeExit: @escaping @Sendable () -> Void = {}) {
        let reaction = SignalReaction(deferWhileApplying: deferWhileApplying, progress: progress, beforeExit: beforeExit)
        Prompt.prepare()
        // Weak: libdispatch releases a cancelled source's handler later, on its own queue; the
        // reaction (and the journal its beforeExit holds) must go when this object does.
        let created = SignalSources.install { [weak reaction] signalNumber in
            guard reaction?.received() == .takeDefaultAction else { return }
            // A run that may be stopped while it applies: the signal's default action, as if
            // phasekit had not handled it.
            SignalSources.takeDefaultAction(signalNumber)
        }
        self.reaction = reaction
        self.sources = Mutex(created)
    }

    /// Prints the message of a deferred signal through `announce` from now on.
    func announce(with announce: @escaping @Sendable (String) -> Void) {
        reaction.announce(with: announce)
    }

    /// The run starts changing the world: from now on a signal outside a prompt no longer ends
    /// it unconfirmed (it is deferred, or takes its default action).
    func startApplying() {
        reaction.startApplying()
    }

    /// Runs a prompt: a signal while it waits wakes it (``Prompt/interrupt()``). Returns its
    /// answer, and whether a signal came meanwhile (the answer then does not count).
    func asking<Answer>(_ prompt: () -> Answer) -> (answer: Answer, interrupted: Bool) {
        Prompt.drain()
        reaction.setPrompting(true)
        let answer = prompt()
        return (answer, reaction.setPrompting(false))
    }

    /// Gives the signals their default action back.
    private func release() {
        sources.withLock { sources in
            for source in sources { source.cancel() }
            sources = []
        }
        SignalSources.restoreDefaults()
    }

    deinit {
        release()
    }
}

/// What a signal does at each point of the run, behind one lock.
private final class SignalReaction: Sendable {
    enum Action: Equatable { case handled, takeDefaultAction }

    private struct State {
        var applying = false
        /// A prompt waits for the operator's answer.
        var prompting = false
        /// A signal came while it waited.
        var interruptedPrompt = false
        var told = false
        /// Prints the message of a deferred signal (set while a live grid is drawn, so it is not
        /// written in the middle of a frame); standard error when nil.
        var announce: (@Sendable (String) -> Void)?
    }

    private let state = Mutex(State())
    private let deferWhileApplying: Bool
    private let progress: RunProgress?
    private let beforeExit: @Sendable () -> Void

    init(deferWhileApplying: Bool, progress: RunProgress?, beforeExit: @escaping @Sendable () -> Void) {
        self.deferWhileApplying = deferWhileApplying
        self.progress = progress
        self.beforeExit = beforeExit
    }

    /// Prints the message of a deferred signal through `announce` from now on.
    func announce(with announce: @escaping @Sendable (String) -> Void) {
        state.withLock { $0.announce = announce }
    }

    /// Records that the run applies.
    func startApplying() {
        state.withLock { $0.applying = true }
    }

    /// Marks a prompt as waiting (or no longer); when it ends, whether a signal came meanwhile.
    @discardableResult
    func setPrompting(_ prompting: Bool) -> Bool {
        state.withLock { state in
            state.prompting = prompting
            defer { state.interruptedPrompt = false }
            return state.interruptedPrompt
        }
    }

    func received() -> Action {
        let message: (String, (@Sendable (String) -> Void)?)? = state.withLock { state in
            if state.prompting {
                // The answer is no: the prompt returns, and the run ends not confirmed.
                state.interruptedPrompt = true
                Prompt.interrupt()
                return nil
            }
            guard state.applying else {
                // The lock stays held: the run cannot start applying while it exits.
                beforeExit()
                // The analysis's report, handed to the ArchiveQueue, is stored first.
                ArchiveQueue.waitForAll()
                FileHandle.standardError.write(Data("\nphasekit: Not confirmed: nothing was changed.\n".utf8))
                // No stdio flush: the main thread may hold stdout's lock.
                _exit(RunReport.Outcome.notConfirmed.exitCode)
            }
            guard deferWhileApplying else { return ("", nil) }
            guard !state.told else { return nil }
            state.told = true
            let left = progress.map { "; \($0.remaining) step row(s) left" } ?? ""
            return ("phasekit: this procedure cannot be stopped once it applies changes\(left); the signal is deferred and the run continues.\n", state.announce)
        }
        guard let (text, announce) = message else { return .handled }
        if text.isEmpty { return .takeDefaultAction }
        if let announce { announce(text) } else { FileHandle.standardError.write(Data(text.utf8)) }
        return .handled
    }
}
