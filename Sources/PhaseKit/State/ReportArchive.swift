public import Foundation

/// Every run's report, kept under `state/reports/` as JSON and as the human summary, bounded
/// (`ReportArchive+Rotation.swift`): a report keeps at most ``ReportSettings/maximumDiffBytes`` of
/// diffs and long arguments, and only the last ``ReportSettings/keep`` runs keep their full
/// reports; each older one keeps its ``ReportSummary`` (`ID.summary.json`), so `history` still
/// lists every run. The journal of every execution stays whole.
public enum ReportArchive {
    /// Writes `state/reports/ID.json` and `ID.txt` and returns the ID; `report` and `human` should
    /// be bounded already (``bounded(_:maximumDiffBytes:)``).
    @discardableResult
    public static func store(_ report: RunReport, human: String, stateDirectory: String) throws -> String {
        try store(report, json: try encode(report), human: human, stateDirectory: stateDirectory)
    }

    /// ``store(_:human:stateDirectory:)`` with the report's JSON (``encode(_:)``) made already.
    @discardableResult
    public static func store(_ report: RunReport, json: Data, human: String, stateDirectory: String) throws -> String {
        let directory = stateDirectory + "/reports"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMdd'T'HHmmss"
        formatter.timeZone = TimeZone(identifier: "UTC")
        let target = URL(fileURLWithPath: report.target).deletingPathExtension().lastPathComponent
        let id = "\(formatter.string(from: report.startedAt))-\(report.mode.rawValue)-\(target)-\(getpid())"
        try json.write(to: URL(fileURLWithPath: directory + "/\(id).json"), options: .atomic)
        try human.write(toFile: directory + "/\(id).txt", atomically: true, encoding: .utf8)
        return id
    }

    public static func encode(_ report: RunReport) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(report)
    }

    /// The stored reports, oldest first, and the files that could not be read as one (each with
    /// its path and why), which history names instead of leaving them out in silence.
    ///
    /// - Throws: ``PhaseKitError/configuration(_:)`` when `state/reports/` exists but cannot be listed.
    public static func list(stateDirectory: String) throws -> (reports: [(id: String, report: RunReport)], unreadable: [String]) {
        let directory = stateDirectory + "/reports"
        var reports: [(id: String, report: RunReport)] = []
        var unreadable: [String] = []
        // A rotated run's summary is listed by summaries(stateDirectory:).
        for name in try StateListing.names(in: directory, suffix: ".json") where !name.hasSuffix(summarySuffix) {
            do {
                reports.append((String(name.dropLast(5)), try decode(path: directory + "/" + name)))
            } catch {
                unreadable.append("\(directory)/\(name): \(error)")
            }
        }
        return (reports, unreadable)
    }

    /// One stored report, or nil when there is none.
    ///
    /// - Throws: ``PhaseKitError/configuration(_:)`` when it exists but cannot be read or decoded.
    public static func report(id: String, stateDirectory: String) throws -> RunReport? {
        let path = stateDirectory + "/reports/\(id).json"
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            return try decode(path: path)
        } catch {
            throw PhaseKitError.configuration("\(path): \(error)")
        }
    }

    /// The human summary of one stored report, or nil when there is none.
    ///
    /// - Throws: ``PhaseKitError/configuration(_:)`` when it exists but cannot be read.
    public static func summary(id: String, stateDirectory: String) throws -> String? {
        let path = stateDirectory + "/reports/\(id).txt"
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw PhaseKitError.configuration("\(path): cannot be read (\(FileErrorText.reason(of: error)))")
        }
    }

    /// A stored report; the error says why it is not one (unreadable, or not a report of this format).
    static func decode(path: String) throws(ReportFileError) -> RunReport {
        try decode(RunReport.self, path: path)
    }

    /// A stored report or summary; the error says why it is not one.
    static func decode<Stored: Decodable>(_ type: Stored.Type, path: String) throws(ReportFileError) -> Stored {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ReportFileError(description: "cannot be read (\(FileErrorText.reason(of: error)))")
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode(Stored.self, from: data)
        } catch {
            throw ReportFileError(description: "not a report phasekit \(PhaseKitVersion.current) reads (\(ReportFileError.reason(error)))")
        }
    }
}

/// Why a stored report file is not a report.
struct ReportFileError: Error, CustomStringConvertible {
    var description: String

    /// A decoding failure in a few words: the field missing or wrong, or the JSON's own complaint.
    static func reason(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): "missing field '\(key.stringValue)'"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            "field '\(context.codingPath.map(\.stringValue).joined(separator: "."))': \(context.debugDescription)"
        case DecodingError.dataCorrupted(let context):
            context.codingPath.isEmpty ? context.debugDescription
                : "field '\(context.codingPath.map(\.stringValue).joined(separator: "."))': \(context.debugDescription)"
        default: error.localizedDescription
        }
    }
}
