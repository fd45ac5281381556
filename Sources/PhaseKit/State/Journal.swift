public import Foundation
import Synchronization
import SystemCalls

/// The durable record of an execution, one JSON object per line in `state/journal/RUN.jsonl`.
///
/// Each step row's start is written (and fsynced) before it acts and its end after, so after a
/// crash or SIGKILL the journal tells which rows finished, which one was in flight, and what was
/// left. `state/journal/latest` names the newest run. Readers tolerate a torn last line and refuse
/// a journal with any other line they cannot read. A record that cannot be written and synced is
/// an error the run must stop on.
public final class Journal: Sendable {
    /// One line of the journal.
    public struct Entry: Codable, Sendable, Equatable {
        public enum Event: String, Codable, Sendable {
            case runStarted = "run-started"
            /// The operator confirmed these rows (``Entry/rows``) before any of them started.
            case confirmed
            case stepStarted = "step-started"
            case stepFinished = "step-finished"
            case runFinished = "run-finished"
        }

        public var event: Event
        public var at: Date
        public var procedure: String?
        public var mode: RunMode?
        /// run-started: every row of the run, as `step@server` keys, in order; confirmed: the
        /// rows the operator confirmed.
        public var rows: [String]?
        /// run-started: the execution was confirmed before it started (`--yes`, a saved plan, or a
        /// resume of such a run): a `resume` may apply any of its phases without asking.
        public var confirmedUpFront: Bool?
        /// run-started: the title of each row, in the order of ``rows``.
        public var rowTitles: [String]?
        public var step: String?
        public var server: String?
        public var title: String?
        /// step-finished: the row's state; run-finished: the outcome.
        public var state: String?
        public var message: String?
        public var pid: Int32?
        public var host: String?
        public var scriptSHA256: String?
        /// run-started of a resume: the run ID of the execution it continues.
        public var resumes: String?
        /// run-started of a resume: the rows that finished in the executions it continues (it
        /// passes them over), so that a resume of this run passes them over too.
        public var finishedBefore: [String]?
        /// run-started of a resume: the rows the operator confirmed in the executions it continues
        /// that had not finished (it applies them without asking), so a resume of this run does too.
        public var confirmedBefore: [String]?
        /// step-finished: how many changes the row applied; run-finished: how many the run applied.
        public var applied: Int?
        /// run-finished of a run the operator did not confirm: the changes planned for the phase
        /// (or the plan) that was not confirmed; none of them reached the world.
        public var notConfirmed: Int?
        /// run-finished of a resume that stopped before a phase nobody confirmed because there was
        /// no terminal to ask on: the execution is still to be finished (`resume` on a terminal).
        public var awaitingConfirmation: Bool?
        /// step-finished: writes to a server on its own host whose connection was lost while they
        /// were under way: they may or may not have happened (`resume` re-plans from the real state).
        public var inDoubt: [String]?

        public init(event: Event, at: Date = Date()) {
            self.event = event
            self.at = at
        }
    }

    public let path: String
    private let descriptor: Int32
    private let directory: String
    /// The run ID (the journal's file name without `.jsonl`).
    public let runID: String
    /// The execution this one continues, written into its run-started entry.
    public let resumes: String?
    /// What appends have made durable so far, behind the lock every append holds.
    private struct Written {
        /// Bytes durably written; a failed append is cut back to this.
        var length: off_t = 0
        /// Whether `latest` names this journal (it got its first record).
        var published = false
    }

    private let written = Mutex(Written())

