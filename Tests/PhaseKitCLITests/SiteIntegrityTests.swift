import Foundation
import Testing

/// End to end on the built binary: phasekit's own files survive every spelling of them, analysis
/// creates nothing, a typo in the database path is an input error, and a site that lost `state/`
/// still knows its running services.
@Suite("phasekit keeps its own files and creates nothing in analysis", .serialized)
struct SiteIntegrityTests {
    /// Every entry below `site` (hidden ones included) outside `state/`, with file contents.
    static func tree(_ site: String) -> [String: Data] {
        var entries: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: site)
        while let relative = enumerator?.nextObject() as? String {
            if relative == "state" || relative.hasPrefix("state/") { continue }
            entries[relative] = FileManager.default.contents(atPath: site + "/" + relative) ?? Data()
        }
        return entries
    }

    /// Pids of live processes whose working directory is exactly `directory` (the sample's services).
    static func processes(in directory: String) -> Set<Int32> {
        var pids: Set<Int32> = []
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry), pid != getpid(),
                  let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8), !stat.contains(") Z "),
                  (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(entry)/cwd")) == directory else { continue }
            pids.insert(pid)
        }
        return pids
    }

    @Test("'./cms.db', './site.yaml', a planted step and './state' are refused in analysis and execution", arguments: [
        "files.write('./cms.db', 'x')", "files.write('.//cms.db', 'x')", "files.copy('inventory/addresses.csv', './site.yaml')",
        "files.write('./scripts/sync/init.lua', 'error()')", "files.remove('./state')", "files.remove('.')",
        "files.remove('./cms.db')",
    ])
    func ownFilesSurviveEverySpelling(source: String) throws {
        let site = try CrashRecoveryTests.sampleSite()
        defer { CrashRecoveryTests.dispose(site) }
        let script = try CLITests.script(source)
        defer { try? FileManager.default.removeItem(atPath: script) }
        try FileManager.default.createDirectory(atPath: site + "/state", withIntermediateDirectories: true)
        let before = Self.tree(site)
        let analysis = try CLITests.phasekit(["run", script, "--site", site])
        #expect(analysis.status == 1, "analysis: \(analysis.output)")
        let execution = try CLITests.phasekit(["run", script, "--site", site, "--execute", "--yes"])
        #expect(execution.status == 1, "execution: \(execution.output)")
        #expect(Self.tree(site) == before)
        #expect(FileManager.default.fileExists(atPath: site + "/state"))
        let header = FileManager.default.contents(atPath: site + "/cms.db")?.prefix(15)
        #expect(header == Data("SQLite format 3".utf8))
    }

    @Test func listingVolumesAndAnalyzingSyncCreateNothing() throws {
        let site = try CrashRecoveryTests.sampleSite()
        defer { CrashRecoveryTests.dispose(site) }
        let script = try CLITests.script("for _, v in ipairs(volumes.list()) do print(v.name) end print(volumes.get('lv_x'))")
        defer { try? FileManager.default.removeItem(atPath: script) }
        let before = Self.tree(site)
        #expect(try CLITests.phasekit(["run", script, "--site", site]).status == 0)
        #expect(try CLITests.phasekit(["run", "sync", "--site", site]).status == 3)   // its services are not running
        #expect(Self.tree(site) == before, "analysis created \(Set(Self.tree(site).keys).subtracting(before.keys).sorted())")
    }

    @Test func aMissingSQLiteFileIsAnInputErrorNamingTheFileAndTheLine() throws {
        let site = try CLITests.makeSite("name: typo\ndatabase: sqlite:nope.db\n")
        defer { try? FileManager.default.removeItem(atPath: site) }
        let script = try CLITests.script("print(db.value('SELECT 1'))")
        defer { try? FileManager.default.removeItem(atPath: script) }
        for arguments in [["run", script, "--site", site], ["run", script, "--site", site, "--execute", "--yes"], ["run", "sync", "--site", site]] {
            let result = try CLITests.phasekit(arguments)
            #expect(result.status == 1, "\(arguments): \(result.output)\(result.error)")
            #expect(result.error.contains("site.yaml:2: database: sqlite:nope.db: no such database file \(site)/nope.db"), "\(result.error)")
            #expect(!FileManager.default.fileExists(atPath: site + "/nope.db"))
        }
    }

    @Test func withoutStateExecutionStartsNoSecondCopyAndStopsTheNonRequiredServices() throws {
        let site = FileManager.default.temporaryDirectory.appendingPathComponent("phasekit-nostate-\(UUID().uuidString)").path
        #expect(try CrashRecoveryTests.phasekit(["sample-site", site]).status == 0)
        defer { CrashRecoveryTests.dispose(site) }
        let running = Self.processes(in: site)
        #expect(running.count == 4)   // cms-database, cms-directory, io-orchestrator, rm-agent
        try FileManager.default.removeItem(atPath: site + "/state")
        let execution = try CLITests.phasekit(["run", "sync", "--site", site, "--execute", "--yes"])
        #expect(execution.status == 0, "\(execution.output.suffix(800))")
        let after = Self.processes(in: site)
        #expect(after.count == 2, "services running after the execution: \(after.sorted()) (before: \(running.sorted()))")
        #expect(after.isSubset(of: running), "execution started a second copy of a running service")
    }
}
