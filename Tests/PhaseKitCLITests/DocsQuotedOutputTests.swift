import Foundation
import Testing
import TestSupport

/// The docs quote what the binary prints.
///
/// README.md and the guides in docs/ present phasekit's output in two forms:
///
/// - **Inline messages**: a code span that reads as a message (three words at least, ending with
///   `.` or starting with `phasekit: `), such as `Not confirmed: nothing was changed.`.
/// - **Output blocks**: a fenced block right after a `<!-- output of: COMMAND -->` line; the
///   newcomer's walk (``NewcomerWalkTests``) runs COMMAND on a fresh sample site and finds each of
///   the block's lines in what it prints.
///
/// Every inline message is checked one of two ways, chosen by what its scenario costs:
///
/// - **Run for real** (``scenarios``): a message a cheap command produces (an error on a bad
///   command line or an empty directory, a refusal without a terminal, the plan of a piped
///   `configure --execute --yes`) is matched against that command's real output, its placeholders
///   (`N`, `DIR`, `PATH`, `...`) as wildcards, with the documented exit code.
/// - **Against the source's literals**: the others (a crash, a lost connection, a full disk, a
///   deferred signal: scenarios the dedicated suites run, at a cost) must have every fixed part
///   (what lies between placeholders, counts such as `2 changes` and quoted names) in a string
///   literal of Sources/ (Swift and C), literals joined where the source splits them with `+`. A reworded
///   message, such as the binary's `Refused:` where the docs said `Not confirmed:`, fails here.
///
/// A quote that is not phasekit's own output (a shell command, PostgreSQL's words) is listed in
/// ``notPhasekitOutput`` with the reason.
@Suite("The docs quote what the binary prints", .serialized)
struct DocsQuotedOutputTests {
    /// README.md and every guide in docs/ (but docs/api.md, generated from the binding registry).
    static let documents: [String] = {
        let docs = BuiltPhasekit.repository.appendingPathComponent("docs")
        // A docs/ that cannot be listed leaves README.md alone, and the count of messages fails the test.
        let guides = ((try? FileManager.default.contentsOfDirectory(atPath: docs.path)) ?? [])
            .filter { $0.hasSuffix(".md") && $0 != "api.md" }.sorted().map { "docs/" + $0 }
        return ["README.md"] + guides
    }()

    /// Quotes that are not phasekit's output, and why.
    static let notPhasekitOutput: [String: String] = [
        "apt-get install -y liblua5.4-dev libsqlite3-dev libpq-dev ...": "the command make runs",
        "make faults N=...": "a make command",
        "DATABASE: connection lost: server closed the connection unexpectedly ...": "libpq's message, after phasekit's prefix",
        "phasekit sample-site DIR --ssh-config FILE --phasekit PATH --host production=ssh://HOST/ROOT --host recovery1=... --host recovery2=...":
            "a command line",
        "phasekit: server 'production': cannot read replication/new.yaml: server 'production' on host1: connection lost: the connection closed; nothing was changed":
            "composed of the connection-lost marker and the agent connection's words; LostReadsTests checks it",
        "Stopped: server 'recovery1' on host2: connection lost: the connection closed. Nothing was changed.":
            "composed of the connection-lost marker and the agent connection's words; LostReadsTests checks it",
        "Stopped: server 'recovery1' on host2: connection lost: the connection closed; run phasekit resume once the host is reachable: it re-plans this step from the host's real state. 2 changes applied before it (see above); 1 change in doubt (sent, never answered: made or not, resume re-plans it from the host); nothing else was changed.":
            "composed of the connection-lost marker and the agent connection's words; RemoteInterruptTests and StoppedLineTests check it",
        "phasekit: Terminate stale requests was not confirmed before the interruption, and there is no terminal to ask on; to apply it, run phasekit resume --site DIR on a terminal.":
            "names a step of sync (data); ResumeWithoutTerminalTests checks the message",
    ]

    /// A message produced by a cheap command: the quote as the docs write it, the command (`SITE`
    /// stands for a fresh sample site, `EMPTY` for an empty directory, also the working
    /// directory), and the exit code the docs give.
    struct Scenario: CustomTestStringConvertible, Sendable {
        var quote: String
        var arguments: [String]
        var status: Int32
        var testDescription: String { quote }
    }

    static let scenarios: [Scenario] = [
        Scenario(quote: "phasekit: no site: give --site DIR (no site.yaml in DIR)", arguments: ["status"], status: 1),
        Scenario(quote: "phasekit: no site: give --site DIR", arguments: ["history"], status: 1),
        Scenario(quote: "phasekit: no stored run 'ID' (see phasekit history)", arguments: ["history", "--site", "SITE", "20990101T000000-1"], status: 1),
        Scenario(quote: "phasekit: unknown procedure 'P' (known: ...)", arguments: ["run", "nosuchprocedure", "--site", "SITE"], status: 1),
        Scenario(quote: "phasekit: DIR exists and is not empty", arguments: ["sample-site", "SITE", "--no-services"], status: 1),
        Scenario(quote: "Refusing to execute without a terminal to confirm on; pass --yes.", arguments: ["run", "sync", "--site", "SITE", "--execute"], status: 4),
        Scenario(quote: "phasekit: plan of configure (nothing is changed before you confirm)",
                 arguments: ["run", "configure", "--site", "SITE", "--execute", "--yes"], status: 0),
    ]

