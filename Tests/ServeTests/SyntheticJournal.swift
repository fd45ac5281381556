import Foundation

/// A journal written by the test into a site's `state/journal/`, record by record, as an execution
/// writes it (one JSON object per line), so that a test controls when it grows and which process
/// it names.
final class SyntheticJournal {
    let path: String
    let rows: [String]
    private let handle: FileHandle

    /// Creates `state/journal/RUN.jsonl` with its run-started record naming `pid` and `rows`
    /// (`step@server` keys), and points `latest` at it.
    init(site: String, runID: String = "20991231T000000-\(Int.random(in: 1000...9999))", procedure: String = "configure",
         pid: Int32, rows: [String], titles: [String]? = nil) throws {
        let directory = site + "/state/journal"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        path = directory + "/\(runID).jsonl"
        self.rows = rows
        guard FileManager.default.createFile(atPath: path, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try append(["event": "run-started", "procedure": procedure, "mode": "execute", "rows": rows,
                    "rowTitles": titles ?? rows.map { "Title of \($0)" }, "pid": Int(pid), "host": "test"])
        try "\(runID).jsonl\n".write(toFile: directory + "/latest", atomically: true, encoding: .utf8)
    }

    /// Appends one record (with `at` now).
    func append(_ record: [String: Any]) throws {
        var record = record
        record["at"] = ISO8601DateFormatter().string(from: Date())
        var data = try JSONSerialization.data(withJSONObject: record, options: [.sortedKeys])
        data.append(0x0A)
        try handle.seekToEnd()
        try handle.write(contentsOf: data)
    }

    /// A row's step-started or step-finished record.
    func row(_ index: Int, _ event: String, state: String? = nil, message: String? = nil) throws {
        let key = rows[index]
        let at = key.firstIndex(of: "@") ?? key.endIndex
        var record: [String: Any] = ["event": event, "step": String(key[..<at])]
        let server = at < key.endIndex ? String(key[key.index(after: at)...]) : ""
        if !server.isEmpty { record["server"] = server }
        if let state { record["state"] = state }
        if let message { record["message"] = message }
        try append(record)
    }

    /// The run-finished record.
    func finish(_ outcome: String) throws {
        try append(["event": "run-finished", "state": outcome])
    }

    deinit { try? handle.close() }
}
