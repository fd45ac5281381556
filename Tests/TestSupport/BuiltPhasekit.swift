public import Foundation

/// The `phasekit` executable that the tests launching phasekit run, and the repository it was built from.
///
/// It is the product built together with the tests: SwiftPM puts `phasekit` beside the test
/// runner (`.build/TRIPLE/debug/` or `.build/TRIPLE/release/`), so `swift test -c release` tests the
/// release build. `PHASEKIT_TEST_BINARY` overrides it, to show that an older build fails a test.
public enum BuiltPhasekit {
    /// The repository's root directory.
    public static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The executable's path.
    public static let path: String = {
        if let chosen = ProcessInfo.processInfo.environment["PHASEKIT_TEST_BINARY"] { return chosen }
        let runner = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: runner).deletingLastPathComponent().appendingPathComponent("phasekit").path
    }()

    /// The executable as a file URL.
    public static var url: URL { URL(fileURLWithPath: path) }

    /// Whether the build honours `PHASEKIT_CRASH_AT` and `PHASEKIT_HANG_AT`: debug builds only
    /// (`Sources/PhaseKit/State/CrashPoints.swift`); the tests that inject faults skip otherwise.
    public static var injectsFaults: Bool {
        #if DEBUG
        true
        #else
        false
        #endif
    }
}

/// Bounded waits on a condition, instead of sleeping for a guessed time.
public enum Wait {
    /// Checks `condition` every 10 ms until it holds or `seconds` have passed.
    ///
    /// - Returns: whether the condition held.
    @discardableResult
    public static func until(_ seconds: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(10_000)
        }
        return condition()
    }
}
