import Foundation
import PhaseKit
import Testing

/// A copy of the sample site (written once per suite by `phasekit sample-site --no-services`)
/// on which the tests run single sync phases with the built binary and look at the database
/// with the sqlite3 tool.
struct SyncSite {
    /// The suite trait that writes the sample site once.
    static let scope = SiteTemplate.Scope { directory in
        let written = try CrashRecoveryTests.phasekit(["sample-site", directory, "--no-services"])
        guard written.status == 0 else { throw CrashTestError(message: written.output) }
    }

    let directory: String

    init() throws { directory = try SiteTemplate.copy() }

    func remove() { CrashRecoveryTests.dispose(directory) }

    /// Runs one phase (`io/1_terminate_requests`, ...) as a script with `--json`; returns the
    /// report and the exit status.
    func run(_ phase: String, execute: Bool = false) throws -> (report: RunReport, status: Int32) {
        let script = CLITests.repository.appendingPathComponent("Scripts/sync/\(phase).lua").path
        let result = try CLITests.phasekit(["run", script, "--site", directory, "--json"] + (execute ? ["--execute", "--yes"] : []))
        return (try RunReport.decoded(from: result.output), result.status)
    }

    /// The rows of a statement on the site's database, each as its columns' text.
    @discardableResult
    func sql(_ statement: String) throws -> [[String]] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = ["-bail", "-separator", "|", directory + "/cms.db", statement]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CrashTestError(message: "sqlite3 failed on \(statement)") }
        return text.split(separator: "\n").map { $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init) }
    }

    func read(_ relative: String) throws -> String {
        try String(contentsOfFile: directory + "/" + relative, encoding: .utf8)
    }

    func write(_ relative: String, _ text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: directory + "/" + relative))
    }

    /// Replaces `old` (which must be there) by `new` in a file of the site.
    func edit(_ relative: String, _ old: String, _ new: String) throws {
        let text = try read(relative)
        try #require(text.contains(old), "\(relative) does not contain \(old)")
        try write(relative, text.replacingOccurrences(of: old, with: new))
    }
}

extension RunReport {
    /// A report printed with `--json`.
    static func decoded(from output: String) throws -> RunReport {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(RunReport.self, from: Data(output.utf8))
    }

    /// The summaries of the issues of one resolution.
    func summaries(_ resolution: Finding.Resolution) -> [String] {
        issues.filter { $0.resolution == resolution }.map(\.summary)
    }
}
