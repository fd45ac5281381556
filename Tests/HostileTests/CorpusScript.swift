import Foundation

/// One hostile script of `Corpus/`, with the expectations its header declares:
///
/// ```lua
/// -- attack: what the script tries
/// -- analyze: error [kind] | changes | clean
/// -- execute: error [kind]        (optional: also run in execution, where it must be refused)
/// -- poisons: later steps          (optional: also run as a step followed by a witness step,
///                                   which must find a pristine environment)
/// ```
///
/// A script that finds a hole raises an error whose message contains `ESCAPED`; the tests treat
/// that as a failure whatever the outcome.
struct CorpusScript: CustomStringConvertible, Sendable {
    struct Expectation: Sendable, Equatable {
        var outcome: String
        var errorKind: String?
    }

    let name: String
    let path: String
    let attack: String
    let analyze: Expectation
    let execute: Expectation?
    /// The script tampers with its environment: it also runs before the witness step of
    /// `Corpus/witness/` (see `StepIsolationCorpusTests`).
    let poisonsLaterSteps: Bool

    var description: String { name }

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Corpus").path

    /// Every script of the corpus, sorted by name.
    static let all: [CorpusScript] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".lua") }.sorted().compactMap { load(directory + "/" + $0) }
    }()

    static var executed: [CorpusScript] { all.filter { $0.execute != nil } }
    static var poisoning: [CorpusScript] { all.filter(\.poisonsLaterSteps) }

    static func load(_ path: String) -> CorpusScript? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        var header: [String: String] = [:]
        for line in text.split(separator: "\n").prefix(while: { $0.hasPrefix("--") }) {
            let body = line.dropFirst(2).trimmingCharacters(in: .whitespaces)
            guard let colon = body.firstIndex(of: ":") else { continue }
            header[String(body[..<colon])] = body[body.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        guard let attack = header["attack"], let analyze = header["analyze"].flatMap(expectation) else { return nil }
        let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        return CorpusScript(name: name, path: path, attack: attack, analyze: analyze, execute: header["execute"].flatMap(expectation),
                            poisonsLaterSteps: header["poisons"] != nil)
    }

    static func expectation(_ text: String) -> Expectation? {
        let words = text.split(separator: " ").map(String.init)
        guard let outcome = words.first else { return nil }
        return Expectation(outcome: outcome, errorKind: words.count > 1 ? words[1] : nil)
    }
}
