import Testing
@testable import PhaseKit

@Suite("Unified diffs and human sizes")
struct TextDiffTests {
    static func diff(_ old: String, _ new: String) -> String? {
        TextDiff.unified(old: Array(old.utf8), new: Array(new.utf8), path: "f")
    }

    @Test("lines end at each newline byte: CRLF lines are lines too (a CR stays on its line), a last newline starts no line")
    func linesSplitOnNewlineBytes() {
        #expect(TextDiff.lines("a\r\nb\r\n") == ["a\r", "b\r"])
        #expect(TextDiff.lines("a\n\nb") == ["a", "", "b"])
        #expect(TextDiff.lines("") == [])
        #expect(TextDiff.lines("\n") == [""])
        #expect(TextDiff.lines("é\n😀x\n") == ["é", "😀x"])
        // Compared as bytes, CR shown: as Characters, a CR and the next newline are one.
        let changed = String(decoding: (Self.diff("one\r\ntwo\r\nthree\r\n", "one\r\nTWO\r\nthree\r\n") ?? "").utf8
            .flatMap { $0 == 13 ? Array("<CR>".utf8) : [$0] }, as: UTF8.self)
        #expect(changed.hasSuffix(" one<CR>\n-two<CR>\n+TWO<CR>\n three<CR>"), "\(changed)")
    }

    @Test func equalTextsHaveNoDiff() {
        #expect(Self.diff("a\nb\n", "a\nb\n") == nil)
    }

    @Test func distantChangesGetHunksOfTheirOwnWithThreeLinesOfContext() {
        let old = (1...20).map { "line \($0)" }.joined(separator: "\n") + "\n"
        var lines = (1...20).map { "line \($0)" }
        lines[1] = "second"
        lines.insert("new", at: 18)
        let new = lines.joined(separator: "\n") + "\n"
        #expect(Self.diff(old, new) == """
            --- f (before)
            +++ f (after)
            @@ -1,5 +1,5 @@
             line 1
            -line 2
            +second
             line 3
             line 4
             line 5
            @@ -16,5 +16,6 @@
             line 16
             line 17
             line 18
            +new
             line 19
             line 20
            """)
    }

    @Test func additionsToAnEmptyFileAndRemovalsOfEverything() {
        #expect(Self.diff("", "a\nb\n") == "--- f (before)\n+++ f (after)\n@@ -0,0 +1,2 @@\n+a\n+b")
        #expect(Self.diff("a\n", "") == "--- f (before)\n+++ f (after)\n@@ -1,1 +0,0 @@\n-a")
    }

    @Test func largeOrBinaryContentIsSummarized() {
        let large = [UInt8](repeating: 65, count: TextDiff.maximumBytes + 1)
        #expect(TextDiff.unified(old: [66], new: large, path: "f")?.hasSuffix("too large to show a diff)") == true)
        #expect(TextDiff.unified(old: [0, 1, 2], new: [0xFF, 0xFE], path: "f") == "(binary content: 3 bytes replaced by 2 bytes)")
    }

    @Test func aLongDiffIsCut() {
        let new = (1...500).map { "l\($0)" }.joined(separator: "\n")
        let diff = Self.diff("", new) ?? ""
        #expect(diff.split(separator: "\n").count == TextDiff.maximumLines + 3)
        #expect(diff.hasSuffix("… 381 more diff line(s) not shown"))
    }

    @Test(arguments: [(Int64(0), "0 bytes"), (1, "1 byte"), (312, "312 bytes"), (1024, "1 KiB"), (25_165_824, "24 MiB"),
                      (1_610_612_736, "1.5 GiB"), (1 << 40, "1 TiB")])
    func sizesAreInBinaryUnits(bytes: Int64, text: String) {
        #expect(ByteCount.format(bytes) == text)
    }
}

@Suite("Row titles")
struct RowTitleTests {
    @Test func aTitleNamesItsServerOnlyAsAWholeName() {
        #expect(StepDefinition.title("Copy configuration to production", names: "production"))
        #expect(StepDefinition.title("Verify recovery1 (changed servers)", names: "recovery1"))
        #expect(!StepDefinition.title("Save configuration", names: "a"))
        #expect(!StepDefinition.title("Copy to recovery10", names: "recovery1"))
    }

    @Test func aRowShowsItsServerInBracketsUnlessItsTitleNamesIt() {
        func step(_ title: String, _ server: String?) -> RunReport.Step {
            RunReport.Step(id: "p/s", title: title, section: nil, server: server, state: .done, script: nil,
                           changes: [], issues: [], log: [], error: nil)
        }
        #expect(ReportRenderer.rowTitle(step("Copy configuration to production", "production")) == "Copy configuration to production")
        #expect(ReportRenderer.rowTitle(step("Save configuration", "a")) == "Save configuration [a]")
        #expect(ReportRenderer.rowTitle(step("Save configuration", nil)) == "Save configuration")
    }
}
