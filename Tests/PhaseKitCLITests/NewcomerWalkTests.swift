import Foundation
import Testing
import TestSupport

/// A newcomer's walk: README.md's "Using it" and docs/operations.md's examples, typed literally on
/// a terminal (a tmux window) against a fresh `phasekit sample-site`, with the built binary.
///
/// Each ``Step`` names the documented command as its document writes it (the test fails when the
/// document no longer has it), the answers typed at each `Proceed? [y/N]`, the documented exit
/// code, and quotes of the docs that its output must show (each must still be in the docs).
/// A step's output must also hold every line of the fenced block the docs mark
/// `<!-- output of: COMMAND -->` for its command (a `...` line stands for what is left out, `...`
/// in a line for any text). `DIR` is the sample site (`DIR2` a second one); a command with other
/// placeholders (`PROC`, `[ID]`, `[--yes]`) says what it types instead. `phasekit bindings` is
/// left out: it rewrites the repository's `Bindings/` and `docs/api.md` (BindingsInSyncTests
/// checks them).
@Suite("A newcomer's walk through the docs", .serialized)
struct NewcomerWalkTests {
    struct Step {
        var document: String
        /// The command as the document writes it.
        var line: String
        /// What is typed when the documented command has placeholders other than `DIR`.
        var typed: String?
        /// The keys typed at each `Proceed? [y/N]`, in order (`y`, `n`, `C-c`).
        var answers: [String] = []
        var status: Int32
        /// Quotes of the docs (placeholders such as `N` match any value) the output must show.
        var shows: [String] = []
    }

    static let sync = "phasekit run sync --site DIR --execute"

    /// The walk, in order: what a newcomer tries, declines, interrupts, then applies.
    static let walk: [Step] = [
        Step(document: "README.md", line: "phasekit sample-site DIR", status: 0),
        Step(document: "README.md", line: "phasekit run sync --site DIR", status: 2,
             shows: ["34 changes planned; 21 findings, 0 need manual action. Nothing was changed; apply with --execute."]),
        Step(document: "docs/operations.md", line: "phasekit run sync --site DIR --verbose", status: 2),
        Step(document: "README.md", line: sync, answers: ["n"], status: 4,
             shows: ["Proceed? [y/N]", "Not confirmed: nothing was changed."]),
        Step(document: "README.md", line: sync, answers: ["C-c"], status: 4, shows: ["Not confirmed: nothing was changed."]),
        Step(document: "README.md", line: sync, answers: ["y", "n"], status: 4,
             shows: ["Not confirmed: nothing more was changed. 2 changes applied before (see above); 8 changes not confirmed."]),
        Step(document: "docs/operations.md", line: "phasekit status --site DIR", status: 0, shows: ["finished (not-confirmed)"]),
        Step(document: "README.md", line: "phasekit history --site DIR [ID]", typed: "phasekit history --site DIR", status: 0,
             shows: ["execution of sync: not-confirmed (exit 4), 2 change(s) applied, 8 not confirmed; 8 finding(s), 0 need manual action"]),
        Step(document: "README.md", line: "phasekit resume --site DIR", status: 0, shows: ["Nothing to resume"]),
        Step(document: "README.md", line: sync, answers: ["y", "y", "y", "y"], status: 0,
             shows: ["N changes applied; M findings, 0 need manual action."]),
        Step(document: "docs/operations.md", line: "phasekit status --site DIR", status: 0, shows: ["finished (applied)"]),
        Step(document: "README.md", line: "phasekit run configure --site DIR", status: 2,
             shows: ["○ pending  ▸ running  ✓ done  ✗ failed  ~ planned (changes found)  · not chosen  ! needs action",
                     "N changes planned; M findings, K need manual action. Nothing was changed; apply with --execute."]),
        Step(document: "README.md", line: "phasekit run configure --site DIR --execute --yes", status: 0,
             shows: ["N changes applied; M findings, 0 need manual action."]),
        Step(document: "docs/operations.md", line: "phasekit status --site DIR", status: 0, shows: ["finished (applied)"]),
        Step(document: "README.md", line: "phasekit run PROC --site DIR --plan-out plan.json", typed: "phasekit run sync --site DIR --plan-out DIR/plan.json",
             status: 0, shows: ["Nothing to change."]),
        Step(document: "README.md", line: "phasekit run PROC --site DIR --execute --plan plan.json",
             typed: "phasekit run sync --site DIR --execute --plan DIR/plan.json", status: 0),
        Step(document: "README.md", line: "phasekit list [PROCEDURE] [--site DIR]", typed: "phasekit list sync --site DIR", status: 0),
        Step(document: "README.md", line: "phasekit show sync/io/3_mark_allocated_addresses [--site DIR]",
             typed: "phasekit show sync/io/3_mark_allocated_addresses --site DIR", status: 0),
        Step(document: "README.md", line: "phasekit hosts check --site DIR", status: 0),
        Step(document: "README.md", line: "phasekit services status --site DIR", status: 0),
        Step(document: "README.md", line: "phasekit services stop --site DIR [--yes]", typed: "phasekit services stop --site DIR",
             answers: ["y"], status: 0),
        Step(document: "README.md", line: "phasekit new sync/io/4_my_check --site DIR", status: 0),
        Step(document: "README.md", line: "phasekit run path/to/script.lua --site DIR",
             typed: "phasekit run DIR/scripts/sync/io/4_my_check.lua --site DIR", status: 0, shows: ["Nothing to change."]),
        Step(document: "README.md", line: "phasekit lint [PATH...]", typed: "phasekit lint DIR/scripts", status: 0),
        Step(document: "README.md", line: "phasekit --version", status: 0),
        // A second sample site, applied from start to end: every phase confirmed.
        Step(document: "README.md", line: "phasekit sample-site DIR", typed: "phasekit sample-site DIR2", status: 0),
        Step(document: "README.md", line: sync, typed: "phasekit run sync --site DIR2 --execute", answers: ["y", "y", "y", "y", "y"], status: 0,
             shows: ["34 changes applied; 21 findings, 0 need manual action."]),
        Step(document: "README.md", line: "phasekit services stop --site DIR [--yes]", typed: "phasekit services stop --site DIR2 --yes", status: 0),
    ]

