import Foundation
import PhaseKit
import Testing

/// Numbers in `site.yaml` that the engine later converts to `Int64` or multiplies must be
/// refused at load, where the error can name the line; accepted, they trap (crash) the run.
@Suite("site.yaml numbers the engine cannot use are refused")
struct SiteLimitValuesTests {
    @Test(arguments: [
        "limits:\n  time_seconds: .nan\n",
        "limits:\n  time_seconds: .inf\n",
        "limits:\n  time_seconds: 1e300\n",
        "limits:\n  memory_mb: 9223372036854775807\n",
        "services:\n  wait_seconds: .inf\n  definitions: []\n",
        "services:\n  wait_seconds: .nan\n  definitions: []\n",
        "services:\n  wait_seconds: 1e300\n  definitions: []\n",
    ])
    func nonFiniteOrOverflowingNumbersAreConfigurationErrors(yaml: String) throws {
        let directory = try SiteYAMLPropertyTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: directory + "/site.yaml"))
        #expect(throws: PhaseKitError.self, "\(yaml)") { try SiteConfiguration.load(directory: directory) }
    }
}
