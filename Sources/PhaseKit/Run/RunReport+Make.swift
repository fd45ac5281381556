public import Foundation

extension RunReport {
    /// What every report of one run shares: what ran, where, as what, and since when.
    public struct Heading: Sendable {
        public var target: String
        public var site: String?
        public var mode: RunMode
        public var startedAt: Date

        public init(target: String, site: String?, mode: RunMode, startedAt: Date) {
            self.target = target
            self.site = site
            self.mode = mode
            self.startedAt = startedAt
        }
    }

    /// This report's heading in `mode` (the execution that follows a plan shares its target and site).
    public func heading(_ mode: RunMode, startedAt: Date? = nil) -> Heading {
        Heading(target: target, site: site, mode: mode, startedAt: startedAt ?? self.startedAt)
    }

    /// Builds a report and derives its outcome from the steps.
    public static func make(
        _ heading: Heading, steps: [Step], warnings: [String] = [], error: ErrorDetail? = nil,
        blocked: Bool = false, refused: Bool = false, notConfirmed: Bool = false
    ) -> RunReport {
        let mode = heading.mode
        let stepError = steps.compactMap(\.error).first
        let outcome: Outcome
        if notConfirmed && error == nil && stepError == nil {
            outcome = .notConfirmed
        } else if refused || (error == nil && stepError?.kind == .refused) {
            outcome = .refused
        } else if (error ?? stepError)?.kind == .precondition {
            // An unmet precondition (a lost host included), of a step or of the whole run.
            outcome = .blocked
        } else if error != nil || stepError != nil {
            outcome = .error
        } else if blocked {
            outcome = .blocked
        } else if mode == .analyze {
            outcome = steps.contains { $0.plansChanges || !$0.issues.isEmpty } ? .changes : .clean
        } else {
            outcome = steps.contains { $0.issues.contains { $0.resolution == .manual } } ? .blocked : .applied
        }
        return RunReport(
            target: heading.target, site: heading.site, mode: mode, startedAt: heading.startedAt, finishedAt: Date(),
            outcome: outcome, exitCode: outcome.exitCode, steps: steps, warnings: warnings, error: error ?? stepError
        )
    }
}
