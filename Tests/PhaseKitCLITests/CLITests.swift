import Foundation
import TestSupport
import Testing

/// End-to-end runs of the built `phasekit` binary: output and exit codes.
@Suite("phasekit command line", .serialized)
struct CLITests {
    static var repository: URL { BuiltPhasekit.repository }

    struct Result {
        /// The exit status, or the signal that ended the process when ``signaled``.
        var status: Int32
        var output: String
        var error: String
        var signaled = false
    }

    /// The binary built with the tests (``BuiltPhasekit``).
    static var binary: URL { BuiltPhasekit.url }

    /// Runs the binary built with the tests (or `executable`, such as a symlink to it);
    /// a JSON document it prints is validated against `docs/report.schema.json`.
    static func phasekit(
        _ arguments: [String], input: String? = nil, executable: URL? = nil, directory: String? = nil, environment: [String: String]? = nil
    ) throws -> Result {
        let process = Process()
        process.executableURL = executable ?? binary
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        if let environment { process.environment = environment }
        let output = Pipe(), error = Pipe(), stdin = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let result = Result(status: process.terminationStatus, output: String(decoding: out, as: UTF8.self), error: String(decoding: err, as: UTF8.self),
                            signaled: process.terminationReason == .uncaughtSignal)
        if result.output.hasPrefix("{") {
            for violation in JSONSchemaValidator.reports.violations(ofJSON: result.output) {
                Issue.record("phasekit \(arguments.joined(separator: " ")): report violates docs/report.schema.json: \(violation)")
            }
        }
        return result
    }

    /// Every stored report of a site (`state/reports/*.json`) checked against the schema.
    static func validateStoredReports(of site: String) {
        let directory = site + "/state/reports"
        // A rotated run's summary (ID.summary.json) is not a report.
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where name.hasSuffix(".json") && !name.hasSuffix(".summary.json") {
            let text = (try? String(contentsOfFile: directory + "/" + name, encoding: .utf8)) ?? ""
            for violation in JSONSchemaValidator.reports.violations(ofJSON: text) {
                Issue.record("\(name) violates docs/report.schema.json: \(violation)")
            }
        }
    }

    static func makeSite(_ yaml: String = "name: test\nvolumes:\n  backend: dir\n  path: volumes\n") throws -> String {
        let directory = TestScratch.path("phasekit-cli").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try yaml.write(toFile: directory + "/site.yaml", atomically: true, encoding: .utf8)
        return directory
    }

    static func script(_ source: String) throws -> String {
        let path = TestScratch.path("phasekit-cli", suffix: ".lua").path
        try source.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    var example: String { Self.repository.appendingPathComponent("Scripts/examples/hello.lua").path }

    @Test func analysisPlansAndChangesNothing() throws {
        let site = try Self.makeSite()
        let result = try Self.phasekit(["run", example, "--site", site])
        #expect(result.status == 2)
        #expect(result.output.contains("+ create volume scratch, 64 MiB in vg0, on local"), "\(result.output)")
        #expect(result.output.contains("Nothing was changed"))
        // Only phasekit's own bookkeeping (lock, reports) appears, under state/.
        #expect(try FileManager.default.contentsOfDirectory(atPath: site).sorted() == ["site.yaml", "state"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: site + "/state").sorted() == ["lock", "reports"])
    }

    @Test func executeWithYesAppliesAndASecondAnalysisIsClean() throws {
        let site = try Self.makeSite()
        #expect(try Self.phasekit(["run", example, "--site", site, "--execute", "--yes"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: site + "/motd.txt"))
        #expect(FileManager.default.fileExists(atPath: site + "/volumes/scratch.volume.json"))
        let again = try Self.phasekit(["run", example, "--site", site])
        #expect(again.status == 0)
        #expect(again.output.contains("Nothing to change."))
    }

    @Test func executeWithoutATerminalOrYesIsRefused() throws {
        let site = try Self.makeSite()
        let result = try Self.phasekit(["run", example, "--site", site, "--execute"])
        #expect(result.status == 4)
        #expect(result.error.contains("pass --yes"))
        #expect(!FileManager.default.fileExists(atPath: site + "/motd.txt"))
    }

    @Test func jsonPrintsOneVersionedReport() throws {
        let site = try Self.makeSite()
        let result = try Self.phasekit(["run", example, "--site", site, "--json"])
        #expect(result.status == 2)
        let object = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]
        #expect(object?["format"] as? String == "phasekit-report")
        #expect(object?["version"] as? Int == 1)
        #expect(object?["outcome"] as? String == "changes")
        #expect(object?["mode"] as? String == "analyze")
    }

