import TestSupport
import Foundation
import Testing

/// `phasekit lint` and `phasekit new`, on the built binary.
@Suite("Script authoring commands")
struct AuthoringTests {
    @Test func everyBundledScriptPassesLint() throws {
        let result = try CLITests.phasekit(["lint", CLITests.repository.appendingPathComponent("Scripts").path])
        #expect(result.status == 0, "\(result.output)\(result.error)")
        #expect(result.output.isEmpty)
    }

    /// Needs Debian's lua-check (installed by `make test`); without it lint checks syntax and
    /// metadata only and says so.
    @Test func brokenScriptsFailWithFileAndLine() throws {
        let syntax = try CLITests.script("local t = {\n")
        let unknown = try CLITests.script("local x = db.nope('SELECT 1')\nreturn x\n")
        let escape = try CLITests.script("io.open('/etc/passwd')\n")
        let result = try CLITests.phasekit(["lint", syntax, unknown, escape])
        #expect(result.status == 1)
        #expect(result.output.contains("\(syntax):2:"))
        #expect(result.output.contains("\(unknown):1: (W143) accessing undefined field 'nope' of global 'db'"))
        #expect(result.output.contains("\(escape):1: (W113) accessing undefined variable 'io'"))
    }

    @Test func invalidStepMetadataIsReportedForTheFile() throws {
        let site = try CLITests.makeSite()
        let path = site + "/scripts/sync/io/9_incomplete.lua"
        try FileManager.default.createDirectory(atPath: site + "/scripts/sync/io", withIntermediateDirectories: true)
        try "return { title = 'no order', description = 'x', run = function() end }\n".write(toFile: path, atomically: true, encoding: .utf8)
        let result = try CLITests.phasekit(["lint", site + "/scripts"])
        #expect(result.status == 1)
        #expect(result.output.contains("\(path):1: 'order' must be an integer"))
    }

    @Test func aStepsOrderMustAgreeWithItsFileNumber() throws {
        let site = try CLITests.makeSite()
        try FileManager.default.createDirectory(atPath: site + "/scripts/sync/io", withIntermediateDirectories: true)
        let wrong = site + "/scripts/sync/io/7_wrong_order.lua"
        let right = site + "/scripts/sync/io/08_right_order.lua"
        let unnumbered = site + "/scripts/sync/io/unnumbered.lua"
        func step(order: Int) -> String {
            "return {\n  title = 'x',\n  description = 'x',\n  order = \(order),\n  run = function() end,\n}\n"
        }
        try step(order: 6).write(toFile: wrong, atomically: true, encoding: .utf8)
        try step(order: 8).write(toFile: right, atomically: true, encoding: .utf8)
        try step(order: 3).write(toFile: unnumbered, atomically: true, encoding: .utf8)
        let result = try CLITests.phasekit(["lint", site + "/scripts"])
        #expect(result.status == 1)
        #expect(result.output.contains("\(wrong):4: 'order' is 6 but the file name's number is 7: make them agree"), "\(result.output)")
        #expect(!result.output.contains(right) && !result.output.contains(unnumbered), "\(result.output)")
    }

    @Test func newScaffoldsAStepThatPassesLint() throws {
        let site = try CLITests.makeSite()
        let created = try CLITests.phasekit(["new", "sync/io/4_check_pools", "--site", site])
        #expect(created.status == 0)
        let path = site + "/scripts/sync/io/4_check_pools.lua"
        #expect(created.output.trimmingCharacters(in: .whitespacesAndNewlines) == path)
        #expect(try CLITests.phasekit(["lint", path]).status == 0)
        #expect(try CLITests.phasekit(["new", "sync/io/4_check_pools", "--site", site]).status != 0)
    }
}

/// Bundled scripts are found next to an installed binary (`PREFIX/share/phasekit/Scripts`).
@Suite("Installed layout")
struct InstalledLayoutTests {
    @Test func anInstalledBinaryFindsItsBundledScripts() throws {
        let prefix = TestScratch.path("phasekit-prefix").path
        try FileManager.default.createDirectory(atPath: prefix + "/bin", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: prefix + "/share/phasekit", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: CLITests.binary.path, toPath: prefix + "/bin/phasekit")
        try FileManager.default.copyItem(atPath: CLITests.repository.appendingPathComponent("Scripts").path, toPath: prefix + "/share/phasekit/Scripts")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: prefix + "/bin/phasekit")
        process.arguments = ["list"]
        process.currentDirectoryURL = URL(fileURLWithPath: "/")
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(text.contains("sync\t"))
    }
}
