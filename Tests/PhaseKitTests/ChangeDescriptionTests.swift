import Foundation
import Testing
@testable import PhaseKit

/// Every change carries a description in operator terms: bindings describe their own writes,
/// `phase.change(description, fn)` describes a script's, and the raw call stays beside it.
@Suite("Change descriptions")
struct ChangeDescriptionTests {
    @Test func bindingsDescribeTheirWritesWithHumanSizes() throws {
        let fixture = try SiteFixture()
        let report = try fixture.run("""
            volumes.create{ name = "lv_invoices", group = "vg_data", size = 25165824 }
            volumes.create{ name = "rc_x", group = "vg_data", size = "8M", role = "replication_container" }
            volumes.resize("lv_invoices", "1536M")
            volumes.tag("lv_invoices", "replicated")
            files.write("etc/x.conf", string.rep("x", 312))
            db.exec("UPDATE addresses SET state = 'free' WHERE ip = ?", "10.0.0.2")
            """)
        #expect(report.changes.map(\.description) == [
            "create volume lv_invoices, 24 MiB in vg_data, on local",
            "create volume rc_x (replication container), 8 MiB in vg_data, on local",
            "resize volume lv_invoices to 1.5 GiB, on local",
            "tag volume lv_invoices replicated, on local",
            "write 312 bytes to etc/x.conf on local (new file)",
            "SQL update of addresses",
        ])
        // The raw call stays: saved plans compare it, --verbose and JSON show it.
        #expect(report.changes.first?.summary.hasPrefix("volumes.create({") == true)
        #expect(report.changes.first?.location?.hasSuffix(":1") == true)
    }

    @Test func everyWriteBindingDescribesItsCalls() {
        let undescribed = BindingRegistry.standard.bindings.filter { $0.spec.effect == .write && $0.describe == nil }
        #expect(undescribed.map(\.spec.qualifiedName) == [])
    }

    @Test func servicesDescribeWhatTheyDoAndOnWhichServer() throws {
        let fixture = try SiteFixture(services: true)
        let report = try fixture.run("services.stop('agent') services.start('db')")
        #expect(report.changes.map(\.headline) == ["stop service agent on local", "start service db on local"])
    }

    @Test func aWriteOverAnExistingFileCarriesAUnifiedDiff() throws {
        let fixture = try SiteFixture()
        let report = try fixture.run("""
            files.write("etc/x.conf", "a\\nb\\nc\\n")
            files.write("etc/x.conf", "a\\nB\\nc\\n")
            """)
        #expect(report.changes[0].diff == nil)
        #expect(report.changes[1].description == "replace etc/x.conf on local with 6 bytes")
        #expect(report.changes[1].diff == """
            --- etc/x.conf (before)
            +++ etc/x.conf (after)
            @@ -1,3 +1,3 @@
             a
            -b
            +B
             c
            """)
        let copied = try fixture.run("""
            files.write("etc/a.conf", "one\\n")
            files.write("etc/b.conf", "two\\n")
            files.copy("etc/a.conf", "etc/b.conf")
            """)
        #expect(copied.changes[2].description == "copy etc/a.conf on local to etc/b.conf")
        #expect(copied.changes[2].diff == "--- etc/b.conf (before)\n+++ etc/b.conf (after)\n@@ -1,1 +1,1 @@\n-two\n+one")
        let rendered = ReportRenderer(color: false).render(report)
        #expect(rendered.contains("      + replace etc/x.conf on local with 6 bytes\n          --- etc/x.conf (before)\n"))
        #expect(rendered.contains("\n          +B\n"))
    }

    @Test func phaseChangeGroupsTheWritesInsideItAndReturnsWhatFnReturns() throws {
        let fixture = try SiteFixture()
        let report = try fixture.run("""
            local n = phase.change("free address 10.0.0.2 for the new pool", function(ip)
              db.exec("UPDATE addresses SET state = 'free' WHERE ip = ?", ip)
              db.exec("DELETE FROM addresses WHERE ip = ?", ip)
              return 7
            end, "10.0.0.2")
            phase.log("returned", n)
            db.exec("UPDATE addresses SET state = 'x'")
            """)
        #expect(report.changes.map(\.group) == ["free address 10.0.0.2 for the new pool", "free address 10.0.0.2 for the new pool", nil])
        #expect(report.changes.map(\.headline) == ["free address 10.0.0.2 for the new pool", "free address 10.0.0.2 for the new pool", "SQL update of addresses"])
        #expect(report.steps.first?.log == ["returned\t7"])
        let rendered = ReportRenderer(color: false).render(report)
        #expect(rendered.contains("      + free address 10.0.0.2 for the new pool  (2 writes)\n      + SQL update of addresses\n"), "\(rendered)")
        #expect(!rendered.contains("db.exec("), "the raw call only with --verbose")
        let verbose = ReportRenderer(color: false, verbose: true).render(report)
        #expect(verbose.contains("SQL delete of addresses: db.exec(\"DELETE FROM addresses WHERE ip = ?\", \"10.0.0.2\")  at "), "\(verbose)")
    }

    @Test func groupsNestAndAnErrorInsideEndsTheGroupAndPropagates() throws {
        let fixture = try SiteFixture()
        let report = try fixture.run("""
            phase.change("outer", function()
              db.exec("UPDATE addresses SET state = 'a'")
              phase.change("inner", function() db.exec("UPDATE addresses SET state = 'b'") end)
              db.exec("UPDATE addresses SET state = 'c'")
            end)
            local ok, err = pcall(phase.change, "failing", function()
              db.exec("UPDATE addresses SET state = 'd'")
              error("boom")
            end)
            phase.log(ok, err)
            db.exec("UPDATE addresses SET state = 'e'")
            """)
        #expect(report.outcome == .changes)
        #expect(report.changes.map(\.group) == ["outer", "inner", "outer", "failing", nil])
        #expect(report.steps.first?.log.first?.hasPrefix("false\t") == true)
        #expect(report.steps.first?.log.first?.hasSuffix(": boom") == true, "the error propagates unchanged")
    }

    @Test func aBadDescriptionOrFunctionIsAnErrorNamingPhaseChange() throws {
        let fixture = try SiteFixture()
        for source in ["phase.change(42, function() end)", "phase.change('', function() end)", "phase.change('x', 42)"] {
            let report = try fixture.run(source)
            #expect(report.outcome == .error, "\(source)")
            #expect(report.error?.message.contains("'phase.change'") == true, "\(source): \(report.error?.message ?? "")")
        }
    }

    @Test func aDescriptionGrantsNothing() throws {
        let fixture = try SiteFixture()
        let before = try fixture.snapshot()
        let report = try fixture.run("""
            phase.change("execute", function() db.exec("UPDATE addresses SET state = 'gone'") end)
            phase.log(phase.mode)
            """)
        #expect(report.changes.map(\.status) == [.planned])
        #expect(report.steps.first?.log == ["analyze"])
        #expect(try fixture.snapshot() == before, "analysis changed nothing")
    }
}
