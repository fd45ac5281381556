import Foundation
import Testing
import Files
@testable import PhaseKit

/// phasekit's own files, however a script spells them, and the same refusals in both modes.
@Suite("Protected files and canonical paths")
struct ProtectedFilesTests {
    /// A fixture with `scripts/`, `state/`, links to the root and to the database, and a hard link.
    static func fixture() throws -> SiteFixture {
        let fixture = try SiteFixture()
        let manager = FileManager.default
        let directory = fixture.directory
        try manager.createDirectory(atPath: directory + "/scripts/sync", withIntermediateDirectories: true)
        try manager.createDirectory(atPath: directory + "/state", withIntermediateDirectories: true)
        try manager.createDirectory(atPath: directory + "/conf", withIntermediateDirectories: true)
        try Data("one\n".utf8).write(to: URL(fileURLWithPath: directory + "/conf/a.txt"))
        try Data("return {}\n".utf8).write(to: URL(fileURLWithPath: directory + "/scripts/sync/init.lua"))
        for (link, target) in [("self", "."), ("dblink", "cms.db"), ("statelink", "state"), ("alink", "conf/a.txt"),
                               ("dangling", "conf/new.txt")] {
            try manager.createSymbolicLink(atPath: directory + "/" + link, withDestinationPath: target)
        }
        try manager.linkItem(atPath: directory + "/conf/a.txt", toPath: directory + "/conf/hard.txt")
        return fixture
    }

    static let ownFileSpellings = ["./cms.db", ".//cms.db", "cms.db/", "././site.yaml", "./scripts/sync/init.lua", "./state/lock",
                                   "self/cms.db", "self/self/state/x", "dblink", "statelink/x", "cms.db-journal", "./volumes/lv.volume.json"]

    @Test("every spelling of an own file is refused by write, copy and remove, in both modes", arguments: ownFileSpellings)
    func ownFilesAreRefusedHoweverSpelled(path: String) throws {
        let fixture = try Self.fixture()
        defer { try? FileManager.default.removeItem(atPath: fixture.directory) }
        let database = try Data(contentsOf: URL(fileURLWithPath: fixture.directory + "/cms.db"))
        for mode in RunMode.allCases {
            for call in ["files.write('\(path)', 'x')", "files.copy('conf/a.txt', '\(path)')", "files.remove('\(path)')"] {
                let report = try fixture.run(call, mode: mode)
                #expect(report.outcome == .error, "\(call) in \(mode)")
                #expect(report.error?.message.contains("phasekit's own file") == true, "\(call) in \(mode): \(report.error?.message ?? "")")
            }
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: fixture.directory + "/cms.db")) == database)
        #expect(FileManager.default.fileExists(atPath: fixture.directory + "/scripts/sync/init.lua"))
    }

    /// Scripts whose outcome must not depend on the mode: each either fails the same way in
    /// analysis and execution, or succeeds in both.
    static let sameInBothModes = [
        "files.remove('.')", "files.remove('./state')", "files.remove('conf')", "files.remove('self')",
        "files.write('conf', 'x')", "files.write('.', 'x')", "files.write('conf/a.txt/x', 'x')",
        "files.write('n/f', 'x') files.write('n', 'x')", "files.write('n/f', 'x') files.remove('n')",
        "files.write('n', 'x') files.write('n/f', 'x')",
        "files.remove('conf/a.txt') files.write('alink', 'x')", "files.write('dangling', 'x')",
        "files.write('conf/new.txt', 'x') files.write('dangling', 'y') assert(files.read('conf/new.txt') == 'y')",
        "files.write('alink', 'two') assert(files.read('conf/a.txt') == 'two')",
        "files.write('conf/hard.txt', 'x')", "files.remove('conf/hard.txt')",
        "files.write('self/conf/b.txt', 'x') assert(files.read('conf/b.txt') == 'x')",
        "files.remove('conf/a.txt') assert(not files.exists('alink'))",
    ]

    @Test("analysis refuses exactly what execution refuses", arguments: sameInBothModes)
    func analysisRefusesWhatExecutionRefuses(source: String) throws {
        var outcomes: [RunMode: (Bool, String)] = [:]
        for mode in RunMode.allCases {
            let fixture = try Self.fixture()
            defer { try? FileManager.default.removeItem(atPath: fixture.directory) }
            let report = try fixture.run(source, mode: mode)
            // The message without the script's temporary file name.
            let message = (report.error?.message ?? "").replacingOccurrences(of: #"^[^:]*:\d+: "#, with: "", options: .regularExpression)
            outcomes[mode] = (report.outcome == .error, message)
        }
        #expect(outcomes[.analyze]?.0 == outcomes[.execute]?.0, "\(source): analysis \(outcomes[.analyze]!), execution \(outcomes[.execute]!)")
        #expect(outcomes[.analyze]?.1 == outcomes[.execute]?.1)
    }

    @Test("a link created after the area was made is followed when used, in both areas")
    func aLinkCreatedDuringTheRunIsResolvedWhenUsed() throws {
        let fixture = try Self.fixture()
        defer { try? FileManager.default.removeItem(atPath: fixture.directory) }
        let protected = WorldBuilder.protectedFiles(of: fixture.site, root: fixture.directory)
        let real = try RealFileArea(root: fixture.directory, protected: protected)
        let planned = PlannedFileArea(base: try RealFileArea(root: fixture.directory, create: false, protected: protected))
        try planned.write("late/keep.txt", Array("x".utf8))   // a planned directory where the link will be
        try FileManager.default.createSymbolicLink(atPath: fixture.directory + "/later", withDestinationPath: ".")
        for area in [real, planned] as [any FileArea] {
            #expect(throws: FileAreaError.self) { try area.write("later/cms.db", Array("x".utf8)) }
            #expect(throws: FileAreaError.self) { try area.remove("later/site.yaml") }
            #expect(throws: FileAreaError.self) { try area.write("later/later/state/x", Array("x".utf8)) }
        }
        #expect(try planned.read("late/keep.txt") == Array("x".utf8))
        #expect(try planned.list(".").contains("late"))
        #expect(throws: FileAreaError.self) { try planned.write("late", Array("x".utf8)) }
    }

    @Test("a change planned through one server's area is seen, and refused alike, through a nesting one")
    func nestedRootsShareOnePlan() throws {
        let fixture = try Self.fixture()
        defer { try? FileManager.default.removeItem(atPath: fixture.directory) }
        try FileManager.default.createDirectory(atPath: fixture.directory + "/servers/r1", withIntermediateDirectories: true)
        let plan = PlannedFiles()
        let outer = PlannedFileArea(base: try RealFileArea(root: fixture.directory, create: false), planned: plan)
        let inner = PlannedFileArea(base: try RealFileArea(root: fixture.directory + "/servers/r1", create: false), planned: plan)
        try inner.write("conf/a", Array("x".utf8))
        #expect(try outer.read("servers/r1/conf/a") == Array("x".utf8))
        #expect(try outer.list("servers/r1/conf") == ["a"])
        #expect(throws: FileAreaError.self) { try outer.write("servers/r1/conf/a/b", Array("x".utf8)) }
        #expect(throws: FileAreaError.self) { try outer.remove("servers/r1/conf") }
        try outer.remove("self/servers/r1/conf/a")
        #expect(try !inner.exists("conf/a"))
        #expect(!FileManager.default.fileExists(atPath: fixture.directory + "/servers/r1/conf"))
    }
}
