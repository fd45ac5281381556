import Foundation
import PhaseKit
import PropertyBased
import Testing

/// Random and mutated `site.yaml` files given to the site loader.
@Suite("site.yaml loader properties")
struct SiteYAMLPropertyTests {
    static let valid = HostileSite.yaml(marker: "m") + """
        limits:
          time_seconds: 30
          memory_mb: 64
        parameters:
          sync:
            backup_time: "2026-11-20T02:00:00Z"
            retries: 3

        """

    static let fragments = ["name:", "database:", "servers:", "- name: a", "services:", "volumes:", "limits:", "parameters:",
                            "backend: tape", "  ", "    ", "\n", ": ", "- ", "[", "]", "{", "}", "&a", "*a", "!!str", "!!binary",
                            "|", ">", "'", "\"", "#", "---", "...", "%YAML 1.1", "\t", "~", "null", ".nan", ".inf", "-1",
                            "99999999999999999999", "time_seconds:", "memory_mb:", "wait_seconds:", "x", "\u{0}", "\u{1}", "é"]

    /// Text made of YAML-ish fragments.
    static let yamlish = Generator { rng in
        (0..<Int.random(in: 1...40, using: &rng)).map { _ in fragments.randomElement(using: &rng) ?? "" }.joined()
    }

    /// The valid file with a few characters deleted, duplicated or replaced by a fragment.
    static let mutated = Generator { rng in
        var characters = Array(valid)
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            let index = Int.random(in: 0..<characters.count, using: &rng)
            switch Int.random(in: 0...2, using: &rng) {
            case 0: characters.remove(at: index)
            case 1: characters.insert(characters[index], at: index)
            default: characters.insert(contentsOf: fragments.randomElement(using: &rng) ?? "", at: index)
            }
        }
        return String(characters)
    }

    /// Loads `text` as a site's `site.yaml`: either a site, or a configuration error naming the
    /// file and a line (`/path/site.yaml:LINE: ...`).
    static func expectLoadsOrNamesFileAndLine(_ text: String, in directory: String) throws {
        let file = directory + "/site.yaml"
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        do {
            _ = try SiteConfiguration.load(directory: directory)
        } catch PhaseKitError.configuration(let message) {
            let location = message.hasPrefix(file + ":") ? message.dropFirst(file.count + 1).prefix { $0.isNumber } : ""
            #expect(!location.isEmpty && message.dropFirst(file.count + 1 + location.count).hasPrefix(":"),
                    "not '\(file):LINE:': \(message)\n--- input ---\n\(text)")
        } catch {
            Issue.record("not a configuration error: \(error)\n--- input ---\n\(text)")
        }
    }

    @Test func theValidFileLoads() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data(Self.valid.utf8).write(to: URL(fileURLWithPath: directory + "/site.yaml"))
        try Data().write(to: URL(fileURLWithPath: directory + "/cms.db"))   // a named SQLite file must exist
        #expect(try SiteConfiguration.load(directory: directory).servers.map(\.name) == ["prod", "recovery1"])
    }

    @Test func yamlishTextLoadsOrNamesFileAndLine() async throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        await propertyCheck(count: 300, input: Self.yamlish) { text in
            try Self.expectLoadsOrNamesFileAndLine(text, in: directory)
        }
    }

    @Test func mutationsOfAValidFileLoadOrNameFileAndLine() async throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        await propertyCheck(count: 300, input: Self.mutated) { text in
            try Self.expectLoadsOrNamesFileAndLine(text, in: directory)
        }
    }

    static func scratch() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("phasekit-yaml-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory
    }
}
