/// `history --json` (and `phasekit serve`'s `/api/history`): the runs of a site, newest last.
public struct HistoryDocument: Encodable, Sendable {
    public var format = "phasekit-history"
    public var version = RunReport.formatVersion
    public var phasekitVersion = PhaseKitVersion.current
    public var runs: [RunHistory.Entry]

    public init(runs: [RunHistory.Entry]) {
        self.runs = runs
    }
}
