import Foundation
import TestSupport
import Testing

/// The command line as tools and operators meet it: finding the bundled scripts however phasekit
/// is started, a missing site, exit codes and messages, `--version`, and JSON on every command.
@Suite("Command-line interfaces", .serialized)
struct InterfaceTests {
    /// A scratch directory, removed by the caller.
    static func scratch() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("phasekit-interface-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory
    }

    /// The environment of the tests without PHASEKIT_SCRIPTS, with PATH as given.
    static func environment(path: String? = nil) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "PHASEKIT_SCRIPTS")
        if let path { environment["PATH"] = path }
        return environment
    }

    @Test func startedByItsBareNameFromPathItFindsTheBundledScripts() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory + "/bin", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: directory + "/bin/phasekit", withDestinationPath: CLITests.binary.path)
        // env runs `phasekit` by its bare name: argv[0] is "phasekit", resolved through PATH.
        let bare = try CLITests.phasekit(["phasekit", "list"], executable: URL(fileURLWithPath: "/usr/bin/env"),
                                        directory: directory, environment: Self.environment(path: directory + "/bin:/usr/bin:/bin"))
        #expect(bare.status == 0, "\(bare.error)")
        #expect(bare.output.contains("sync\t") && bare.output.contains("configure\t"))
        let linked = try CLITests.phasekit(["run", "sync"], executable: URL(fileURLWithPath: directory + "/bin/phasekit"),
                                          directory: directory, environment: Self.environment())
        #expect(!linked.error.contains("unknown procedure"), "\(linked.error)")
    }

    @Test func withoutBundledScriptsEveryCommandThatNeedsThemSaysSoAndExitsOne() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let site = try CLITests.makeSite()
        defer { try? FileManager.default.removeItem(atPath: site) }
        try FileManager.default.createDirectory(atPath: directory + "/bin", withIntermediateDirectories: true)
        let lonely = directory + "/bin/phasekit"
        do { try FileManager.default.linkItem(atPath: CLITests.binary.path, toPath: lonely) } catch {
            try FileManager.default.copyItem(atPath: CLITests.binary.path, toPath: lonely)
        }
        for arguments in [["list"], ["run", "sync", "--site", site], ["lint"], ["show", "sync/io/1_terminate_requests"],
                          ["new", "sync/io/4_check", "--site", site], ["list", "--json"]] {
            let result = try CLITests.phasekit(arguments, executable: URL(fileURLWithPath: lonely), directory: directory, environment: Self.environment())
            #expect(result.status == 1, "\(arguments): \(result.output)\(result.error)")
            #expect((result.error + result.output).contains("no bundled scripts"), "\(arguments): \(result.error)")
        }
    }

    @Test func runWithoutASiteRefusesInsteadOfRunningOnNothing() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for arguments in [["run", "configure"], ["run", "configure", "--execute", "--yes"], ["status"], ["history"], ["resume"], ["new", "sync/io/4_x"]] {
            let result = try CLITests.phasekit(arguments, directory: directory)
            #expect(result.status == 1, "\(arguments): \(result.output)")
            #expect(result.error.contains("no site: give --site DIR"), "\(arguments): \(result.error)")
            #expect(!result.output.contains("Applied") && !result.output.contains("Nothing to change"))
        }
        // A directory holding site.yaml is the site.
        let site = try CLITests.makeSite()
        defer { try? FileManager.default.removeItem(atPath: site) }
        let here = try CLITests.phasekit(["status"], directory: site)
        #expect(here.status == 0 && here.output.contains("No execution has been journaled"))
    }

    @Test func runtimeErrorsExitOneWithoutAUsageBanner() throws {
        let site = try CLITests.makeSite()
        defer { try? FileManager.default.removeItem(atPath: site) }
        let unknownRun = try CLITests.phasekit(["history", "--site", site, "20990101"])
        #expect(unknownRun.status == 1)
        #expect(unknownRun.error.contains("no stored run '20990101'"))
        #expect(try CLITests.phasekit(["new", "sync/io/4_check", "--site", site]).status == 0)
        let again = try CLITests.phasekit(["new", "sync/io/4_check", "--site", site])
        #expect(again.status == 1)
        #expect(again.error.contains("4_check.lua already exists"))
        let sample = try CLITests.phasekit(["sample-site", site, "--no-services"])
        #expect(sample.status == 1)
        #expect(sample.error.contains("\(site) exists and is not empty"))
        for result in [unknownRun, again, sample] { #expect(!result.error.contains("Usage:"), "\(result.error)") }
        // A real usage error keeps its banner and exit code; help stays help.
        let usage = try CLITests.phasekit(["run", "sync", "--yes"])
        #expect(usage.status == 64 && usage.error.contains("Usage:"))
        let help = try CLITests.phasekit(["help", "history"])
        #expect(help.status == 0 && help.output.contains("OVERVIEW: List a site's past runs"), "\(help.output)\(help.error)")
    }

    @Test func aSiteThatCannotBeWrittenIsAnErrorNotARefusal() throws {
        let site = try CLITests.makeSite()
        defer { try? FileManager.default.removeItem(atPath: site) }
        // Root writes anywhere: run phasekit as nobody, who may read the site but not write it.
        let script = CLITests.repository.appendingPathComponent("Scripts/examples/hello.lua").path
        let result = try CLITests.phasekit(
            ["--reuid=65534", "--regid=65534", "--clear-groups", CLITests.binary.path, "run", script, "--site", site],
            executable: URL(fileURLWithPath: "/usr/bin/setpriv"), directory: "/")
        #expect(result.status == 1, "\(result.output)\(result.error)")
        #expect(result.error.contains("\(site)/state: cannot create the site's state directory (Permission denied); is the site read-only?"), "\(result.error)")
        // With its state/ already there, the lock file cannot be opened: still an error, not a refusal.
        try FileManager.default.createDirectory(atPath: site + "/state", withIntermediateDirectories: true)
        let again = try CLITests.phasekit(
            ["--reuid=65534", "--regid=65534", "--clear-groups", CLITests.binary.path, "run", script, "--site", site],
            executable: URL(fileURLWithPath: "/usr/bin/setpriv"), directory: "/")
        #expect(again.status == 1, "\(again.output)\(again.error)")
        #expect(again.error.contains("\(site)/state/lock: cannot open the lock file (Permission denied); is the site read-only?"), "\(again.error)")
    }

    @Test func versionIsPrintedAndWrittenIntoEveryJSONDocument() throws {
        let version = try CLITests.phasekit(["--version"])
        #expect(version.status == 0)
        let number = version.output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(number.range(of: #"^[0-9]+\.[0-9]+\.[0-9]+$"#, options: .regularExpression) != nil, "\(number)")
        let site = try CLITests.makeSite()
        defer { CrashRecoveryTests.dispose(site) }
        let script = CLITests.repository.appendingPathComponent("Scripts/examples/hello.lua").path
        for arguments in [["run", script, "--site", site, "--json"], ["history", "--site", site, "--json"],
                          ["status", "--site", site, "--json"], ["list", "--json"], ["list", "sync", "--json"]] {
            let result = try CLITests.phasekit(arguments)
            let object = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]
            #expect(object?["phasekitVersion"] as? String == number, "\(arguments)")
            #expect(object?["version"] as? Int == 1, "\(arguments)")
        }
    }

    @Test func statusHistoryAndListPrintJSON() throws {
        let site = try CLITests.makeSite()
        defer { CrashRecoveryTests.dispose(site) }
        let script = CLITests.repository.appendingPathComponent("Scripts/examples/hello.lua").path
        _ = try CLITests.phasekit(["run", script, "--site", site])
        let history = try CLITests.phasekit(["history", "--site", site, "--json"])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(history.output.utf8)) as? [String: Any])
        #expect(document["format"] as? String == "phasekit-history")
        let runs = try #require(document["runs"] as? [[String: Any]])
        #expect(runs.count == 1 && runs.first?["outcome"] as? String == "changes" && runs.first?["mode"] as? String == "analyze")
        let id = try #require(runs.first?["id"] as? String)
        let one = try CLITests.phasekit(["history", "--site", site, id, "--json"])
        #expect(one.output.contains("\"report\" : {"), "\(one.output.prefix(300))")
        let resume = try CLITests.phasekit(["resume", "--site", site, "--json"])
        #expect(resume.status == 0 && resume.output.hasPrefix("{") && resume.output.contains("\"format\" : \"phasekit-status\""), "\(resume.output)")
        let status = try CLITests.phasekit(["status", "--site", site, "--json"])
        #expect(status.status == 0 && status.output.contains("\"state\" : \"none\""))
        let list = try CLITests.phasekit(["list", "sync", "--json"])
        #expect(list.status == 0 && list.output.contains("\"id\" : \"sync/io/1_terminate_requests\""))
    }

    @Test func underJSONASiteErrorOrARefusalIsStillAJSONReport() throws {
        let broken = try CLITests.makeSite("name: test\nvolumes:\n  backend: tape\n")
        defer { try? FileManager.default.removeItem(atPath: broken) }
        let error = try CLITests.phasekit(["run", "sync", "--site", broken, "--json"])
        #expect(error.status == 1)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(error.output.utf8)) as? [String: Any])
        #expect(report["outcome"] as? String == "error")
        #expect(((report["error"] as? [String: Any])?["message"] as? String)?.hasPrefix("\(broken)/site.yaml:3: volumes.backend: unknown volumes backend 'tape'") == true)
        #expect((report["error"] as? [String: Any])?["kind"] as? String == "configuration")

        let site = try CLITests.makeSite()
        defer { CrashRecoveryTests.dispose(site) }
        let refused = try CLITests.phasekit(["run", "sync", "--site", site, "--execute", "--json"])
        #expect(refused.status == 4)
        let refusal = try #require(try JSONSerialization.jsonObject(with: Data(refused.output.utf8)) as? [String: Any])
        #expect(refusal["outcome"] as? String == "refused" && refusal["mode"] as? String == "execute")
        #expect(((refusal["error"] as? [String: Any])?["message"] as? String)?.contains("pass --yes") == true)
    }

    @Test func theSchemaValidatorRejectsWhatTheSchemaForbids() throws {
        let site = try CLITests.makeSite()
        defer { CrashRecoveryTests.dispose(site) }
        let script = CLITests.repository.appendingPathComponent("Scripts/examples/hello.lua").path
        let result = try CLITests.phasekit(["run", script, "--site", site, "--json"])
        var report = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        #expect(JSONSchemaValidator.reports.violations(of: report).isEmpty)
        report.removeValue(forKey: "outcome")
        report["exitCode"] = 9
        report["surprise"] = true
        var step = try #require((report["steps"] as? [[String: Any]])?.first)
        step["state"] = "exploded"
        report["steps"] = [step]
        let violations = JSONSchemaValidator.reports.violations(of: report)
        #expect(violations.contains("$: missing 'outcome'"))
        #expect(violations.contains("$: unexpected property 'surprise'"))
        #expect(violations.contains { $0.hasPrefix("$.exitCode: 9 is not one of") })
        #expect(violations.contains { $0.hasPrefix("$.steps[0].state: exploded is not one of") })
    }
}
