import Foundation
import PhaseKit
import Samples
import Testing

/// Every change kind of docs/configure.md end to end on the built binary: from the steady state,
/// edit `replication/new.yaml`, check which rows the analysis chooses, execute, check the world
/// on every server, and check that a second analysis finds nothing.
@Suite("configure: every change kind end to end", ConfigureSteadyState.scope)
struct ConfigureChangeKindTests {
    /// The steady state's configuration (the sample's new.yaml, initialized).
    static let steady = (try? ReplicationSample.newYAML) ?? ""

    static func replacing(_ text: String, _ old: String, _ new: String) -> String {
        precondition(text.contains(old), "the edit '\(old)' does not apply")
        return text.replacingOccurrences(of: old, with: new)
    }

    /// The steady configuration without recovery2.
    static var withoutRecovery2: String {
        String(steady[..<steady.range(of: "  - name: recovery2")!.lowerBound])
    }

    static func addingNewVolume(_ text: String) -> String {
        var text = text
        for group in ["vg_data", "vg_replica", "vg_dr"] {
            text = replacing(text, "  - { name: lv_invoices, size: 24M, group: \(group) }\n",
                             "  - { name: lv_invoices, size: 24M, group: \(group) }\n      - { name: lv_new, size: 8M, group: \(group) }\n")
        }
        return text
    }

