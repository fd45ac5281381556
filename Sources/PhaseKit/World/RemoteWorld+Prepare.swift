import Synchronization

extension RemoteWorld {
    /// How this process's run of a site reaches its servers: the request timeout and whether the
    /// connections it makes are writable (an execution) or read-only (an analysis).
    struct PreparedRun: Sendable {
        var reach: Reach
        var writable: Bool
    }

    /// The runs prepared, by site directory.
    private static let preparedRuns = Mutex<[String: PreparedRun]>([:])

    /// Prepares a run of `site` without connecting: each server's agent is started at the run's
    /// first use of that server (``connection(_:site:readOnly:world:)``), writable when the run
    /// is an execution (`readOnly` false), with requests waiting at most `timeout`.
    public static func prepare(_ site: SiteConfiguration, readOnly: Bool, timeout: Duration?) {
        let run = PreparedRun(reach: Reach(site, timeout: timeout), writable: !readOnly)
        preparedRuns.withLock { $0[site.directory] = run }
    }

    /// The prepared run of `site`, or an analysis with the site's own time limit.
    static func prepared(_ site: SiteConfiguration) -> PreparedRun {
        preparedRuns.withLock { $0[site.directory] } ?? PreparedRun(reach: Reach(site), writable: false)
    }
}
