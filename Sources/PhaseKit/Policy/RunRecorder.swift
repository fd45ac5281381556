import Foundation

/// Collects what a run did: changes, findings and log lines, each tagged with its step and server.
///
/// One recorder serves one run; the dispatcher and the `phase` module write to it, the engine
/// reads it to build the report. It is safe to use from several threads (per-server rows may run
/// concurrently).
public final class RunRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var storedChanges: [Change] = []
    private var storedFindings: [Finding] = []
    private var storedLog: [LogLine] = []
    private var storedWarnings: [String] = []
    private var logBytes = 0
    private var logDropped = false
    private var retained = 0
    /// Called for every log line as it is recorded, for live output.
    public var onLog: (@Sendable (LogLine) -> Void)?

    public init() {}

    public func record(_ change: Change) {
        let size = 256 + (change.arguments + change.result).reduce(0) { $0 + OutputLimits.estimatedSize($1) }
            + (change.error?.utf8.count ?? 0) + (change.description?.utf8.count ?? 0)
            + (change.group?.utf8.count ?? 0) + (change.diff?.utf8.count ?? 0)
        lock.withLock {
            storedChanges.append(change)
            retained += size
        }
    }

    public func record(_ finding: Finding) {
        lock.withLock {
            storedFindings.append(finding)
            retained += 256 + finding.summary.utf8.count + (finding.detail?.utf8.count ?? 0)
        }
    }

    /// Records a log line, cut to ``OutputLimits/logLineBytes``; once the run's log passed
    /// ``OutputLimits/logRunBytes``, one marker line replaces every later line.
    public func record(_ line: LogLine) {
        var kept = line
        if line.message.utf8.count > OutputLimits.logLineBytes + OutputLimits.markerBytes {
            kept.message = OutputLimits.truncate(line.message, to: OutputLimits.logLineBytes)
        }
        let recorded: LogLine? = lock.withLock {
            guard !logDropped else { return nil }
            if logBytes + kept.message.utf8.count > OutputLimits.logRunBytes {
                logDropped = true
                kept.message = OutputLimits.logDroppedMarker
            }
            logBytes += kept.message.utf8.count
            retained += 128 + kept.message.utf8.count
            storedLog.append(kept)
            return kept
        }
        if let recorded { onLog?(recorded) }
    }

    /// Records a warning (`phase.warn`): shown with the report, without making the run fail.
    /// Cut like a log line.
    public func warn(_ message: String) {
        let kept = message.utf8.count > OutputLimits.logLineBytes + OutputLimits.markerBytes
            ? OutputLimits.truncate(message, to: OutputLimits.logLineBytes) : message
        lock.withLock {
            storedWarnings.append(kept)
            retained += 64 + kept.utf8.count
        }
    }

    /// About how many bytes the recorded changes, findings, log lines and warnings take; the
    /// dispatcher counts them against the run's memory limit.
    public var retainedBytes: Int { lock.withLock { retained } }

    public var warnings: [String] { lock.withLock { storedWarnings } }
    public var changes: [Change] { lock.withLock { storedChanges } }
    public var findings: [Finding] { lock.withLock { storedFindings } }
    public var log: [LogLine] { lock.withLock { storedLog } }

    /// Changes, findings and log lines of one step (and server, when given).
    public func slice(step: String, server: String? = nil) -> (changes: [Change], findings: [Finding], log: [LogLine]) {
        lock.withLock {
            let matches: (String?, String?) -> Bool = { $0 == step && (server == nil || $1 == server) }
            return (
                storedChanges.filter { matches($0.step, $0.row) },
                storedFindings.filter { matches($0.step, $0.server) },
                storedLog.filter { matches($0.step, $0.server) }
            )
        }
    }
}
