import Foundation
import Testing
import TestSupport

/// `phasekit run` prints its report while the report is stored under `state/reports/`
/// (`ArchiveQueue`): however the command ends, the stored report is never lost to it.
@Suite("the report is stored while it prints", .serialized)
struct ArchiveWhilePrintingTests {
    @Test("a SIGINT while the report is still being stored waits for the store: the report is there, and the process ends by the signal")
    func signalWaitsForTheStore() throws {
        let site = try CrashRecoveryTests.sampleSite()
        defer { CrashRecoveryTests.dispose(site) }
        let stop = TestScratch.path("archive-stop").path
        defer { try? FileManager.default.removeItem(atPath: stop) }
        let process = Process()
        // As from a shell on a terminal: SIGINT's default action (the test runner may ignore it,
        // and an ignored signal stays ignored across exec).
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["--default-signal=INT", CLITests.binary.path, "run", "sync", "--site", site]
        var environment = ProcessInfo.processInfo.environment
        environment["PHASEKIT_STOP_AT"] = "archive:1"
        environment["PHASEKIT_STOP_FILE"] = stop
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        let deadline = Date().addingTimeInterval(120)
        while !FileManager.default.fileExists(atPath: stop), process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        try #require(FileManager.default.fileExists(atPath: stop), "the run reached the store of its report")
        // The command goes on meanwhile (it prints the report, then waits at its exit).
        Thread.sleep(forTimeInterval: 0.3)
        kill(process.processIdentifier, SIGINT)
        Thread.sleep(forTimeInterval: 0.5)
        #expect(process.isRunning, "the signal waits until the report is stored")
        let reports = site + "/state/reports"
        let stored = { ((try? FileManager.default.contentsOfDirectory(atPath: reports)) ?? []).filter { $0.hasSuffix("-analyze-sync-\(process.processIdentifier).json") } }
        #expect(stored().isEmpty)
        try FileManager.default.removeItem(atPath: stop)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGINT)
        #expect(stored().count == 1, "\((try? FileManager.default.contentsOfDirectory(atPath: reports)) ?? [])")
    }

    @Test("a SIGTERM while an execution applies waits for its analysis's report, still being stored: the report is there, and the process ends by the signal")
    func signalDuringTheExecutionWaitsForTheStore() throws {
        let site = try CrashRecoveryTests.sampleSite()
        defer { CrashRecoveryTests.dispose(site) }
        let stop = TestScratch.path("archive-stop-executing").path
        defer { try? FileManager.default.removeItem(atPath: stop) }
        // A change, then 2 to 3 seconds of work, in the analysis and again in the execution.
        let script = site + "/slow_write.lua"
        try "files.write('archive-signal.txt', 'x')\nlocal start = os.time()\nwhile os.time() - start < 3 do end\n"
            .write(toFile: script, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["--default-signal=TERM", CLITests.binary.path, "run", script, "--site", site, "--execute", "--yes"]
        var environment = ProcessInfo.processInfo.environment
        // The analysis's report is held at its store while the execution runs.
        environment["PHASEKIT_STOP_AT"] = "archive:1"
        environment["PHASEKIT_STOP_FILE"] = stop
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        let deadline = Date().addingTimeInterval(120)
        while !FileManager.default.fileExists(atPath: stop), process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        try #require(FileManager.default.fileExists(atPath: stop), "the analysis reached the store of its report")
        Thread.sleep(forTimeInterval: 0.3)
        kill(process.processIdentifier, SIGTERM)
        Thread.sleep(forTimeInterval: 0.5)
        #expect(process.isRunning, "the signal waits until the analysis's report is stored")
        let reports = site + "/state/reports"
        let stored = { ((try? FileManager.default.contentsOfDirectory(atPath: reports)) ?? []).filter { $0.hasSuffix("-analyze-slow_write-\(process.processIdentifier).json") } }
        #expect(stored().isEmpty)
        try FileManager.default.removeItem(atPath: stop)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGTERM)
        #expect(stored().count == 1, "\((try? FileManager.default.contentsOfDirectory(atPath: reports)) ?? [])")
    }
}
