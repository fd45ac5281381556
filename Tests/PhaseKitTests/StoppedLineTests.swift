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

    @Test("a stop after writes in doubt says how many, never \"nothing more was changed\" over them")
    func writesInDoubtAreSaid() {
        func change(_ status: Change.Status, _ error: String? = nil) -> Change {
            var made = Change(binding: "files.write", arguments: [.string("f")], status: status, location: nil, step: "s", server: "peer2")
            made.error = error
            return made
        }
        func closing(_ changes: [Change]) -> String {
            let step = RunReport.Step(id: "s", title: "s", section: nil, server: nil, state: .failed, script: nil,
                                      changes: changes, issues: [], log: [], error: nil)
            let lost = PhaseKitError.precondition("server 'peer2' on peer2: connection lost: the connection closed")
            let report = RunReport.make(RunReport.Heading(target: "t", site: nil, mode: .execute, startedAt: Date()), steps: [step],
                                        error: RunReport.ErrorDetail(lost), blocked: true)
            return ReportRenderer(color: false).summary(report)
        }
        let doubt = "server 'peer2' on peer2: connection lost: the connection closed (before this change was answered: whether it was made is unknown)"
        let said = closing([change(.applied), change(.applied), change(.failed, doubt), change(.failed, doubt), change(.failed, "'f': cannot write (disk full)")])
        #expect(said.hasSuffix("2 changes applied before it (see above); 2 changes in doubt (sent, never answered: made or not, "
                               + "resume re-plans them from the host); nothing else was changed."), "\(said)")
        #expect(closing([change(.failed, doubt)]).hasSuffix(" 1 change in doubt (sent, never answered: made or not, resume re-plans it from the host); nothing else was changed."))
        #expect(closing([change(.applied)]).hasSuffix(" 1 change applied before it (see above); nothing more was changed."))
        #expect(closing([]).hasSuffix(" Nothing was changed."))
    }
}