    /// Every inline message of the docs, whitespace folded (a quote may wrap across lines).
    static func inlineMessages() throws -> [(document: String, quote: String)] {
        var found: [(String, String)] = []
        for document in documents {
            var text = try String(contentsOf: BuiltPhasekit.repository.appendingPathComponent(document), encoding: .utf8)
            text = text.replacingOccurrences(of: "(?s)```.*?```", with: "", options: .regularExpression)
            text = text.replacingOccurrences(of: #"\s*\n\s*"#, with: " ", options: .regularExpression)
            let span = try NSRegularExpression(pattern: "`([^`]+)`")
            for match in span.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                guard let range = Range(match.range(at: 1), in: text) else { continue }
                let quote = text[range].replacingOccurrences(of: #"\s+"#, with: " ", options: .regularExpression)
                guard quote.split(separator: " ").count >= 3, quote.hasSuffix(".") || quote.hasPrefix("phasekit: ") else { continue }
                found.append((document, quote))
            }
        }
        return found
    }

    /// What stands for a value in a quote: a name in capitals (`N`, `DIR`, `PATH`) or in angle
    /// brackets, a numbered name (`host2`), a count with its noun (`2 changes`, `N step row(s)`),
    /// a path, a quoted name, a reason in brackets, `...`.
    static let placeholder = #"\b[a-z]+\d+\b|<[^>]*>|\b([A-Z][A-Z_0-9]*|\d+)\b( [a-z]+(\(s\))?)?|\S*/\S*|'[^']*'|\([A-Z][a-z ]+\)|\.\.\.|…|\d+"#

    /// The quote's fixed parts: split at placeholders and at the ends of sentences and clauses
    /// (`. `, `; `), where the source joins the parts of a message it composes.
    static func fixedParts(of quote: String) -> [String] {
        // `phasekit: ` is put before every error message where it is printed, not in its literal.
        let message = quote.hasPrefix("phasekit: ") ? String(quote.dropFirst("phasekit: ".count)) : quote
        let marked = message.replacingOccurrences(of: placeholder, with: "\u{0}", options: .regularExpression)
            .replacingOccurrences(of: #"(?<=[.;]) "#, with: "\u{0}", options: .regularExpression)
        return marked.split(separator: "\u{0}").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " .;:,")) }.filter { $0.count >= 4 }
    }

    /// The source's text, its string literals joined where a `+` splits them, then again without
    /// the interpolations.
    static let sourceText: String = {
        var text = ""
        let root = BuiltPhasekit.repository.appendingPathComponent("Sources")
        for case let url as URL in FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) ?? FileManager.DirectoryEnumerator()
        where url.pathExtension == "swift" || url.pathExtension == "c" {
            // A file that cannot be read fails the check of every quote it holds: never silent.
            text += ((try? String(contentsOf: url, encoding: .utf8)) ?? "") + "\n"
        }
        let joined = text.replacingOccurrences(of: #""\s*\+\s*""#, with: "", options: .regularExpression)
        // Also without interpolations, for a message with a part chosen at run time (`need\(s)`).
        return joined + "\n" + joined.replacingOccurrences(of: #"\\\((?:[^()]|\([^()]*\))*\)"#, with: "", options: .regularExpression)
    }()

    /// The quote as a pattern over one line of output: placeholders match anything.
    static func pattern(of quote: String) -> String {
        let parts = quote.components(separatedBy: "...")
        return parts.map { part in
            NSRegularExpression.escapedPattern(for: part)
                .replacingOccurrences(of: #"\b[A-Z][A-Z_]*\b"#, with: ".+?", options: .regularExpression)
        }.joined(separator: ".*?")
    }

    @Test func everyInlineMessageIsInTheSourceOrRunForReal() throws {
        let messages = try Self.inlineMessages()
        #expect(messages.count > 30, "the docs' messages are found: \(messages.count)")
        let ran = Set(Self.scenarios.map(\.quote))
        for (document, quote) in messages where !ran.contains(quote) && Self.notPhasekitOutput[quote] == nil {
            let missing = Self.fixedParts(of: quote).filter { !Self.sourceText.contains($0) }
            #expect(missing.isEmpty, "\(document) quotes `\(quote)`, but the source prints no \(missing.map { "'\($0)'" }.joined(separator: ", "))")
        }
        for quote in ran.union(Self.notPhasekitOutput.keys) {
            #expect(messages.contains { $0.quote == quote }, "the docs no longer quote `\(quote)`: update the test's tables")
        }
    }

    @Test(arguments: scenarios) func aCheapScenarioPrintsTheQuoteForReal(_ scenario: Scenario) throws {
        let site = try CrashRecoveryTests.sampleSite()
        defer { CrashRecoveryTests.dispose(site) }
        let empty = TestScratch.path("docs-quotes").path
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: empty) }   // the scratch root is swept too
        let arguments = scenario.arguments.map { $0 == "SITE" ? site : $0 == "EMPTY" ? empty : $0 }
        let result = try CLITests.phasekit(arguments, directory: empty)
        let output = result.output + result.error
        #expect(result.status == scenario.status, "phasekit \(arguments.joined(separator: " ")): exit \(result.status)\n\(output)")
        let regex = try NSRegularExpression(pattern: Self.pattern(of: scenario.quote))
        #expect(regex.firstMatch(in: output, range: NSRange(output.startIndex..., in: output)) != nil,
                "phasekit \(arguments.joined(separator: " ")) does not print `\(scenario.quote)`:\n\(output)")
    }
}