    static let documents = ["README.md", "docs/operations.md", "docs/policy.md"]

    static func text(of document: String) throws -> String {
        try String(contentsOf: BuiltPhasekit.repository.appendingPathComponent(document), encoding: .utf8)
    }

    /// The docs' text with whitespace folded, where a quote is looked for.
    static let docs: String = {
        // A doc that cannot be read has no quote: every step quoting it fails, naming the quote.
        let all = documents.map { (try? text(of: $0)) ?? "" }.joined(separator: "\n")
        return all.replacingOccurrences(of: #"\s+"#, with: " ", options: .regularExpression)
    }()

    /// The lines of the docs' blocks marked `<!-- output of: command -->`, `...` lines left out.
    static func outputBlock(of command: String) throws -> [String] {
        var found: [String] = []
        for document in documents {
            let lines = try text(of: document).components(separatedBy: "\n")
            guard let marker = lines.firstIndex(of: "<!-- output of: \(command) -->"), lines.count > marker + 2 else { continue }
            let body = lines[(marker + 2)...].prefix { !$0.hasPrefix("```") }
            found += body.filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("...") && !$0.isEmpty }
        }
        return found
    }

    /// The files the docs show as written by `command` (`<!-- written by: command -> PATH -->`
    /// before a fenced block), with the block's lines.
    static func writtenBlocks(by command: String) throws -> [(path: String, lines: [String])] {
        var found: [(String, [String])] = []
        let prefix = "<!-- written by: \(command) -> "
        for document in markedDocuments {
            let lines = try text(of: document).components(separatedBy: "\n")
            for (index, marker) in lines.enumerated() where marker.hasPrefix(prefix) && marker.hasSuffix(" -->") && lines.count > index + 2 {
                let path = String(marker.dropFirst(prefix.count).dropLast(" -->".count))
                found.append((path, Array(lines[(index + 2)...].prefix { !$0.hasPrefix("```") })))
            }
        }
        return found
    }

    /// README.md and the guides in docs/ (but the generated docs/api.md): where output blocks are marked.
    static let markedDocuments = DocsQuotedOutputTests.documents

    /// Whether `output` has a line that starts as the documented `line` does (its placeholders,
    /// such as `...` for a path, matching anything).
    static func output(_ output: String, hasLine line: String) throws -> Bool {
        let regex = try NSRegularExpression(pattern: "^" + DocsQuotedOutputTests.pattern(of: line), options: .anchorsMatchLines)
        return regex.firstMatch(in: output, range: NSRange(output.startIndex..., in: output)) != nil
    }

    static func expectShown(_ quote: String, in output: String, by typed: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let folded = quote.replacingOccurrences(of: #"\s+"#, with: " ", options: .regularExpression)
        #expect(docs.contains(folded), "the docs no longer quote `\(quote)`", sourceLocation: sourceLocation)
        let regex = try NSRegularExpression(pattern: DocsQuotedOutputTests.pattern(of: quote))
        #expect(regex.firstMatch(in: output, range: NSRange(output.startIndex..., in: output)) != nil,
                "\(typed) does not show `\(quote)`:\n\(output)", sourceLocation: sourceLocation)
    }

