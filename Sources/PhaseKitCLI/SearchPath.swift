import PhaseKit

/// The directories `require` searches: the site's `scripts/lib`, then the bundled `Scripts/lib`.
enum SearchPath {
    static func directories(site: SiteConfiguration?) -> [String] {
        var directories: [String] = []
        if let site { directories.append(site.scriptsDirectory + "/lib") }
        if let bundled = BundledScripts.locate() { directories.append(bundled + "/lib") }
        return directories
    }
}
