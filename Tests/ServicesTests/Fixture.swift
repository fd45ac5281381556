import Foundation
import HostSystem
import Testing

/// Recorded tool output shipped in `Fixtures/`.
enum Fixture {
    /// The text of `Fixtures/<path>`.
    static func text(_ path: String) throws -> String {
        let base = try #require(Bundle.module.resourceURL)
        return try String(contentsOf: base.appendingPathComponent("Fixtures/" + path), encoding: .utf8)
    }

    /// A successful command output with the fixture as standard output.
    static func output(_ path: String) throws -> CommandOutput {
        CommandOutput(status: 0, standardOutput: try text(path))
    }
}