    /// Creates the journal file of a new run. `latest` is pointed at it only once its first record
    /// is on disk, so a run that cannot journal leaves nothing for `status` to misread.
    ///
    /// - Parameter resumes: for `phasekit resume`, the run ID of the interrupted execution.
    public init(stateDirectory: String, runID: String, resumes: String? = nil) throws {
        directory = stateDirectory + "/journal"
        self.runID = runID
        self.resumes = resumes
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw PhaseKitError.configuration("\(directory): cannot create the journal directory (\(FileErrorText.reason(of: error)))")
        }
        path = directory + "/\(runID).jsonl"
        let path = path
        do {
            descriptor = try SystemCall.run("open", path) { open(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0o644) }
        } catch {
            throw PhaseKitError.configuration("\(path): cannot create the journal (\(error.reason))")
        }
    }

    deinit {
        close(descriptor)
        // A journal that never got a record is not a run anyone needs to see.
        if !written.withLock({ $0.published }) { unlink(path) }
    }

    /// Appends an entry and forces it to disk before returning; throws, naming the path and the
    /// system's reason, when the record is not durably written (the caller must then stop before
    /// changing anything more). A failed append leaves no partial line behind.
    public func append(_ entry: Entry) throws {
        var entry = entry
        if entry.event == .runStarted { entry.resumes = resumes }
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(entry)
        data.append(0x0A)
        try written.withLock { written in
            do throws(SystemCallError) {
                try SystemCall.writeAll(descriptor, Array(data), path)
                try SystemCall.run("fsync", path) { fsync(descriptor) }
            } catch {
                _ = ftruncate(descriptor, written.length)
                throw PhaseKitError.configuration("\(path): cannot write the journal (\(error.reason))")
            }
            written.length += off_t(data.count)
            if !written.published {
                try publish()
                written.published = true
            }
        }
        CrashPoints.reached(.journal)
    }

    /// Appends an entry only when the journal already holds a record (so a run that never
    /// journaled its start gets no stray end).
    public func appendIfStarted(_ entry: Entry) throws {
        guard written.withLock({ $0.published }) else { return }
        try append(entry)
    }

    /// Points `state/journal/latest` at this run: a temporary file, fsynced, renamed, and the
    /// directory fsynced. On failure nothing but the previous `latest` is left.
    private func publish() throws {
        let latest = directory + "/latest"
        let temporary = latest + ".tmp"
        do throws(SystemCallError) {
            let file = try SystemCall.run("open", temporary) { open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644) }
            defer { close(file) }
            try SystemCall.writeAll(file, Array("\(runID).jsonl\n".utf8), temporary)
            try SystemCall.run("fsync", temporary) { fsync(file) }
            try SystemCall.run("rename", temporary) { rename(temporary, latest) }
        } catch {
            unlink(temporary)
            throw PhaseKitError.configuration("\(latest): cannot update (\(error.reason))")
        }
        let directoryDescriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryDescriptor >= 0 {
            fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
    }

    /// What `state/journal/` holds about the newest run.
    public enum Reading {
        /// No execution was journaled.
        case none
        /// The newest run's entries.
        case entries(path: String, [Entry])
        /// The journal exists but cannot be read or makes no sense: nobody may guess what ran.
        case unreadable(path: String, reason: String)

        /// The entries, when the journal was read.
        public var records: [Entry]? {
            if case .entries(_, let entries) = self { return entries }
            return nil
        }
    }

    /// Reads the newest run's journal. Only a torn last line (no newline: the record being
    /// written when the process died) is passed over; any other line that does not decode, or a
    /// journal without its run-started record, makes the journal unreadable.
    public static func read(stateDirectory: String) -> Reading {
        let directory = stateDirectory + "/journal"
        let latestPath = directory + "/latest"
        guard FileManager.default.fileExists(atPath: latestPath) else { return .none }
        guard let data = FileManager.default.contents(atPath: latestPath) else {
            return .unreadable(path: latestPath, reason: "cannot be read")
        }
        let name = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, !name.contains("/"), name.hasSuffix(".jsonl") else {
            return .unreadable(path: latestPath, reason: "does not name a journal file")
        }
        let path = directory + "/" + name
        return decode(path: path)
    }

    /// Reads one journal file (see ``read(stateDirectory:)`` for what is unreadable).
    static func decode(path: String) -> Reading {
        guard let content = FileManager.default.contents(atPath: path) else {
            return .unreadable(path: path, reason: "missing or cannot be read")
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        var lines = content.split(separator: 0x0A, omittingEmptySubsequences: false)
        let torn = content.last != 0x0A
        if !torn { lines.removeLast() }   // the empty piece after the final newline
        var entries: [Entry] = []
        for (index, line) in lines.enumerated() {
            if let entry = try? decoder.decode(Entry.self, from: Data(line)) {
                entries.append(entry)
            } else if !(torn && index == lines.count - 1) {   // what try? did not decode is refused here
                return .unreadable(path: path, reason: "line \(index + 1) is not a journal record")
            }
        }
        guard entries.first?.event == .runStarted, JournalSummary(entries) != nil else {
            return .unreadable(path: path, reason: "it does not start with the run's run-started record")
        }
        return .entries(path: path, entries)
    }

    /// The entries of the newest run of a site, or nil when there is none or it is unreadable.
    public static func latest(stateDirectory: String) -> (path: String, entries: [Entry])? {
        guard case .entries(let path, let entries) = read(stateDirectory: stateDirectory) else { return nil }
        return (path, entries)
    }

    /// Every journal of a site by run ID, oldest first, and the ones that cannot be read (each
    /// with its path and why), which history names instead of leaving them out in silence.
    ///
    /// - Throws: ``PhaseKitError/configuration(_:)`` when `state/journal/` exists but cannot be listed.
    public static func all(stateDirectory: String) throws -> (journals: [(runID: String, entries: [Entry])], unreadable: [String]) {
        let directory = stateDirectory + "/journal"
        var journals: [(runID: String, entries: [Entry])] = []
        var unreadable: [String] = []
        for name in try StateListing.names(in: directory, suffix: ".jsonl") {
            switch decode(path: directory + "/" + name) {
            case .entries(_, let entries): journals.append((String(name.dropLast(".jsonl".count)), entries))
            case .unreadable(let path, let reason): unreadable.append("\(path): \(reason)")
            case .none: break
            }
        }
        return (journals, unreadable)
    }

    /// A row's key in the journal (``RowKey``'s text).
    public static func key(step: String, server: String?) -> String { RowKey(step: step, server: server).text }
}
