public import Foundation

/// The test process's own directory under the temporary directory (`phasekit-tests-PID`), removed when
/// the process exits: helpers create their temporary sites, scripts and prefixes in it, so that tests
/// leave nothing behind, whichever of them fail.
public enum TestScratch {
    /// The directory, created (and its removal at exit registered) on first use.
    public static let root: URL = {
        let url = location()
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: TestScratch.location()) }
        return url
    }()

    /// A fresh path in the directory, not created: `NAME-UUID` followed by `suffix`.
    public static func path(_ name: String, suffix: String = "") -> URL {
        root.appendingPathComponent("\(name)-\(UUID().uuidString)\(suffix)")
    }

    private static func location() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("phasekit-tests-\(getpid())")
    }
}
