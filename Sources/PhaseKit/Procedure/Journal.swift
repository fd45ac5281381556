public import Foundation

/// The durable record of an execution, one JSON object per line in `state/journal/RUN.jsonl`.
///
/// Each step row's start is written (and fsynced) before it acts and its end after, so after a
/// crash or SIGKILL the journal tells which rows finished, which one was in flight, and what was
/// left. `state/journal/latest` names the newest run. Readers tolerate a torn last line.
public final class Journal {
    /// One line of the journal.
    public struct Entry: Codable, Sendable, Equatable {
        public enum Event: String, Codable, Sendable {
            case runStarted = "run-started"
            case stepStarted = "step-started"
            case stepFinished = "step-finished"
            case runFinished = "run-finished"
        }

        public var event: Event
        public var at: Date
        public var procedure: String?
        public var mode: RunMode?
        /// run-started: every row of the run, as `step@server` keys, in order.
        public var rows: [String]?
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
        /// step-finished: how many changes the row applied.
        public var applied: Int?

        public init(event: Event, at: Date = Date()) {
            self.event = event
            self.at = at
        }
    }

    public let path: String
    /// The run ID (the journal's file name without `.jsonl`).
    public let runID: String
    /// The execution this one continues, written into its run-started entry.
    public let resumes: String?
    private let handle: FileHandle
    private let lock = NSLock()

    /// Starts a new journal for a run and points `latest` at it.
    ///
    /// - Parameter resumes: for `phasekit resume`, the run ID of the interrupted execution.
    public init(stateDirectory: String, runID: String, resumes: String? = nil) throws {
        self.runID = runID
        self.resumes = resumes
        let directory = stateDirectory + "/journal"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        path = directory + "/\(runID).jsonl"
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw PhaseKitError.configuration("\(path): cannot create the journal")
        }
        self.handle = handle
        let latest = directory + "/latest"
        let temporary = latest + ".tmp"
        try "\(runID).jsonl\n".write(toFile: temporary, atomically: false, encoding: .utf8)
        guard rename(temporary, latest) == 0 else { throw PhaseKitError.configuration("\(latest): cannot update") }
    }

    deinit { try? handle.close() }

    /// Appends an entry and forces it to disk before returning.
    public func append(_ entry: Entry) throws {
        var entry = entry
        if entry.event == .runStarted { entry.resumes = resumes }
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(entry)
        data.append(0x0A)
        try lock.withLock {
            try handle.seekToEnd()
            try handle.write(contentsOf: data)
            try handle.synchronize()
        }
        CrashPoints.reached(.journal)
    }

    /// The entries of the newest run of a site, or nil when there is none.
    public static func latest(stateDirectory: String) -> (path: String, entries: [Entry])? {
        let directory = stateDirectory + "/journal"
        guard let name = try? String(contentsOfFile: directory + "/latest", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines),
              !name.isEmpty else { return nil }
        let path = directory + "/" + name
        guard let entries = read(path: path) else { return nil }
        return (path, entries)
    }

    /// Every journal of a site by run ID, oldest first.
    public static func all(stateDirectory: String) -> [(runID: String, entries: [Entry])] {
        let directory = stateDirectory + "/journal"
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".jsonl") }.sorted()
        return names.compactMap { name in read(path: directory + "/" + name).map { (String(name.dropLast(".jsonl".count)), $0) } }
    }

    /// The entries of one journal file; a torn last line is left out.
    static func read(path: String) -> [Entry]? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return text.split(separator: "\n").compactMap { try? decoder.decode(Entry.self, from: Data($0.utf8)) }
    }

    /// A row's key in the journal.
    public static func key(step: String, server: String?) -> String { step + "@" + (server ?? "") }
}

/// What a journal says about its run.
public struct JournalSummary: Sendable {
    public var procedure: String
    public var mode: RunMode
    public var rows: [String]
    public var finished: [String: String]
    public var inFlight: Set<String>
    public var titles: [String: String]
    /// Changes applied by each finished row.
    public var applied: [String: Int]
    public var outcome: String?
    public var pid: Int32?
    /// When the run started, and when its last entry was written.
    public var startedAt: Date
    public var lastEntryAt: Date
    /// The execution this one resumes, if it is a resume.
    public var resumes: String?

    public init?(_ entries: [Journal.Entry]) {
        guard let start = entries.first(where: { $0.event == .runStarted }), let procedure = start.procedure, let mode = start.mode else { return nil }
        self.procedure = procedure
        self.mode = mode
        self.rows = start.rows ?? []
        self.pid = start.pid
        self.startedAt = start.at
        self.lastEntryAt = entries.last?.at ?? start.at
        self.resumes = start.resumes
        var finished: [String: String] = [:]
        var started: Set<String> = []
        var titles: [String: String] = [:]
        var applied: [String: Int] = [:]
        for (row, title) in zip(start.rows ?? [], start.rowTitles ?? []) { titles[row] = title }
        var outcome: String?
        for entry in entries {
            guard let step = entry.step else {
                if entry.event == .runFinished { outcome = entry.state }
                continue
            }
            let key = Journal.key(step: step, server: entry.server)
            if let title = entry.title { titles[key] = title }
            if entry.event == .stepStarted { started.insert(key) }
            if entry.event == .stepFinished {
                finished[key] = entry.state ?? "done"
                applied[key] = entry.applied
            }
        }
        self.finished = finished
        self.inFlight = started.subtracting(finished.keys)
        self.titles = titles
        self.applied = applied
        self.outcome = outcome
    }

    /// Whether the run ended (any outcome) rather than being cut off.
    public var isComplete: Bool { outcome != nil }
    /// Rows finished successfully (done, or skipped as not applicable).
    public var completedRows: Set<String> { Set(finished.filter { $0.value == "done" || $0.value == "skipped" }.keys) }
}
