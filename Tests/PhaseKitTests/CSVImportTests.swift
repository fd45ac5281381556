import Foundation
import Testing
@testable import PhaseKit

@Suite("CSV import: the parser and db.import_csv")
struct CSVImportTests {
    func parse(_ text: String, _ columns: [String] = ["a", "b"]) throws(CSVFormatError) -> CSVRecords {
        try CSVRecords(parsing: Array(text.utf8), file: "in.csv", columns: columns)
    }

    func failure(_ text: String, _ columns: [String] = ["a", "b"]) -> String? {
        do {
            _ = try parse(text, columns)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func selectsColumnsByNameSkippingCommentsAndBlankLines() throws {
        let records = try parse("# exported 2026-03-16\n\nb, a ,c\r\n 2 ,1,x\r\n\n   # note\n4,3,y")
        #expect(records.count == 2)
        #expect(records.values == ["1", "2", "3", "4"])
    }

    @Test func aByteOrderMarkBeforeTheHeaderIsSkipped() throws {
        let records = try CSVRecords(parsing: [0xEF, 0xBB, 0xBF] + Array("a,b\n1,2\n".utf8), file: "in.csv", columns: ["a", "b"])
        #expect(records.values == ["1", "2"])
    }

    @Test func quotedFieldsHoldCommasQuotesAndLineBreaks() throws {
        let records = try parse("a,b\n\"x, y\",\"say \"\"hi\"\"\"\n\"two\nlines\" , z\r\n\"#not a comment\",\"\"\"\"")
        #expect(records.values == ["x, y", "say \"hi\"", "two\nlines", "z", "#not a comment", "\""])
    }

    @Test func badInputNamesFileAndLine() {
        #expect(failure("a,b\n1,2\n3\n") == "in.csv:3: 1 field(s), the header has 2")
        #expect(failure("a,b\n# c\n\n1,\n") == "in.csv:4: empty b")
        #expect(failure("a,c\n1,2\n") == "in.csv:1: the header has no column 'b'")
        #expect(failure("a,b,a\n") == "in.csv:1: the header names column 'a' twice")
        #expect(failure("# only a comment\n") == "in.csv: no header line")
        #expect(failure("a,b\n1,2\n\"3,4\n5,6\n") == "in.csv:3: a quoted field is not closed before the end of the file")
        #expect(failure("a,b\n1,\"2\"x\n") == "in.csv:2: text after the closing quote of a field")
        #expect(failure("a,b\n1,2\"\n") == "in.csv:2: a quote inside an unquoted field")
        #expect(failure("a,b\n\"1\n\n\",2\n3,\n") == "in.csv:5: empty b")
    }

    @Test func invalidUTF8IsRefused() {
        var bytes = Array("a,b\n1,".utf8)
        bytes += [0xFF, 0x0A]
        #expect(throws: CSVFormatError.self) { try CSVRecords(parsing: bytes, file: "in.csv", columns: ["a", "b"]) }
    }

    @Test func importFillsATemporaryTableAndChangesNothing() throws {
        let fixture = try SiteFixture()
        var lines = ["# inventory", "ip,owner,since"]
        for index in 0..<1_234 { lines.append("10.1.\(index / 256).\(index % 256),svc\(index % 7),2026-03-15T00:00:00Z") }
        try lines.joined(separator: "\n").write(toFile: fixture.directory + "/in.csv", atomically: true, encoding: .utf8)
        let before = try fixture.snapshot()
        let report = try fixture.run("""
            local n = db.import_csv("live", "in.csv", { "owner", "ip" })
            phase.log(n, db.value("SELECT count(*) FROM live"), db.value("SELECT ip FROM live WHERE owner = 'svc3' ORDER BY ip LIMIT 1"))
            """, mode: .execute)
        #expect(report.outcome == .applied)
        #expect(report.changes.isEmpty)
        #expect(report.steps.first?.log == ["1234\t1234\t10.1.0.10"])
        #expect(try fixture.snapshot() == before)
    }

    @Test func aBadFileIsReportedAndCreatesNoTable() throws {
        let fixture = try SiteFixture()
        try "ip,owner\n10.0.0.1,a\n10.0.0.2\n".write(toFile: fixture.directory + "/bad.csv", atomically: true, encoding: .utf8)
        let report = try fixture.run("""
            local n, err = db.import_csv("live", "bad.csv", { "ip", "owner" })
            phase.log(tostring(n), err, db.value("SELECT count(*) FROM sqlite_temp_master WHERE name = 'live'"))
            local missing, why = db.import_csv("live", "nowhere.csv", { "ip" })
            phase.log(tostring(missing), why)
            """)
        #expect(report.steps.first?.log == ["nil\tbad.csv:3: 1 field(s), the header has 2\t0", "nil\tnowhere.csv does not exist"])
        for bad in ["db.import_csv('x; DROP TABLE addresses', 'bad.csv', {'ip'})", "db.import_csv('t', 'bad.csv', {'ip', 'a b'})",
                    "db.import_csv('t', '../etc/passwd', {'ip'})"] {
            #expect(try fixture.run(bad).outcome == .error, "\(bad)")
        }
    }
}
