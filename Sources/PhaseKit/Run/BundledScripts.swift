import Foundation

/// Where the bundled `Scripts/` directory is: `PHASEKIT_SCRIPTS`, then next to a source checkout
/// (for `swift run` and `.build/*/phasekit`), then `<prefix>/share/phasekit/Scripts` for an
/// installed binary.
public enum BundledScripts {
    public static func locate(executable: String = CommandLine.arguments.first ?? "") -> String? {
        if let explicit = ProcessInfo.processInfo.environment["PHASEKIT_SCRIPTS"], !explicit.isEmpty {
            return explicit
        }
        let resolved = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        var directory = resolved
        for _ in 0..<6 {
            let candidate = directory.appendingPathComponent("Scripts")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("lib").path),
               FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
                return candidate.path
            }
            directory.deleteLastPathComponent()
        }
        let installed = resolved.deletingLastPathComponent().appendingPathComponent("share/phasekit/Scripts")
        return FileManager.default.fileExists(atPath: installed.path) ? installed.path : nil
    }
}
