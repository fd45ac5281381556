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
    /// Called for every log line as it is recorded, for live output.
    public var onLog: (@Sendable (LogLine) -> Void)?

    public init() {}

    public func record(_ change: Change) {
        lock.withLock { storedChanges.append(change) }
    }

    public func record(_ finding: Finding) {
        lock.withLock { storedFindings.append(finding) }
    }

    public func record(_ line: LogLine) {
        lock.withLock { storedLog.append(line) }
        onLog?(line)
    }

    /// Records a warning (`phase.warn`): shown with the report, without making the run fail.
    public func warn(_ message: String) {
        lock.withLock { storedWarnings.append(message) }
    }

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
