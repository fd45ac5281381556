import Foundation
import Testing
@testable import PhaseKit

/// `phase.review` keeps the operator's marks: a file it cannot read is never rewritten.
@Suite("Review files")
struct ReviewFileTests {
    @Test func anUnreadableReviewFileFailsTheCallAndIsLeftAsItWas() throws {
        let fixture = try SiteFixture()
        let directory = fixture.directory + "/state/review"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // The operator's mark, then a line that is not UTF-8.
        let content = Data(Array("* a  first\n".utf8) + [0xff, 0xfe, 0x0a])
        try content.write(to: URL(fileURLWithPath: directory + "/hosts.txt"))
        let report = try fixture.run("phase.review('hosts', {{key = 'a', text = 'first'}, {key = 'b', text = 'second'}})")
        #expect(report.steps.first?.state == .failed)
        #expect(try Data(contentsOf: URL(fileURLWithPath: directory + "/hosts.txt")) == content)
    }

    @Test func theOperatorsMarksAreKept() throws {
        let fixture = try SiteFixture()
        let directory = fixture.directory + "/state/review"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try "  a  first\n* b  second\n".write(toFile: directory + "/hosts.txt", atomically: true, encoding: .utf8)
        let report = try fixture.run("""
            local marked = phase.review('hosts', {{key = 'a', text = 'first', proposed = true}, {key = 'b', text = 'second'}})
            phase.log(table.concat(marked, ','))
            """)
        #expect(report.steps.first?.log == ["b"])
    }
}
