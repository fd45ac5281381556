import Foundation
import TestSupport
import Testing

/// SIGKILL at many points of an execution, then `phasekit resume`: the world must end exactly as
/// after an uninterrupted run, and the journal must stay readable.
///
/// The crash points are exact: `PHASEKIT_CRASH_AT=KIND:N` makes phasekit kill itself right after
/// the Nth durable journal record, applied write, or database commit (see
/// `Sources/PhaseKit/State/CrashPoints.swift`).
@Suite("Crash recovery", .serialized)
struct CrashRecoveryTests {
    struct Result {
        var status: Int32
        var killed: Bool
        /// Standard output, then standard error.
        var output: String
    }

    /// Runs phasekit (``CLITests/phasekit(_:input:executable:directory:environment:)``), with
    /// `PHASEKIT_CRASH_AT` set when `crashAt` is given.
    static func phasekit(_ arguments: [String], crashAt: String? = nil) throws -> Result {
        var environment = ProcessInfo.processInfo.environment
        environment["PHASEKIT_CRASH_AT"] = crashAt
        let result = try CLITests.phasekit(arguments, environment: environment)
        return Result(status: result.status, killed: result.signaled, output: result.output + result.error)
    }

    /// A fresh sample site with no service running yet (execution starts the required ones).
    static func sampleSite() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("phasekit-crash-\(UUID().uuidString)").path
        let result = try phasekit(["sample-site", directory, "--no-services"])
        guard result.status == 0 else { throw CrashTestError(message: result.output) }
        return directory
    }

    /// Kills every process whose working directory is inside the site (its services), then removes it.
    static func dispose(_ site: String) {
        CLITests.validateStoredReports(of: site)
        stopProcesses(in: site)
        try? FileManager.default.removeItem(atPath: site)
    }

    /// Kills every process whose working directory is inside the site (its services).
    static func stopProcesses(in site: String) {
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry), pid != getpid(),
                  let cwd = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(entry)/cwd"),
                  cwd == site || cwd.hasPrefix(site + "/") else { continue }
            kill(pid, SIGKILL)
        }
    }

    /// The world of a site (``SiteWorld/snapshot(of:)``).
    static func world(of site: String) throws -> [String: String] {
        try SiteWorld.snapshot(of: site)
    }

    /// The world after an uninterrupted execution of a procedure.
    static func reference(_ procedure: String) throws -> [String: String] {
        let site = try sampleSite()
        defer { dispose(site) }
        let run = try phasekit(["run", procedure, "--site", site, "--execute", "--yes"])
        guard run.status == 0 else { throw CrashTestError(message: run.output) }
        return try world(of: site)
    }

    nonisolated(unsafe) static var references: [String: [String: String]] = [:]

    static let points: [(procedure: String, crashAt: String)] = [
        // sync: 5 phases, each planned, applied and verified; 34 writes, 4 database commits.
        ("sync", "journal:1"), ("sync", "journal:2"), ("sync", "journal:4"), ("sync", "journal:7"), ("sync", "journal:10"),
        ("sync", "write:1"), ("sync", "write:2"), ("sync", "write:5"), ("sync", "write:12"), ("sync", "write:20"), ("sync", "write:33"),
        ("sync", "commit:1"), ("sync", "commit:3"),
        // configure: 48 rows over 3 servers, running concurrently; 46 writes.
        ("configure", "journal:3"), ("configure", "journal:30"), ("configure", "journal:60"), ("configure", "journal:95"),
        ("configure", "write:1"), ("configure", "write:8"), ("configure", "write:21"), ("configure", "write:30"), ("configure", "write:45"),
    ]

    @Test(.enabled(if: BuiltPhasekit.injectsFaults, "fault injection is compiled into debug builds only"), arguments: points.indices)
    func resumeAfterSIGKILLEndsLikeAnUninterruptedRun(index: Int) throws {
        let (procedure, crashAt) = Self.points[index]
        if Self.references[procedure] == nil { Self.references[procedure] = try Self.reference(procedure) }
        let expected = try #require(Self.references[procedure])

        let site = try Self.sampleSite()
        defer { Self.dispose(site) }
        let crashed = try Self.phasekit(["run", procedure, "--site", site, "--execute", "--yes"], crashAt: crashAt)
        #expect(crashed.killed && crashed.status == SIGKILL, "\(crashAt): the run was not killed: \(crashed.output.suffix(300))")

        let status = try Self.phasekit(["status", "--site", site])
        #expect(status.status == 0)
        #expect(status.output.contains("interrupted"), "\(status.output)")

        let resumed = try Self.phasekit(["resume", "--site", site])
        #expect(resumed.status == 0, "\(crashAt): \(resumed.output.suffix(600))")
        #expect(try Self.world(of: site) == expected, "\(procedure) \(crashAt): the world differs from an uninterrupted run")

        #expect(try Self.phasekit(["resume", "--site", site]).output.contains("Nothing to resume"))
        let again = try Self.phasekit(["run", procedure, "--site", site])
        #expect(again.status == 0, "\(procedure) \(crashAt): a second analysis still finds work: \(again.output.suffix(400))")
    }
}

struct CrashTestError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
