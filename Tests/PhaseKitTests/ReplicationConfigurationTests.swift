import Foundation
import LuaRuntime
import Testing
@testable import PhaseKit
@testable import Replication
@testable import Samples

/// Edits of the sample's saved configuration, one per change kind.
enum Edits {
    static let saved = (try? ReplicationSample.savedYAML) ?? ""
    static let withRecovery2 = (try? ReplicationSample.newYAML) ?? ""

    /// The saved configuration with recovery2 (as the sample's new.yaml has it) added.
    static var savedWithRecovery2: String {
        let recovery2 = withRecovery2[withRecovery2.range(of: "  - name: recovery2")!.lowerBound...]
        return saved + recovery2.replacingOccurrences(of: "lv_invoices, size: 24M", with: "lv_archive, size: 16M")
    }

    static func replacing(_ text: String, _ old: String, _ new: String) -> String {
        precondition(text.contains(old), "the edit '\(old)' does not apply")
        return text.replacingOccurrences(of: old, with: new)
    }

    /// (kind, saved, new)
    static let byKind: [(String, String, String)] = [
        ("volume_added", saved, replacing(replacing(saved,
            "  - { name: lv_archive, size: 16M, group: vg_data }\n", "  - { name: lv_archive, size: 16M, group: vg_data }\n      - { name: lv_new, size: 8M, group: vg_data }\n"),
            "  - { name: lv_archive, size: 16M, group: vg_replica }\n", "  - { name: lv_archive, size: 16M, group: vg_replica }\n      - { name: lv_new, size: 8M, group: vg_replica }\n")),
        ("volume_removed", saved, replacing(replacing(saved,
            "      - { name: lv_archive, size: 16M, group: vg_data }\n", ""), "      - { name: lv_archive, size: 16M, group: vg_replica }\n", "")),
        ("volume_resized", saved, replacing(saved, "name: lv_ledger, size: 32M", "name: lv_ledger, size: 48M")),
        ("server_added", saved, savedWithRecovery2),
        ("server_removed", savedWithRecovery2, saved),
        ("container_changed", saved, replacing(saved, "name: rc_payroll, size: 8M", "name: rc_payroll, size: 12M")),
        ("snapshot_changed", saved, replacing(saved, "name: sn_orders, size: 16M", "name: sn_orders, size: 20M")),
        ("driver_changed", saved, replacing(saved, "drivers: [mx_apply]", "drivers: [mx_apply, mx_trace]")),
        ("process_changed", saved, replacing(saved, "process: { service: lca, port: 7101 }", "process: { service: lca, port: 7201 }")),
        ("group_renamed", saved, replacing(saved, "group: payroll", "group: payroll_eu")),
    ]
}

@Suite("Replication configuration and change")
struct ReplicationConfigurationTests {
    @Test func sampleParses() throws {
        let saved = try ReplicationConfiguration.parse(ReplicationSample.savedYAML, file: "saved.yaml")
        #expect(saved.group == "payroll")
        #expect(saved.servers.map(\.name) == ["production", "recovery1"])
        #expect(saved.production.volumes.map(\.size) == [64 << 20, 32 << 20, 16 << 20])
        #expect(saved.server(named: "recovery1")?.snapshots.first?.source == "lv_orders")
        #expect(saved.server(named: "recovery1")?.process == .init(service: "aba", port: 7101))
        let new = try ReplicationConfiguration.parse(ReplicationSample.newYAML, file: "new.yaml")
        #expect(new.signature != saved.signature)
        #expect(new.layoutTag(of: new.production) != saved.layoutTag(of: saved.production))
    }

