import Foundation
import Testing

/// A site built once for a whole suite and copied per test (`cp -a`), so a test pays for a copy
/// rather than for building (or initializing) a site again. The suite takes the ``Scope`` trait
/// with the function that builds the template; its tests call ``copy()``.
enum SiteTemplate {
    @TaskLocal static var directory: String?

    /// Builds the template around a suite, and removes it (and any process running in it) afterwards.
    struct Scope: SuiteTrait, TestScoping {
        var build: @Sendable (String) throws -> Void
        var isRecursive: Bool { false }

        func provideScope(
            for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
        ) async throws {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("phasekit-template-\(UUID().uuidString)").path
            defer { CrashRecoveryTests.dispose(directory) }
            try build(directory)
            try await SiteTemplate.$directory.withValue(directory) { try await function() }
        }
    }

    /// A fresh copy of the suite's template; remove it with `CrashRecoveryTests.dispose`.
    static func copy() throws -> String {
        let template = try #require(directory, "the suite needs the SiteTemplate.Scope trait")
        let site = FileManager.default.temporaryDirectory.appendingPathComponent("phasekit-copy-\(UUID().uuidString)").path
        let cp = Process()
        cp.executableURL = URL(fileURLWithPath: "/bin/cp")
        cp.arguments = ["-a", template, site]
        try cp.run()
        cp.waitUntilExit()
        guard cp.terminationStatus == 0 else { throw CrashTestError(message: "cp -a \(template) \(site) failed") }
        return site
    }
}
