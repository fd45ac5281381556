public import Foundation

extension ReportArchive {
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

    /// How a summary's file name ends.
    static let summarySuffix = ".summary.json"

    /// Keeps the full reports of the last `keep` runs and the ``ReportSummary`` of every older
    /// one: an older `ID.json` becomes `ID.summary.json`, and its `ID.txt` is removed.
    ///
    /// - Throws: when a report cannot be read or a summary cannot be written (that report stays whole).
    public static func rotate(stateDirectory: String, keep: Int) throws {
        let directory = stateDirectory + "/reports"
        // Oldest first by when each was stored (IDs tell the second a run started, not which of
        // two runs of one second ended first).
        let full = try StateListing.names(in: directory, suffix: ".json").filter { !$0.hasSuffix(summarySuffix) }
            .map { name in (name, try FileManager.default.attributesOfItem(atPath: directory + "/" + name)[.modificationDate] as? Date ?? .distantPast) }
            .sorted { ($0.1, $0.0) < ($1.1, $1.0) }.map(\.0)
        for name in full.dropLast(max(0, keep)) {
            let id = String(name.dropLast(".json".count))
            let report = try decode(path: directory + "/" + name)
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

    /// The summaries of the runs whose full reports were rotated away, oldest first, and the
    /// summary files that could not be read (each with its path and why).
    ///
    /// - Throws: ``PhaseKitError/configuration(_:)`` when `state/reports/` exists but cannot be listed.
    public static func summaries(stateDirectory: String) throws -> (summaries: [(id: String, summary: ReportSummary)], unreadable: [String]) {
        let directory = stateDirectory + "/reports"
        var summaries: [(id: String, summary: ReportSummary)] = []
        var unreadable: [String] = []
        for name in try StateListing.names(in: directory, suffix: summarySuffix) {
            do {
                summaries.append((String(name.dropLast(summarySuffix.count)), try decode(ReportSummary.self, path: directory + "/" + name)))
            } catch {
                unreadable.append("\(directory)/\(name): \(error)")
            }
        }
        return (summaries, unreadable)
    }
}
