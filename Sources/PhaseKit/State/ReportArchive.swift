public import Foundation

/// Every run's report, kept under `state/reports/` as JSON and as the human summary.
public enum ReportArchive {
    /// Writes `state/reports/ID.json` and `ID.txt` and returns the ID.
    @discardableResult
    public static func store(_ report: RunReport, human: String, stateDirectory: String) throws -> String {
        let directory = stateDirectory + "/reports"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMdd'T'HHmmss"
        formatter.timeZone = TimeZone(identifier: "UTC")
        let target = URL(fileURLWithPath: report.target).deletingPathExtension().lastPathComponent
        let id = "\(formatter.string(from: report.startedAt))-\(report.mode.rawValue)-\(target)-\(getpid())"
        try encode(report).write(to: URL(fileURLWithPath: directory + "/\(id).json"), options: .atomic)
        try human.write(toFile: directory + "/\(id).txt", atomically: true, encoding: .utf8)
        return id
    }

    public static func encode(_ report: RunReport) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(report)
    }

    /// Stored reports, oldest first.
    public static func list(stateDirectory: String) -> [(id: String, report: RunReport)] {
        let directory = stateDirectory + "/reports"
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        // Reports are what history and show display, never state a run reads: a directory that
        // cannot be listed, or a report of another format, shows nothing. TODO(issue 28): make history throw.
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
        return names.compactMap { name in
            guard let data = FileManager.default.contents(atPath: directory + "/" + name),
                  let report = try? decoder.decode(RunReport.self, from: data) else { return nil }
            return (String(name.dropLast(5)), report)
        }
    }

    /// One stored report, or nil.
    public static func report(id: String, stateDirectory: String) -> RunReport? {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        // Displayed only: a report that does not decode (another format) is shown as absent.
        return FileManager.default.contents(atPath: stateDirectory + "/reports/\(id).json").flatMap { try? decoder.decode(RunReport.self, from: $0) }
    }

    /// The human summary of one stored report.
    public static func summary(id: String, stateDirectory: String) -> String? {
        // Displayed only: a summary that cannot be read is shown as absent.
        try? String(contentsOfFile: stateDirectory + "/reports/\(id).txt", encoding: .utf8)
    }
}
