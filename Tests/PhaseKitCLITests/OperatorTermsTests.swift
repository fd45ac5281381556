import Foundation
import PhaseKit
import Testing

/// What the operator reads, end to end on the built binary: changes in operator terms at the
/// prompt, in execution reports, in `history ID` and in JSON (with the raw call kept), findings
/// kept from the plan to the report, file diffs, human sizes, row titles naming their server, and
/// summaries that say what needs the operator.
@Suite("Plans and reports in operator terms", .serialized)
struct OperatorTermsTests {
    static func sampleSite() throws -> String {
        let site = FileManager.default.temporaryDirectory.appendingPathComponent("phasekit-terms-\(UUID().uuidString)").path
        #expect(try CLITests.phasekit(["sample-site", site]).status == 0)
        return site
    }

    @Test func aSyncExecutionShowsEachPhasesPlanWithItsFindingsAndKeepsThemInTheReport() throws {
        let site = try Self.sampleSite()
        defer { CrashRecoveryTests.dispose(site) }
        let execution = try CLITests.phasekit(["run", "sync", "--site", site, "--execute", "--yes"])
        #expect(execution.status == 0, "\(execution.output.suffix(600))")
        let output = execution.output
        // The plan shown before applying a phase: descriptions, then the findings that explain them.
        let plan = try #require(output.range(of: "  plan of this phase:\n  ! Terminate stale requests  (8 changes, 8 findings)\n"), "\(output.prefix(1500))")
        let planText = output[plan.upperBound...]
        #expect(planText.hasPrefix("      + mark request 1007 (add_server of svc-0004) terminated, not re-run: in progress when the backup of 2026-03-14T02:00:00Z was taken\n"))
        #expect(planText.contains("      ! request 1007 (add_server of svc-0004) is in_progress but may already have run (resolved by the planned changes)\n"))
        #expect(!output.contains("db.exec("), "no raw binding call without --verbose")
        // The applied phase keeps its findings.
        #expect(output.contains("  ✓ Terminate stale requests  (8 changes, 8 findings)\n      ✓ mark request 1007"))
        #expect(output.contains("      ! request 1007 (add_server of svc-0004) is in_progress but may already have run (resolved by the applied changes)\n"))
        #expect(output.contains("  ✓ Check the management services  (2 changes)\n      ✓ stop service io-orchestrator on cms"))
        #expect(output.hasSuffix("\n34 changes applied; 21 findings, 0 need manual action.\n"), "\(output.suffix(300))")
        #expect(!output.contains("apply with --execute") && !output.contains("analysis (nothing"))

        // The stored report and history ID carry the same.
        let history = try CLITests.phasekit(["history", "--site", site])
        #expect(history.output.contains("execution of sync: applied (exit 0), 34 change(s) applied; 21 finding(s), 0 need manual action"), "\(history.output)")
        let id = try #require(history.output.split(separator: "\n").last?.split(separator: " ").first.map(String.init))
        let shown = try CLITests.phasekit(["history", "--site", site, id])
        #expect(shown.output.contains("      ✓ mark request 1007 (add_server of svc-0004) terminated, not re-run"), "\(shown.output.prefix(800))")
        #expect(shown.output.contains("(resolved by the applied changes)"))
        #expect(!shown.output.contains("db.exec("))
        let json = try RunReport.decoded(from: try CLITests.phasekit(["history", "--site", site, id, "--json"]).output.runReportOfHistory())
        let terminate = try #require(json.steps.first { $0.id == "sync/io/1_terminate_requests" })
        #expect(terminate.issues.count == 8, "the execution report keeps the phase's findings")
        #expect(terminate.changes.first?.group?.hasPrefix("mark request 1007 (add_server of svc-0004) terminated") == true)
        #expect(terminate.changes.first?.description == "SQL update of io_requests")
        #expect(terminate.changes.first?.binding == "db.exec")
        #expect(terminate.changes.first?.location?.hasSuffix("sync/io/1_terminate_requests.lua:61") == true, "\(terminate.changes.first?.location ?? "")")
    }

