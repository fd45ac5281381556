import HostSystem
import Testing

/// Host commands as real child processes: output, status, and the time limit.
@Suite("Process command runner")
struct ProcessCommandRunnerTests {
    @Test func aCommandPastItsTimeLimitIsKilledAndReported() throws {
        let started = ContinuousClock.now
        let error = try #require(throws: CommandError.self) {
            try ProcessCommandRunner().run(["/bin/sleep", "30"], timeout: .milliseconds(300))
        }
        #expect(error.reason.hasPrefix("timed out after"))
        #expect(ContinuousClock.now - started < .seconds(10))
    }

    @Test func aCommandsStatusAndOutputAreReturned() throws {
        let output = try ProcessCommandRunner().run(["/bin/sh", "-c", "echo out; echo err >&2; exit 3"], timeout: .seconds(10))
        #expect(output.status == 3 && output.standardOutput == "out\n" && output.standardError == "err\n")
    }
}
