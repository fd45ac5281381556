import ArgumentParser
import Foundation
import LuaRuntime
import PhaseKit

/// Options shared by the commands that act on a site.
struct SiteOptions: ParsableArguments {
    @Option(name: .long, help: "The site directory (holds site.yaml); defaults to the current directory when it holds one.",
            completion: .directory)
    var site: String?

    @Flag(name: .long, help: "Print one JSON document on standard output and nothing else there.")
    var json = false

    /// The site directory: `--site`, or the current directory when it holds a `site.yaml`.
    var directory: String? { Self.directory(given: site) }

    /// The site directory for a `--site` value: the value, or the current directory when it holds a `site.yaml`.
    static func directory(given site: String?) -> String? {
        if let site { return site }
        return FileManager.default.fileExists(atPath: "site.yaml") ? FileManager.default.currentDirectoryPath : nil
    }

    /// The site configuration, or nil when there is no site (no --site, no site.yaml here).
    func loadSite() throws -> SiteConfiguration? {
        try directory.map { try SiteConfiguration.load(directory: $0) }
    }

    /// The site configuration.
    ///
    /// - Throws: ``PhaseKitError/configuration(_:)`` `no site: give --site DIR` when there is none.
    func requireSite() throws -> SiteConfiguration {
        try SiteConfiguration.load(directory: Self.requireDirectory(given: site))
    }

    /// The site directory for a `--site` value, or `no site: give --site DIR`.
    static func requireDirectory(given site: String?) throws -> String {
        guard let directory = directory(given: site) else {
            throw PhaseKitError.configuration("no site: give --site DIR (no site.yaml in \(FileManager.default.currentDirectoryPath))")
        }
        return directory
    }
}

/// Options that bound a run.
struct LimitOptions: ParsableArguments {
    @Option(name: .customLong("time-limit"), help: "Wall-clock limit of the run in seconds (default 60, or the site's limits.time_seconds).")
    var timeLimit: Double?

    @Option(name: .customLong("memory-limit"), help: "Memory limit of the run (Lua and what the host holds for the script) in MB (default 512, or the site's limits.memory_mb).")
    var memoryLimit: Int?

    func validate() throws {
        if let timeLimit, !(0.001...604_800).contains(timeLimit) { throw ValidationError("--time-limit must be between 0.001 and 604800 seconds") }
        if let memoryLimit, !(8...1_048_576).contains(memoryLimit) { throw ValidationError("--memory-limit must be between 8 and 1048576 (MB)") }
    }

    /// Defaults, then the site's settings, then these flags.
    func limits(site: SiteConfiguration?) -> LuaLimits {
        RunRequest.limits(timeSeconds: timeLimit, memoryMegabytes: memoryLimit, site: site)
    }

    /// A request to run `target` on `site` under these limits, with the change providers this
    /// phasekit has and the command line as the lock's holder.
    func request(_ target: RunTarget, site: SiteConfiguration?) -> RunRequest {
        var request = RunRequest(target: target, site: site)
        request.timeLimitSeconds = timeLimit
        request.memoryLimitMegabytes = memoryLimit
        request.changeProviders = PhaseKitCommand.changeProviders
        request.command = CommandLine.arguments.joined(separator: " ")
        return request
    }
}
