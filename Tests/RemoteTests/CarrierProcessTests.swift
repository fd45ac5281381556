import Foundation
@testable import Remote
import Testing

/// The process that carries a connection: its answers' pipe holds a large answer while the
/// controller is busy elsewhere (``CarrierProcess/answerPipeBytes``).
@Suite("the process that carries a connection")
struct CarrierProcessTests {
    /// Whether `pid` ended within `seconds` (reaped when it did).
    static func ends(_ pid: pid_t, within seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        var status: Int32 = 0
        while Date() < deadline {
            if waitpid(pid, &status, WNOHANG) == pid { return true }
            usleep(10_000)
        }
        return false
    }

    @Test("an answer of 900 KB is sent whole while nobody reads it: the carrier finishes writing and ends")
    func largeAnswerIsTakenOffTheHost() throws {
        // With the kernel's 64 KiB pipe, this writer blocks until the controller reads.
        let carrier = try CarrierProcess.start(["sh", "-c", "head -c 900000 /dev/zero"])
        #expect(carrier.enlarged)
        let ended = Self.ends(carrier.pid, within: 10)
        #expect(ended, "the carrier was still blocked writing its answer")
        if !ended { kill(carrier.pid, SIGKILL); _ = Self.ends(carrier.pid, within: 5) }
        // All of it is there to read, at once.
        var total = 0
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = read(carrier.fromAgent, &buffer, buffer.count)
            guard count > 0 else { break }
            total += count
        }
        #expect(total == 900_000)
        // Closes its pipes and counts its enlarged pipe back (it was reaped above).
        carrier.stop { _, _ in [] }
    }
}