    @Test func scriptErrorsExitOneWithFileAndLine() throws {
        let path = try Self.script("local x = 1\nerror('broken on purpose')\n")
        let result = try Self.phasekit(["run", path])
        #expect(result.status == 1)
        #expect(result.output.contains("\(path):2: broken on purpose"))
    }

    @Test func syntaxErrorsExitOneWithFileAndLine() throws {
        let path = try Self.script("local x = = 1\n")
        let result = try Self.phasekit(["run", path])
        #expect(result.status == 1)
        #expect(result.output.contains("\(path):1:"))
    }

    @Test func timeLimitFlagStopsARunawayScript() throws {
        let path = try Self.script("while true do end\n")
        let started = Date()
        let result = try Self.phasekit(["run", path, "--time-limit", "0.5"])
        #expect(result.status == 1)
        #expect(result.output.contains("time limit exceeded"))
        #expect(Date().timeIntervalSince(started) < 10)
    }

    @Test func memoryLimitFlagStopsAMemoryBomb() throws {
        let path = try Self.script("local t = {} for i = 1, 1e9 do t[i] = ('x'):rep(1000) .. i end\n")
        let result = try Self.phasekit(["run", path, "--memory-limit", "16"])
        #expect(result.status == 1)
        #expect(result.output.contains("memory limit exceeded"))
    }

    @Test func badSiteYamlNamesFileAndLine() throws {
        let site = try Self.makeSite("name: test\nvolumes:\n  backend: tape\n")
        let result = try Self.phasekit(["run", example, "--site", site])
        #expect(result.status == 1)
        #expect(result.error.contains("site.yaml:3: volumes.backend: unknown volumes backend 'tape'"))
    }

    @Test func aHeldLockRefusesASecondRunNamingTheHolder() throws {
        let site = try Self.makeSite()
        let slow = try Self.script("local t = os.clock() while os.clock() - t < 3 do end\n")
        let first = Process()
        first.executableURL = Self.binary
        first.arguments = ["run", slow, "--site", site]
        first.standardOutput = FileHandle.nullDevice
        try first.run()
        let holder = "pid \(first.processIdentifier)"
        #expect(Wait.until(30) { ((try? String(contentsOfFile: site + "/state/lock", encoding: .utf8)) ?? "").contains(holder) })
        let second = try Self.phasekit(["run", example, "--site", site])
        first.waitUntilExit()
        #expect(second.status == 4)
        #expect(second.error.contains("pid \(first.processIdentifier)"))
        // The holder is gone: the next run takes the lock over.
        #expect(try Self.phasekit(["run", example, "--site", site]).status == 2)
    }

    @Test func historyListsAndShowsStoredRuns() throws {
        let site = try Self.makeSite()
        _ = try Self.phasekit(["run", example, "--site", site])
        let list = try Self.phasekit(["history", "--site", site])
        #expect(list.status == 0)
        let id = try #require(list.output.split(separator: " ").first.map(String.init))
        #expect(list.output.contains("analysis of hello.lua: changes (exit 2), 2 change(s) planned"))
        let shown = try Self.phasekit(["history", "--site", site, id])
        #expect(shown.output.contains("+ create volume scratch, 64 MiB in vg0, on local"), "\(shown.output)")
        #expect(!shown.output.contains("volumes.create("), "the raw call only with --verbose")
        let verbose = try Self.phasekit(["history", "--site", site, id, "--verbose"])
        #expect(verbose.output.contains("+ create volume scratch, 64 MiB in vg0, on local"))
        #expect(verbose.output.contains("volumes.create({group=\"vg0\""), "\(verbose.output)")
        #expect(verbose.output.contains("at \(example):"), "the raw call's file:line")
    }

    @Test func usageErrorsAreRejectedByTheParser() throws {
        #expect(try Self.phasekit(["run", example, "--yes"]).status != 0)
        #expect(try Self.phasekit(["run", "not-a-script.txt"]).status != 0)
    }
}
