import Foundation
import Testing
@testable import PhaseKit

/// The closing line of a run stopped by a lost or unreachable host ends its message once: ssh's
/// own messages end with a stop ("Connection closed by remote host."), others do not.
@Suite("The Stopped: line ends its message once")
struct StoppedLineTests {
    @Test(arguments: ["ssh: Connection closed by remote host.", "connection lost: agent ended"])
    func oneStop(message: String) {
        let sentence = ReportRenderer.sentence(message)
        #expect(sentence.hasSuffix(".") && !sentence.hasSuffix(".."), "\(sentence)")
        #expect(sentence.hasPrefix(message.trimmingCharacters(in: .whitespaces)))
    }
}