    /// `Proceed? [y/N]` on a pseudo-terminal (util-linux `script` opens it): each phase's plan is
    /// shown in operator terms, with the findings that explain it, before its question.
    @Test func thePromptShowsThePhasesChangesAndFindingsBeforeAsking() throws {
        let site = try Self.sampleSite()
        defer { CrashRecoveryTests.dispose(site) }
        let binary = CLITests.repository.appendingPathComponent(".build/debug/phasekit").path
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        // Yes to the services pre-check, no to the first IO phase.
        let result = try CLITests.phasekit(["-qec", "\(binary) run sync --site \(site) --execute", "/dev/null"], input: "y\nn\n",
                                           executable: URL(fileURLWithPath: "/usr/bin/script"), environment: environment)
        #expect(result.status == 4, "\(result.output.suffix(600))")
        let output = result.output.replacingOccurrences(of: "\r\n", with: "\n")
        #expect(output.contains("""
              plan of this phase:
              ~ Check the management services  (2 changes)
                  + stop service io-orchestrator on cms (not required: nothing may change underneath the synchronization)
                  + stop service rm-agent on cms (not required: nothing may change underneath the synchronization)
            Apply 2 change(s) of Check the management services? Proceed? [y/N]
            """), "\(output.prefix(1200))")
        let second = try #require(output.range(of: "Apply 8 change(s) of Terminate stale requests? Proceed? [y/N]"), "\(output.suffix(1500))")
        let plan = output[..<second.lowerBound]
        #expect(plan.contains("      + mark request 1014 (power_cycle of svc-0002) terminated, not re-run: scheduled for 2026-03-16T03:00:00Z"))
        #expect(plan.contains("      ! request 1014 (power_cycle of svc-0002) is scheduled but may already have run (resolved by the planned changes)\n"))
        #expect(!plan.contains("db.exec("))
    }

    @Test func verboseShowsTheRawCallAndItsLine() throws {
        let site = try Self.sampleSite()
        defer { CrashRecoveryTests.dispose(site) }
        let analysis = try CLITests.phasekit(["run", "sync", "--site", site, "--verbose"])
        #expect(analysis.status == 2)
        #expect(analysis.output.contains("      + stop service io-orchestrator on cms (not required: nothing may change underneath the synchronization)\n          stop service io-orchestrator on cms: services.stop(\"io-orchestrator\")  at "), "\(analysis.output.prefix(800))")
        #expect(analysis.output.contains("sync/io/1_terminate_requests.lua:61"))
        #expect(analysis.output.contains("34 changes planned; 21 findings, 0 need manual action. Nothing was changed; apply with --execute."))
    }

    @Test func aConfigureExecutionShowsThePlanWithDiffsSizesAndServerTitlesAndEndsWithWhatItApplied() throws {
        let site = try Self.sampleSite()
        defer { CrashRecoveryTests.dispose(site) }
        let execution = try CLITests.phasekit(["run", "configure", "--site", site, "--execute", "--yes"])
        #expect(execution.status == 0, "\(execution.output.suffix(600))")
        let output = execution.output
        let plan = try #require(output.range(of: "phasekit: plan of configure (nothing is changed before you confirm)\n"))
        let planText = output[plan.upperBound...]
        #expect(planText.contains("""
              ~ Copy configuration to production  (1 change)
                  + copy replication/new.yaml to etc/replication/group.yaml on production
                      --- etc/replication/group.yaml (before)
                      +++ etc/replication/group.yaml (after)
                      @@ -1,4 +1,4 @@
                      -# Replication group payroll as last initialized (phasekit run configure keeps this file).
                      +# Replication group payroll, edited: lv_invoices added, lv_archive removed, recovery2 added.
            """), "\(planText.prefix(1200))")
        #expect(planText.contains("      + create volume lv_invoices, 24 MiB in vg_data, on production\n"))
        #expect(planText.contains("  ✓ Set new logical volume lv_invoices as requiring replication on production\n"))
        #expect(planText.contains("\n46 changes planned; 0 findings, 0 need manual action.\n"))
        #expect(!output.contains("apply with --execute") && !output.contains("[production]  (1 change)\n      + copy"))
        #expect(output.hasSuffix("\n46 changes applied; 0 findings, 0 need manual action.\n"), "\(output.suffix(300))")

        let reports = try FileManager.default.contentsOfDirectory(atPath: site + "/state/reports").filter { $0.contains("execute-configure") && $0.hasSuffix(".json") }
        let stored = try Data(contentsOf: URL(fileURLWithPath: site + "/state/reports/" + (reports.first ?? "")))
        let report = try RunReport.decoded(from: String(decoding: stored, as: UTF8.self))
        let copy = try #require(report.changes.first { $0.binding == "files.write" && $0.server == "production" })
        #expect(copy.group == "copy replication/new.yaml to etc/replication/group.yaml on production")
        #expect(copy.diff?.hasPrefix("--- etc/replication/group.yaml (before)\n+++ etc/replication/group.yaml (after)\n@@ ") == true)
    }

    @Test func aResumeEndsWithWhatItAppliedNotWithAnAnalysisVerdict() throws {
        let site = try CrashRecoveryTests.sampleSite()
        defer { CrashRecoveryTests.dispose(site) }
        let crashed = try CrashRecoveryTests.phasekit(["run", "sync", "--site", site, "--execute", "--yes"], crashAt: "write:4")
        #expect(crashed.killed)
        let resumed = try CLITests.phasekit(["resume", "--site", site])
        #expect(resumed.status == 0, "\(resumed.output.suffix(600))")
        #expect(!resumed.output.contains("apply with --execute") && !resumed.output.contains("analysis (nothing"), "\(resumed.output.suffix(600))")
        #expect(resumed.output.range(of: #"\n\d+ changes applied; \d+ findings, 0 need manual action\.\n$"#, options: .regularExpression) != nil, "\(resumed.output.suffix(300))")
    }

    @Test func aScriptExecutionShowsItsPlanWithoutTheAnalysisVerdict() throws {
        let site = try CLITests.makeSite()
        let example = CLITests.repository.appendingPathComponent("Scripts/examples/hello.lua").path
        let result = try CLITests.phasekit(["run", example, "--site", site, "--execute", "--yes"])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("phasekit: plan of \(example) (nothing is changed before you confirm)"))
        #expect(result.output.contains("\n2 changes planned; 1 finding, 0 need manual action.\n"), "\(result.output)")
        #expect(!result.output.contains("apply with --execute"))
        #expect(result.output.hasSuffix("\n2 changes applied; 1 finding, 0 need manual action.\n"), "\(result.output)")
    }
}

extension String {
    /// The `report` of the one run `history ID --json` prints, as JSON text.
    func runReportOfHistory() throws -> String {
        let document = try JSONSerialization.jsonObject(with: Data(utf8)) as? [String: Any]
        let report = ((document?["runs"] as? [[String: Any]])?.first?["report"]) ?? [:]
        return String(decoding: try JSONSerialization.data(withJSONObject: report), as: UTF8.self)
    }
}
