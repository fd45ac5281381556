import Foundation
import TestSupport
import Testing

/// What `phasekit serve` prints as it starts is what docs/operations.md shows ("The Configuration
/// Window"): the block after `$ phasekit serve ...`, with the documented port replaced by the one
/// serve took.
@Suite("phasekit serve: its first lines as the docs show them")
struct ServeStartTests {
    @Test func theStartLinesAreTheDocumented() throws {
        let operations = try String(contentsOf: BuiltPhasekit.repository.appendingPathComponent("docs/operations.md"), encoding: .utf8)
        let lines = operations.components(separatedBy: "\n")
        let command = try #require(lines.firstIndex { $0.hasPrefix("$ phasekit serve --site DIR --listen 127.0.0.1:8026") },
                                   "docs/operations.md no longer shows serve's start")
        let documented = lines[(command + 1)...].prefix { !$0.hasPrefix("```") }
        #expect(documented.count == 2, "\(documented)")
        let site = try ServeSite.make()
        defer { ServeSite.dispose(site) }
        let serve = try ServeProcess(site: site)
        defer { serve.stop() }
        let printed = serve.output.components(separatedBy: "\n")
        for line in documented {
            let expected = line.replacingOccurrences(of: "127.0.0.1:8026", with: "127.0.0.1:\(serve.port)")
            #expect(printed.contains(expected), "docs/operations.md shows `\(line)`; serve printed:\n\(serve.output)")
        }
    }
}
