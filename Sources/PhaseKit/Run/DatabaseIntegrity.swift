import Databases

/// Checks an SQLite site database before an execution, so a corrupt file fails the run before the
/// first phase commits rather than after some did.
public enum DatabaseIntegrity {
    /// Runs `PRAGMA quick_check` on the site's SQLite database (PostgreSQL checks its own pages);
    /// throws ``PhaseKitError/configuration(_:)`` naming the file and SQLite's findings.
    public static func check(site: SiteConfiguration?) throws {
        guard let site, let text = site.database else { return }
        // A URL that does not parse was refused when the site was loaded; opening it fails loudly.
        guard let url = try? DatabaseURL(text, relativeTo: site.directory), case .sqliteFile(let path) = url.location else { return }
        var findings: [String]
        do {
            let connection = try url.open()
            defer { connection.close() }
            let cursor = try connection.prepare("PRAGMA quick_check(20)", [])
            defer { cursor.close() }
            var rows: [String] = []
            while let row = try cursor.next() {
                if case .text(let line) = row.first { rows.append(line) }
            }
            findings = rows
        } catch {
            findings = ["\(error)"]   // SQLite may refuse the check itself on a damaged file
        }
        guard findings == ["ok"] else {
            throw PhaseKitError.configuration(
                "\(path): the database fails its integrity check (PRAGMA quick_check: \(findings.prefix(5).joined(separator: "; "))); nothing was changed")
        }
    }
}