    @Test func theDocumentedCommandsGiveTheDocumentedPromptsOutputAndExitCodes() throws {
        let tmux = try TmuxSession(columns: 200, rows: 50)
        defer { tmux.close() }
        let site = TestScratch.path("newcomer-site").path, second = TestScratch.path("newcomer-site").path
        defer {
            CrashRecoveryTests.dispose(site)
            CrashRecoveryTests.dispose(second)
        }
        for (number, step) in Self.walk.enumerated() {
            #expect(try Self.text(of: step.document).contains(step.line), "\(step.document) no longer has `\(step.line)`")
            let typed = (step.typed ?? step.line).replacingOccurrences(of: "DIR2", with: "'\(second)'")
                .replacingOccurrences(of: "DIR", with: "'\(site)'")
            let command = "'\(CLITests.binary.path)'" + typed.dropFirst("phasekit".count)
            let window = "step\(number)"
            try tmux.open(window, "set -m; cd '\(TestScratch.root.path)'; \(command)")
            for (index, keys) in step.answers.enumerated() {
                try tmux.waitFor(window, seconds: 60) { $0.components(separatedBy: "Proceed? [y/N]").count > index + 1 }
                if keys == "C-c" { try tmux.send(window, "C-c") } else { try tmux.send(window, keys, "Enter") }
            }
            let ended = try tmux.awaitExit(window, seconds: 120)
            let output = ended.text.components(separatedBy: "[exited ").dropLast().joined()
            #expect(ended.status == step.status, "\(typed): exit \(ended.status), the docs say \(step.status)\n\(output)")
            #expect(output.components(separatedBy: "Proceed? [y/N]").count - 1 == step.answers.count,
                    "\(typed): one prompt per answer\n\(output)")
            for quote in step.shows { try Self.expectShown(quote, in: output, by: typed) }
            for line in try Self.outputBlock(of: step.line) {
                #expect(try Self.output(output, hasLine: line), "\(typed) does not print the docs' `\(line)`:\n\(output)")
            }
            for (path, lines) in try Self.writtenBlocks(by: step.typed == nil ? step.line : "") {
                let file = path.replacingOccurrences(of: "DIR", with: site)
                let written = (try? String(contentsOfFile: file, encoding: .utf8)) ?? "(\(file) cannot be read)"
                for line in lines {
                    #expect(try Self.output(written, hasLine: line), "\(typed) does not write the docs' `\(line)` into \(path):\n\(written)")
                }
            }
            try tmux.closeWindow(window)
        }
        #expect(try !Self.outputBlock(of: "phasekit run sync --site DIR").isEmpty, "the README marks the output of sync's analysis")
    }

    /// The commands of README.md's "Using it" block that the walk leaves out, and why.
    static let notWalked = ["phasekit bindings --out Bindings --docs docs/api.md": "rewrites the repository's generated files",
                            "phasekit serve --site DIR": "serves until Ctrl-C: ServeStartTests checks its documented start, the ServeTests and BrowserTests the rest"]

    @Test func theWalkTakesEveryCommandOfTheReadmesUsingIt() throws {
        let readme = try Self.text(of: "README.md").components(separatedBy: "\n")
        let start = try #require(readme.firstIndex(of: "## Using it"))
        let block = readme[start...].drop { $0 != "```sh" }.dropFirst().prefix { !$0.hasPrefix("```") }
        let commands = block.map { line in
            (line.components(separatedBy: "  #").first ?? line).trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty }
        #expect(commands.count > 15, "\(commands)")
        for command in commands where Self.notWalked[command] == nil {
            #expect(Self.walk.contains { $0.line == command }, "README.md's `\(command)` is not in the walk")
        }
    }

    /// Every fenced block of the docs without a language (```` ``` ````, not ```` ```sh ```` or
    /// ```` ```yaml ````) is output or data and says which: the output of a command the walk runs
    /// (`<!-- output of: COMMAND -->`) or a file it writes (`<!-- written by: COMMAND -> PATH -->`),
    /// and the walk has a step for it, or an illustration and what checks it (`<!-- illustration: ... -->`).
    @Test func everyOutputBlockOfTheDocsIsMarked() throws {
        for document in Self.markedDocuments {
            let lines = try Self.text(of: document).components(separatedBy: "\n")
            var inside = false
            for (index, line) in lines.enumerated() where line.hasPrefix("```") {
                defer { inside.toggle() }
                guard !inside, line == "```" else { continue }
                let marker = index > 0 ? lines[index - 1] : ""
                var command = marker.hasPrefix("<!-- output of: ") ? String(marker.dropFirst("<!-- output of: ".count).dropLast(" -->".count)) : nil
                if marker.hasPrefix("<!-- written by: ") {
                    command = marker.dropFirst("<!-- written by: ".count).components(separatedBy: " -> ").first
                }
                #expect(command != nil || marker.hasPrefix("<!-- illustration: "), "\(document):\(index + 1): a block of output without its marker")
                if let command {
                    #expect(Self.walk.contains { $0.line == command && $0.typed == nil }, "\(document):\(index + 1): the walk does not run `\(command)`")
                }
            }
        }
    }
}
