public import Foundation

/// An analysis saved with `--plan-out FILE`, to be applied exactly with `--execute --plan FILE`.
///
/// It holds, per step and server, the script's hash, the fingerprint of everything the step read,
/// and the planned changes. Applying it re-analyzes first and refuses (exit 4), saying what
/// changed, when a script, the state a step read, or the plan itself differs — including when the
/// plan was computed from an empty state that is no longer empty.
public struct SavedPlan: Codable, Sendable {
    public struct Step: Codable, Sendable, Equatable {
        public var id: String
        public var server: String?
        public var script: RunReport.ScriptIdentity?
        public var stateFingerprint: String?
        public var changes: [Change]
    }

    public var format = "phasekit-plan"
    public var version = 1
    public var target: String
    public var site: String?
    public var createdAt: Date
    public var steps: [Step]

    public init(report: RunReport) {
        target = report.target
        site = report.site
        createdAt = report.startedAt
        steps = report.steps.map { Step(id: $0.id, server: $0.server, script: $0.script, stateFingerprint: $0.stateFingerprint, changes: $0.changes) }
    }

    public func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        try encoder.encode(self).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    public static func read(from path: String) throws -> SavedPlan {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PhaseKitError.configuration("\(path): cannot read the plan")
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            let plan = try decoder.decode(SavedPlan.self, from: data)
            guard plan.format == "phasekit-plan", plan.version == 1 else {
                throw PhaseKitError.configuration("\(path): not a phasekit plan of version 1")
            }
            return plan
        } catch let error as PhaseKitError {
            throw error
        } catch {
            throw PhaseKitError.configuration("\(path): not a valid plan (\(error))")
        }
    }

    /// What differs between this plan and a fresh analysis; empty when the plan still holds.
    ///
    /// A plan for another target or another site, or one that lists a step row twice, never holds.
    public func differences(from fresh: SavedPlan) -> [String] {
        var differences: [String] = []
        if target != fresh.target { differences.append("the plan is for \(target), not \(fresh.target)") }
        if Self.canonical(site) != Self.canonical(fresh.site) {
            differences.append("the plan is for the site \(site ?? "(none)"), not \(fresh.site ?? "(none)")")
        }
        var seen = Set<String>()
        for step in steps where !seen.insert(PlannedWrites.key(step: step.id, server: step.server)).inserted {
            differences.append("\(step.id)\(step.server.map { " [\($0)]" } ?? ""): listed more than once in the plan")
        }
        let freshSteps = Dictionary(fresh.steps.map { ("\($0.id)@\($0.server ?? "")", $0) }, uniquingKeysWith: { first, _ in first })
        let savedKeys = Set(steps.map { "\($0.id)@\($0.server ?? "")" })
        for step in steps {
            let name = step.id + (step.server.map { " [\($0)]" } ?? "")
            guard let now = freshSteps["\(step.id)@\(step.server ?? "")"] else {
                differences.append("\(name): no longer part of the run")
                continue
            }
            if step.script?.sha256 != now.script?.sha256 {
                differences.append("\(name): the script changed (\(step.script?.path ?? "?"): \(step.script?.sha256.prefix(12) ?? "?") → \(now.script?.sha256.prefix(12) ?? "?"))")
            }
            if step.stateFingerprint != now.stateFingerprint {
                differences.append("\(name): the state it reads changed since the plan was made")
            }
            if step.changes.map(\.summary) != now.changes.map(\.summary) || step.changes.map(\.status) != now.changes.map(\.status) {
                differences.append("\(name): it now plans \(now.changes.count) change(s) instead of \(step.changes.count)")
            }
        }
        for key in freshSteps.keys.sorted() where !savedKeys.contains(key) {
            differences.append("\(key): a new step not in the plan")
        }
        return differences
    }

    /// A site directory as one path: symlinks resolved, `.`/`..` and trailing slashes removed.
    static func canonical(_ directory: String?) -> String? {
        directory.map { URL(fileURLWithPath: $0).standardizedFileURL.resolvingSymlinksInPath().path }
    }

    /// The changes the plan holds for one step row.
    public func changes(step: String, server: String?) -> [Change] {
        steps.filter { $0.id == step && $0.server == server }.flatMap(\.changes)
    }
}

extension SavedPlan {
    /// `--execute --plan FILE`: the fresh analysis must be the plan saved at `path` (nothing to
    /// check when `path` is nil).
    ///
    /// - Throws: ``PhaseKitError/refused(_:)`` listing the differences.
    public static func verify(savedAt path: String?, against analysis: RunReport) throws {
        guard let path else { return }
        let differences = try read(from: path).differences(from: SavedPlan(report: analysis))
        guard !differences.isEmpty else { return }
        let list = differences.map { "\n  - \($0)" }.joined()
        throw PhaseKitError.refused("refusing to apply \(path): it is not the plan of this run (the site, the world or the scripts differ):\(list)\nMake a new plan with --plan-out and review it.")
    }
}
