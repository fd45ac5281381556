import Foundation
import TestSupport
import Testing

extension SSHHosts {
    /// Starts the hosts around a suite and stops them afterwards.
    struct Scope: SuiteTrait, TestScoping {
        @TaskLocal static var current: Handle?
        var isRecursive: Bool { false }

        func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
            let hosts = try SSHHosts()
            defer { hosts.stop() }
            try await Self.$current.withValue(hosts.handle) { try await function() }
        }
    }
}
