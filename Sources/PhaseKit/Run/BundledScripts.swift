import Foundation

/// Where the bundled `Scripts/` directory is: `PHASEKIT_SCRIPTS`, then next to a source checkout
/// (for `swift run` and `.build/*/phasekit`), then `<prefix>/share/phasekit/Scripts` for an
/// installed binary.
///
/// The executable is the file the kernel runs (`/proc/self/exe`), not `argv[0]`: a binary started
/// by its bare name from `PATH`, or through a symlink, finds the same scripts as one started by
/// its full path.
public enum BundledScripts {
    /// The bundled scripts directory, or nil when none can be found.
    ///
    /// - Parameter executable: the running binary; by default the kernel's `/proc/self/exe`.
    public static func locate(executable: String? = nil) -> String? {
        if let explicit = ProcessInfo.processInfo.environment["PHASEKIT_SCRIPTS"], !explicit.isEmpty {
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: explicit, isDirectory: &isDirectory) && isDirectory.boolValue ? explicit : nil
        }
        let resolved = URL(fileURLWithPath: executable ?? runningExecutable()).resolvingSymlinksInPath().deletingLastPathComponent()
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

    /// Another directory shipped beside the bundled scripts: `checkout` (relative to the root of
    /// the source checkout the binary was built in), or `<prefix>/share/phasekit/<installed>` for
    /// an installed binary (`make install` copies it there).
    ///
    /// - Throws: ``PhaseKitError/configuration(_:)`` saying where phasekit looked.
    public static func requireShared(checkout: String, installed: String, executable: String? = nil) throws -> String {
        let binary = URL(fileURLWithPath: executable ?? runningExecutable()).resolvingSymlinksInPath()
        var directory = binary.deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = directory.appendingPathComponent(checkout)
            if FileManager.default.fileExists(atPath: candidate.path),
               FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
                return candidate.path
            }
            directory.deleteLastPathComponent()
        }
        let shared = binary.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("share/phasekit/" + installed)
        guard FileManager.default.fileExists(atPath: shared.path) else {
            throw PhaseKitError.configuration(
                "no \(installed): \(shared.path) does not exist and \(binary.path) is not in a source checkout; install with make install")
        }
        return shared.path
    }

    /// The bundled scripts directory.
    ///
    /// - Throws: ``PhaseKitError/configuration(_:)`` saying where phasekit looked.
    public static func require() throws -> String {
        if let found = locate() { return found }
        if let explicit = ProcessInfo.processInfo.environment["PHASEKIT_SCRIPTS"], !explicit.isEmpty {
            throw PhaseKitError.configuration("no bundled scripts: PHASEKIT_SCRIPTS=\(explicit) is not a directory")
        }
        let binary = URL(fileURLWithPath: runningExecutable()).resolvingSymlinksInPath()
        let installed = binary.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("share/phasekit/Scripts").path
        throw PhaseKitError.configuration(
            "no bundled scripts: \(installed) does not exist and \(binary.path) is not in a source checkout; install with make install or set PHASEKIT_SCRIPTS")
    }

    /// The path of the running binary as the kernel knows it, falling back to `argv[0]`.
    static func runningExecutable() -> String {
        // Without /proc the executable is found from argv[0] below.
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
        return CommandLine.arguments.first ?? ""
    }
}
