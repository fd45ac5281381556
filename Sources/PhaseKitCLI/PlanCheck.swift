import ArgumentParser
import PhaseKit

/// `--execute --plan FILE`: the fresh analysis must match the saved plan, or the run is refused.
enum PlanCheck {
    static func verify(savedAt path: String?, against analysis: RunReport) throws {
        guard let path else { return }
        let saved = try SavedPlan.read(from: path)
        let differences = saved.differences(from: SavedPlan(report: analysis))
        guard !differences.isEmpty else { return }
        let list = differences.map { "\n  - \($0)" }.joined()
        throw PhaseKitError.refused("refusing to apply \(path): it is not the plan of this run (the site, the world or the scripts differ):\(list)\nMake a new plan with --plan-out and review it.")
    }
}