    @Test(arguments: [
        ("group: payroll\nservers:\n  - name: p\n    role: primary\n", 4, "servers[0].role: role must be production or recovery"),
        (Edits.savedWithRecovery2 + Edits.savedWithRecovery2[Edits.savedWithRecovery2.range(of: "  - name: recovery2")!.lowerBound...]
            .replacingOccurrences(of: "recovery2", with: "recovery3"), 4, "servers: a group has one or two recovery servers (found 3)"),
        (Edits.replacing(Edits.saved, "name: lv_ledger, size: 32M, group: vg_data", "name: lv_ledger, size: 0, group: vg_data"), 9,
         "servers[0].volumes[1].size: size must be positive"),
        (Edits.replacing(Edits.saved, "name: lv_ledger, size: 32M, group: vg_data", "name: lv_orders, size: 32M, group: vg_data"), 9,
         "servers[0].volumes[1].name: volume name 'lv_orders' is used twice"),
        (Edits.replacing(Edits.saved, "name: rc_payroll, size: 8M, group: vg_data", "name: rc_payroll, size: 8M, group: vg_other"), 11,
         "servers[0].replication_container.group: volume group 'vg_other' is not in this server's volume_groups"),
        (Edits.replacing(Edits.saved, "name: lv_ledger, size: 32M, group: vg_replica", "name: lv_ledger, size: 31M, group: vg_replica"), 16,
         "servers[1]: volume 'lv_ledger' is"),
        (Edits.replacing(Edits.saved, "    drivers: [mx_apply]\n", "    drivers: [mx_apply]\n    colour: blue\n"), 29, "servers[1].colour: unknown key"),
    ])
    func parseErrorsNameFileLineAndPath(text: String, line: Int, message: String) throws {
        let error = #expect(throws: PhaseKitError.self) { try ReplicationConfiguration.parse(text, file: "/site/new.yaml") }
        #expect(error?.description.hasPrefix("/site/new.yaml:\(line): \(message)") == true, "\(error?.description ?? "")")
    }

    @Test(arguments: Edits.byKind.map(\.0))
    func eachEditIsDiffedAsItsKind(kind: String) throws {
        let site = try ConfigureSite()
        defer { site.remove() }
        let (_, saved, new) = try #require(Edits.byKind.first { $0.0 == kind })
        try site.setConfigurations(saved: saved, new: new)
        let change = try #require(try ReplicationChange.load(siteDirectory: site.directory))
        let kinds = Set(try #require(change["kinds"].tableValue).fields.keys.compactMap(\.stringValue))
        #expect(kinds == [kind])
        #expect(change["new"].tableValue?["signature"] != change["saved"].tableValue?["signature"])
        #expect(change["new_text"].stringValue == new)
        #expect(change["home"].stringValue == "production")
    }

    @Test func serverDiffListsWhatChanged() throws {
        let site = try ConfigureSite()
        defer { site.remove() }
        let change = try #require(try ReplicationChange.load(siteDirectory: site.directory))
        let kinds = Set(try #require(change["kinds"].tableValue).fields.keys.compactMap(\.stringValue))
        #expect(kinds == ["volume_added", "volume_removed", "server_added"])
        #expect(change["added_servers"].tableValue?.array == [.text("recovery2")])
        #expect(change["removed_servers"].tableValue?.array == [])
        let production = try #require(change["servers"].tableValue?["production"].tableValue)
        #expect(production["status"] == .text("kept"))
        #expect(production["volumes_added"].tableValue?.array.compactMap { $0.tableValue?["name"].stringValue } == ["lv_invoices"])
        #expect(production["volumes_removed"].tableValue?.array.compactMap { $0.tableValue?["name"].stringValue } == ["lv_archive"])
        #expect(change["servers"].tableValue?["recovery2"].tableValue?["status"] == .text("added"))
    }

    @Test func unchangedOrMissingEditIsNoChange() throws {
        let site = try ConfigureSite()
        defer { site.remove() }
        try site.setConfigurations(saved: Edits.saved, new: Edits.saved)
        #expect(try ReplicationChange.load(siteDirectory: site.directory) == nil)
        try site.setConfigurations(saved: Edits.saved, new: "# only a comment differs\n" + Edits.saved)
        #expect(try ReplicationChange.load(siteDirectory: site.directory) == nil)
        try FileManager.default.removeItem(atPath: site.replication + "/new.yaml")
        #expect(try ReplicationChange.load(siteDirectory: site.directory) == nil)
    }

    @Test func editsInitializationCannotMakeAreRefused() throws {
        let site = try ConfigureSite()
        defer { site.remove() }
        try site.setConfigurations(saved: Edits.saved, new: Edits.replacing(Edits.saved, "name: lv_ledger, size: 32M, group: vg_data",
                                                                              "name: lv_ledger, size: 32M, group: vg_more").replacingOccurrences(
                                                                                of: "volume_groups: [vg_data]", with: "volume_groups: [vg_data, vg_more]"))
        let error = #expect(throws: PhaseKitError.self) { try ReplicationChange.load(siteDirectory: site.directory) }
        #expect(error?.description.contains("new.yaml:9: servers.production.volumes: volume 'lv_ledger' moves from volume group vg_data to vg_more") == true,
                "\(error?.description ?? "")")
    }
}
