import Foundation
import Synchronization

/// Collects what a run did: changes, findings and log lines, each tagged with its step and server.
///
/// One recorder serves one run; the dispatcher and the `phase` module write to it, the engine
/// reads it to build the report. It is safe to use from several threads (per-server rows may run
/// concurrently).
public final class RunRecorder: Sendable {
    /// Everything recorded so far, behind the one lock.
    private struct State {
        var changes: [Change] = []
        var findings: [Finding] = []
        var log: [LogLine] = []
        var warnings: [String] = []
        var logBytes = 0
        var logDropped = false
        var retained = 0
        /// The change each ticket marks (``ticket()``), by index, until ``forgetTickets()``.
        var tickets: [Int: Int] = [:]
        var lastTicket = 0
        var onLog: (@Sendable (LogLine) -> Void)?
    }

    private let state = Mutex(State())

    /// Called for every log line as it is recorded, for live output (outside the lock, on the
    /// thread that recorded the line).
    public var onLog: (@Sendable (LogLine) -> Void)? {
        get { state.withLock { $0.onLog } }
        set { state.withLock { $0.onLog = newValue } }
    }

    public init() {}

    /// A new mark for a change about to be made, so that its record can be corrected when the
    /// host answers later that it was not made (``amend(ticket:status:error:)``).
    public func ticket() -> Int {
        state.withLock {
            $0.lastTicket += 1
            return $0.lastTicket
        }
    }

    /// Corrects the record of the change `ticket` marks: a change sent without waiting that its
    /// host did not make. Unknown tickets are ignored (a change whose call failed was recorded so).
    ///
    /// - Returns: the corrected record, or nil when there was none to correct.
    @discardableResult
    public func amend(ticket: Int, status: Change.Status, error: String) -> Change? {
        state.withLock { state in
            guard let index = state.tickets[ticket], state.changes[index].status == .applied else { return nil }
            state.changes[index].status = status
            state.changes[index].error = error
            return state.changes[index]
        }
    }

    /// Drops the marks of the changes recorded so far: called when a step's changes are settled.
    public func forgetTickets() {
        state.withLock { $0.tickets = [:] }
    }

    public func record(_ change: Change, ticket: Int? = nil) {
        let size = 256 + (change.arguments + change.result).reduce(0) { $0 + OutputLimits.estimatedSize($1) }
            + (change.error?.utf8.count ?? 0) + (change.description?.utf8.count ?? 0)
            + (change.group?.utf8.count ?? 0) + (change.diff?.utf8.count ?? 0)
        state.withLock {
            if let ticket { $0.tickets[ticket] = $0.changes.count }
            $0.changes.append(change)
            $0.retained += size
        }
    }

    public func record(_ finding: Finding) {
        state.withLock {
            $0.findings.append(finding)
            $0.retained += 256 + finding.summary.utf8.count + (finding.detail?.utf8.count ?? 0)
        }
    }

    /// Records a log line, cut to ``OutputLimits/logLineBytes``; once the run's log passed
    /// ``OutputLimits/logRunBytes``, one marker line replaces every later line.
    public func record(_ line: LogLine) {
        var kept = line
        if line.message.utf8.count > OutputLimits.logLineBytes + OutputLimits.markerBytes {
            kept.message = OutputLimits.truncate(line.message, to: OutputLimits.logLineBytes)
        }
        let (recorded, onLog) = state.withLock { state -> (LogLine?, (@Sendable (LogLine) -> Void)?) in
            guard !state.logDropped else { return (nil, nil) }
            if state.logBytes + kept.message.utf8.count > OutputLimits.logRunBytes {
                state.logDropped = true
                kept.message = OutputLimits.logDroppedMarker
            }
            state.logBytes += kept.message.utf8.count
            state.retained += 128 + kept.message.utf8.count
            state.log.append(kept)
            return (kept, state.onLog)
        }
        if let recorded { onLog?(recorded) }
    }

    /// Records a warning (`phase.warn`): shown with the report, without making the run fail.
    /// Cut like a log line, and counted in the same run budget (``OutputLimits/logRunBytes``):
    /// past it, one marker replaces every later warning and log line.
    public func warn(_ message: String) {
        var kept = message.utf8.count > OutputLimits.logLineBytes + OutputLimits.markerBytes
            ? OutputLimits.truncate(message, to: OutputLimits.logLineBytes) : message
        state.withLock {
            guard !$0.logDropped else { return }
            if $0.logBytes + kept.utf8.count > OutputLimits.logRunBytes {
                $0.logDropped = true
                kept = OutputLimits.logDroppedMarker
            }
            $0.logBytes += kept.utf8.count
            $0.warnings.append(kept)
            $0.retained += 64 + kept.utf8.count
        }
    }

    /// About how many bytes the recorded changes, findings, log lines and warnings take; the
    /// dispatcher counts them against the run's memory limit.
    public var retainedBytes: Int { state.withLock { $0.retained } }

    public var warnings: [String] { state.withLock { $0.warnings } }
    public var changes: [Change] { state.withLock { $0.changes } }
    public var findings: [Finding] { state.withLock { $0.findings } }
    public var log: [LogLine] { state.withLock { $0.log } }

    /// Changes, findings and log lines of one step (and server, when given).
    public func slice(step: String, server: String? = nil) -> (changes: [Change], findings: [Finding], log: [LogLine]) {
        state.withLock { state in
            let matches: (String?, String?) -> Bool = { $0 == step && (server == nil || $1 == server) }
            return (
                state.changes.filter { matches($0.step, $0.row) },
                state.findings.filter { matches($0.step, $0.server) },
                state.log.filter { matches($0.step, $0.server) }
            )
        }
    }
}
