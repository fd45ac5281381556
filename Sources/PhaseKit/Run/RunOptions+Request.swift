import Foundation
import LuaRuntime

extension RunOptions {
    /// The options of a run of `request` as `intent`; `procedure` (the one run, or the one a step
    /// script belongs to) gives its site parameters and decides which services are required.
    init(request: RunRequest, intent: RunIntent, procedure: String?) {
        self.init(intent: intent, limits: request.limits, site: request.site, searchPath: Self.searchPath(site: request.site),
                  parameters: procedure.map { SiteConfiguration.parameters(of: request.site, for: $0) } ?? LuaTable(),
                  procedure: procedure)
        changeProviders = request.changeProviders
    }

    /// The directories `require` searches: the site's `scripts/lib`, then the bundled `Scripts/lib`.
    public static func searchPath(site: SiteConfiguration?) -> [String] {
        var directories: [String] = []
        if let site { directories.append(site.scriptsDirectory + "/lib") }
        if let bundled = BundledScripts.locate() { directories.append(bundled + "/lib") }
        return directories
    }
}
