import Foundation

/// The files of a directory under the site's `state/` (reports, journals), for history.
enum StateListing {
    /// The names in `directory` ending with `suffix`, sorted; none when the directory does not
    /// exist yet (no run has written there).
    ///
    /// - Throws: ``PhaseKitError/configuration(_:)`` when it exists but cannot be listed: a run
    ///   history that cannot be read is said, never shown as empty.
    static func names(in directory: String, suffix: String) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else { return [] }
        guard isDirectory.boolValue else { throw PhaseKitError.configuration("\(directory): cannot be listed (not a directory)") }
        do {
            return try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(suffix) }.sorted()
        } catch {
            throw PhaseKitError.configuration("\(directory): cannot be listed (\(FileErrorText.reason(of: error)))")
        }
    }
}
