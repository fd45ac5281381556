import Foundation
import PhaseKit

/// Shell completion of procedure names (`phasekit run <TAB>`): the bundled procedures and those of
/// the site given by `--site` on the line being completed (or the current directory's site).
enum ProcedureCompletion {
    @Sendable static func names(_ words: [String], _ index: Int, _ prefix: String) -> [String] {
        let siteFlag = words.firstIndex(of: "--site").flatMap { words.indices.contains($0 + 1) ? words[$0 + 1] : nil }
        let directory = siteFlag ?? (FileManager.default.fileExists(atPath: "site.yaml") ? "." : nil)
        // Shell completion offers what it can: a site that does not load offers the bundled procedures.
        let site = directory.flatMap { try? SiteConfiguration.load(directory: $0) }
        let catalog = ProcedureCatalog(siteRoot: site?.scriptsDirectory, bundledRoot: BundledScripts.locate())
        return catalog.procedureNames().filter { $0.hasPrefix(prefix) }
    }
}