    /// One case: the edit, the rows its analysis runs, and the servers whose process it resets.
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var new: String
        var rows: [String]
        var resets: Set<String>
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "volume_added", new: addingNewVolume(steady), rows: [
            "01", "02:production", "02:recovery1", "02:recovery2", "03:production", "04:production", "04:recovery1", "04:recovery2",
            "10:production", "10:recovery1", "10:recovery2", "11:production", "11:recovery1", "11:recovery2",
            "13:production", "13:recovery1", "13:recovery2", "14:production", "15:recovery1", "15:recovery2",
            "19:production", "19:recovery1", "19:recovery2", "20:production", "20:recovery1", "20:recovery2",
        ], resets: ["production", "recovery1", "recovery2"]),
        Case(name: "volume_removed", new: replacing(replacing(replacing(steady,
            "      - { name: lv_ledger, size: 32M, group: vg_data }\n", ""),
            "      - { name: lv_ledger, size: 32M, group: vg_replica }\n", ""),
            "      - { name: lv_ledger, size: 32M, group: vg_dr }\n", ""), rows: [
            "01", "02:production", "02:recovery1", "02:recovery2", "03:production", "04:production", "04:recovery1", "04:recovery2",
            "05:recovery1", "05:recovery2", "08:recovery1", "08:recovery2", "10:production", "10:recovery1", "10:recovery2",
            "11:production", "11:recovery1", "11:recovery2", "12:production", "12:recovery1", "12:recovery2",
            "14:production", "15:recovery1", "15:recovery2", "17:production", "17:recovery1", "17:recovery2",
            "19:production", "19:recovery1", "19:recovery2", "20:production", "20:recovery1", "20:recovery2",
        ], resets: ["production", "recovery1", "recovery2"]),
        Case(name: "volume_resized", new: replacing(steady, "name: lv_ledger, size: 32M", "name: lv_ledger, size: 48M"), rows: [
            "01", "02:production", "02:recovery1", "02:recovery2", "03:production", "04:production", "04:recovery1", "04:recovery2",
            "05:recovery1", "05:recovery2", "08:recovery1", "08:recovery2", "10:production", "10:recovery1", "10:recovery2",
            "11:production", "11:recovery1", "11:recovery2", "14:production", "15:recovery1", "15:recovery2",
            "19:production", "19:recovery1", "19:recovery2", "20:production", "20:recovery1", "20:recovery2",
        ], resets: ["production", "recovery1", "recovery2"]),
        Case(name: "server_removed", new: withoutRecovery2, rows: [
            "01", "02:production", "02:recovery1", "03:production", "07:recovery2", "10:production", "10:recovery1",
            "11:production", "11:recovery1", "12:production", "12:recovery1", "14:production", "15:recovery1", "17:recovery2",
            "18:production", "18:recovery1", "18:recovery2", "20:production", "20:recovery1", "20:recovery2",
        ], resets: ["production", "recovery1"]),
        Case(name: "container_changed", new: replacing(steady, "name: rc_payroll, size: 8M", "name: rc_payroll, size: 12M"), rows: [
            "01", "02:production", "02:recovery1", "02:recovery2", "04:production", "04:recovery1", "04:recovery2",
            "06:recovery1", "06:recovery2", "11:production", "11:recovery1", "11:recovery2", "14:production", "15:recovery1", "15:recovery2",
            "19:production", "19:recovery1", "19:recovery2", "20:production", "20:recovery1", "20:recovery2",
        ], resets: ["production", "recovery1", "recovery2"]),
        Case(name: "snapshot_changed", new: replacing(steady, "name: sn_orders, size: 16M", "name: sn_orders, size: 20M"), rows: [
            "01", "02:production", "02:recovery1", "02:recovery2", "08:recovery1", "11:production", "11:recovery1", "11:recovery2",
            "15:recovery1", "19:recovery1", "20:production", "20:recovery1", "20:recovery2",
        ], resets: ["recovery1"]),
        Case(name: "driver_changed", new: replacing(steady, "drivers: [mx_capture, mx_ioctl]", "drivers: [mx_capture, mx_trace]"), rows: [
            "01", "02:production", "02:recovery1", "02:recovery2", "11:production", "11:recovery1", "11:recovery2", "14:production",
            "16:production", "20:production", "20:recovery1", "20:recovery2",
        ], resets: ["production"]),
        Case(name: "process_changed", new: replacing(steady, "process: { service: lca, port: 7101 }", "process: { service: lca, port: 7201 }"), rows: [
            "01", "02:production", "02:recovery1", "02:recovery2", "11:production", "11:recovery1", "11:recovery2", "14:production",
            "19:production", "20:production", "20:recovery1", "20:recovery2",
        ], resets: ["production"]),
        Case(name: "group_renamed", new: replacing(steady, "group: payroll\n", "group: payroll_eu\n"), rows: [
            "01", "02:production", "02:recovery1", "02:recovery2", "11:production", "11:recovery1", "11:recovery2",
            "14:production", "15:recovery1", "15:recovery2", "18:production", "18:recovery1", "18:recovery2",
            "20:production", "20:recovery1", "20:recovery2",
        ], resets: ["production", "recovery1", "recovery2"]),
        // Several at once: a volume added, another resized, recovery1's drivers and recovery2's apply process changed.
        Case(name: "combination", new: replacing(replacing(replacing(addingNewVolume(steady),
            "name: lv_orders, size: 64M", "name: lv_orders, size: 80M"),
            "    drivers: [mx_apply]\n    process: { service: aba, port: 7101 }", "    drivers: [mx_apply, mx_trace]\n    process: { service: aba, port: 7101 }"),
            "process: { service: aba, port: 7102 }", "process: { service: aba, port: 7202 }"), rows: [
            "01", "02:production", "02:recovery1", "02:recovery2", "03:production", "04:production", "04:recovery1", "04:recovery2",
            "05:recovery1", "05:recovery2", "08:recovery1", "08:recovery2", "10:production", "10:recovery1", "10:recovery2",
            "11:production", "11:recovery1", "11:recovery2", "13:production", "13:recovery1", "13:recovery2",
            "14:production", "15:recovery1", "15:recovery2", "16:recovery1",
            "19:production", "19:recovery1", "19:recovery2", "20:production", "20:recovery1", "20:recovery2",
        ], resets: ["production", "recovery1", "recovery2"]),
    ]

    @Test(arguments: cases)
    func editFromTheSteadyState(_ edit: Case) throws {
        let site = try SiteTemplate.copy()
        defer { CrashRecoveryTests.dispose(site) }
        try ConfigureEdit(site: site, saved: Self.steady, new: edit.new).check(rows: edit.rows, resets: edit.resets)
    }

    /// A removed recovery server loses every volume of the group, replicas included: step 7
    /// plans their deletion, and after execution only volumes the group never knew remain.
    @Test func aRemovedRecoveryServerLosesItsReplicas() throws {
        let site = try SiteTemplate.copy()
        defer { CrashRecoveryTests.dispose(site) }
        // A volume of recovery2 the group never knew: it stays.
        let script = try CLITests.script(#"volumes.on("recovery2").create{ name = "lv_scratch", group = "vg_dr", size = 1048576 }"#)
        defer { try? FileManager.default.removeItem(atPath: script) }
        #expect(try CLITests.phasekit(["run", script, "--site", site, "--execute", "--yes"]).status == 0)
        let edit = ConfigureEdit(site: site, saved: Self.steady, new: Self.withoutRecovery2)
        try edit.write()
        let analysis = try edit.analyze()
        let step7 = analysis.steps.filter { $0.id.hasSuffix("/07_delete_all_containers_and_volumes") && $0.server == "recovery2" }
        let deleted = step7.flatMap(\.changes).filter { $0.binding == "volumes.delete" }
            .compactMap { $0.arguments.first.flatMap { if case .string(let name) = $0 { name } else { nil } } }
        #expect(deleted.sorted() == ["lrc_payroll", "lv_invoices", "lv_ledger", "lv_orders", "rc_payroll"])
        let execution = try CLITests.phasekit(["run", "configure", "--site", site, "--execute", "--yes"])
        #expect(execution.status == 0, "\(execution.output.suffix(600))")
        #expect(try ServerWorld(site: site, server: "recovery2").volumes.keys.sorted() == ["lv_scratch"])
    }

    /// Adding a server back after its removal: it is rebuilt from nothing.
    @Test func aServerAddedToTheGroupIsBuiltFromNothing() throws {
        let site = try SiteTemplate.copy()
        defer { CrashRecoveryTests.dispose(site) }
        try ConfigureEdit(site: site, saved: Self.steady, new: Self.withoutRecovery2).write()
        let removal = try CLITests.phasekit(["run", "configure", "--site", site, "--execute", "--yes"])
        #expect(removal.status == 0, "\(removal.output.suffix(600))")
        try FileManager.default.removeItem(atPath: site + "/state")   // only this run's restarts count below
        CrashRecoveryTests.stopProcesses(in: site)
        try ConfigureEdit(site: site, saved: Self.withoutRecovery2, new: Self.steady).check(rows: [
            "01", "02:production", "02:recovery1", "02:recovery2", "03:production", "10:production", "10:recovery1",
            "11:production", "11:recovery1", "11:recovery2", "12:production", "12:recovery1", "12:recovery2",
            "14:production", "15:recovery1", "15:recovery2", "16:recovery2", "18:production", "18:recovery1", "18:recovery2",
            "20:production", "20:recovery1", "20:recovery2",
        ], resets: ["production", "recovery1", "recovery2"])
    }
}
