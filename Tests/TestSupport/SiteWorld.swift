public import Foundation

/// The world of a site as the operator sees it: every file outside phasekit's `state/` (volume
/// records without their creation time), and the site database's content via the sqlite3 tool.
/// The crash-recovery tests and the fault campaign compare it with an uninterrupted run's.
public enum SiteWorld {
    /// The world of the site at `site`, keyed by path relative to it (`cms.db` holds the sorted dump).
    public static func snapshot(of site: String) throws -> [String: String] {
        var world = try files(under: site, skipping: ["state", "cms.db"])
        world["cms.db"] = try sqlite(site, ".dump").sorted().joined(separator: "\n")
        return world
    }

    /// The output lines of Debian's `sqlite3` running `command` (SQL or a dot command) on the
    /// site's `cms.db`.
    public static func sqlite(_ site: String, _ command: String) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [site + "/cms.db", command]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return text.split(separator: "\n").map(String.init)
    }

    /// Every file and directory under `root` whose relative path does not start with one of
    /// `skipping`; directories as `<dir>`, volume records without their creation time.
    public static func files(under root: String, skipping: [String] = []) throws -> [String: String] {
        var world: [String: String] = [:]
        let enumerator = FileManager.default.enumerator(atPath: root)
        while let relative = enumerator?.nextObject() as? String {
            if skipping.contains(where: { relative.hasPrefix($0) }) { continue }
            let path = root + "/" + relative
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            if isDirectory.boolValue { world[relative] = "<dir>"; continue }
            let data = FileManager.default.contents(atPath: path) ?? Data()
            if relative.hasSuffix(".volume.json"), var record = try JSONSerialization.jsonObject(with: data) as? [String: Any] {
                record.removeValue(forKey: "created")
                world[relative] = String(decoding: try JSONSerialization.data(withJSONObject: record, options: .sortedKeys), as: UTF8.self)
            } else {
                world[relative] = String(decoding: data, as: UTF8.self)
            }
        }
        return world
    }
}
