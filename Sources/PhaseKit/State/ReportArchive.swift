public import Foundation

/// Every run's report, kept under `state/reports/` as JSON and as the human summary, bounded:
/// a report keeps at most ``ReportSettings/maximumDiffBytes`` of diffs (the rest of each diff is
/// replaced by a "diff truncated" line), and only the last ``ReportSettings/keep`` runs keep
/// their full reports; each older one keeps its ``ReportSummary`` (`ID.summary.json`), so
/// `history` still lists every run. The journal of every execution stays whole.
public enum ReportArchive {
    /// Writes `state/reports/ID.json` and `ID.txt` and returns the ID; `report` and `human` should
    /// be bounded already (``bounded(_:maximumDiffBytes:)``).
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

    /// `report` with its diffs and long arguments (a written file's content) bounded: once
    /// `maximumDiffBytes` of them are kept, every further diff is replaced by one line saying how
    /// much of it was not kept, and every further argument longer than ``longArgumentBytes`` by
    /// its size and SHA-256 (which still names the content exactly).
    public static func bounded(_ report: RunReport, maximumDiffBytes: Int) -> RunReport {
        var report = report
        var left = maximumDiffBytes
        for step in report.steps.indices {
            for change in report.steps[step].changes.indices {
                for index in report.steps[step].changes[change].arguments.indices {
                    guard case .string(let text) = report.steps[step].changes[change].arguments[index], text.utf8.count > longArgumentBytes else { continue }
                    if text.utf8.count <= left {
                        left -= text.utf8.count
                    } else {
                        left = 0
                        report.steps[step].changes[change].arguments[index] = .string(
                            "(argument not kept: \(ByteCount.format(Int64(text.utf8.count))), sha256 \(SHA256.hex(Array(text.utf8))))")
                    }
                }
                guard let diff = report.steps[step].changes[change].diff else { continue }
                let size = diff.utf8.count
                if size <= left {
                    left -= size
                } else {
                    left = 0
                    report.steps[step].changes[change].diff = truncatedMarker + "\(ByteCount.format(Int64(size))) not kept: a stored report keeps "
                        + "\(ByteCount.format(Int64(maximumDiffBytes))) of diffs (reports.max_diff_kb in site.yaml))"
                }
            }
        }
        return report
    }

    /// Arguments up to this size are always kept whole (paths, names, short values).
    static let longArgumentBytes = 256

    /// How a diff that was not kept starts.
    public static let truncatedMarker = "(diff truncated: "

    /// Keeps the full reports of the last `keep` runs and the ``ReportSummary`` of every older
    /// one: an older `ID.json` becomes `ID.summary.json`, and its `ID.txt` is removed.
    ///
    /// - Throws: when a report cannot be read or a summary cannot be written (that report stays whole).
    public static func rotate(stateDirectory: String, keep: Int) throws {
        let directory = stateDirectory + "/reports"
        // Oldest first by when each was stored (IDs tell the second a run started, not which of
        // two runs of one second ended first).
        let full = try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { $0.hasSuffix(".json") && !$0.hasSuffix(summarySuffix) }
            .map { name in (name, try FileManager.default.attributesOfItem(atPath: directory + "/" + name)[.modificationDate] as? Date ?? .distantPast) }
            .sorted { ($0.1, $0.0) < ($1.1, $1.0) }.map(\.0)
        for name in full.dropLast(max(0, keep)) {
            let id = String(name.dropLast(".json".count))
            let report = try decoder.decode(RunReport.self, from: try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name)))
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            try encoder.encode(ReportSummary(report)).write(to: URL(fileURLWithPath: directory + "/" + id + summarySuffix), options: .atomic)
            try FileManager.default.removeItem(atPath: directory + "/" + name)
            // A report stored without its text (written by hand, or removed) has nothing more to remove.
            if FileManager.default.fileExists(atPath: directory + "/" + id + ".txt") {
                try FileManager.default.removeItem(atPath: directory + "/" + id + ".txt")
            }
        }
    }

    /// How a summary's file name ends.
    static let summarySuffix = ".summary.json"

    static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    /// The summaries of the runs whose full reports were rotated away, oldest first.
    public static func summaries(stateDirectory: String) -> [(id: String, summary: ReportSummary)] {
        let directory = stateDirectory + "/reports"
        // As list(): displayed only, so a directory that cannot be listed shows nothing. TODO(issue 28): make history throw.
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(summarySuffix) }.sorted()
        return names.compactMap { name in
            guard let data = FileManager.default.contents(atPath: directory + "/" + name),
                  // Displayed only: a summary of another format is shown as absent.
                  let summary = try? decoder.decode(ReportSummary.self, from: data) else { return nil }
            return (String(name.dropLast(summarySuffix.count)), summary)
        }
    }

    /// Stored reports, oldest first.
    public static func list(stateDirectory: String) -> [(id: String, report: RunReport)] {
        let directory = stateDirectory + "/reports"
        let decoder = decoder
        // Reports are what history and show display, never state a run reads: a directory that
        // cannot be listed, or a report of another format, shows nothing. TODO(issue 28): make history throw.
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".json") && !$0.hasSuffix(summarySuffix) }.sorted()
        return names.compactMap { name in
            guard let data = FileManager.default.contents(atPath: directory + "/" + name),
                  let report = try? decoder.decode(RunReport.self, from: data) else { return nil }
            return (String(name.dropLast(5)), report)
        }
    }

    /// One stored report, or nil.
    public static func report(id: String, stateDirectory: String) -> RunReport? {
        // Displayed only: a report that does not decode (another format) is shown as absent.
        return FileManager.default.contents(atPath: stateDirectory + "/reports/\(id).json").flatMap { try? decoder.decode(RunReport.self, from: $0) }
    }

    /// The human summary of one stored report.
    public static func summary(id: String, stateDirectory: String) -> String? {
        // Displayed only: a summary that cannot be read is shown as absent.
        try? String(contentsOfFile: stateDirectory + "/reports/\(id).txt", encoding: .utf8)
    }
}
