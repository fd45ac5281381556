import Foundation
import TestSupport
import Testing

/// The seeded fault campaign of issue 24: each case interrupts a real execution of the sample
/// site (built binary, real terminal, real ssh hosts) and checks the world, the journal, `status`,
/// `history` and the operator's way on against the interruption model of docs/policy.md.
///
/// - `PHASEKIT_FAULT_SEED=N` replays the one case of seed N (each failure prints it).
/// - `PHASEKIT_FAULT_COUNT` cases from `PHASEKIT_FAULT_BASE` on (default 3 from 24003: the share
///   `make test` runs), stopping early after `PHASEKIT_FAULT_SECONDS` (default 60; 0: no bound).
///   `make faults N=200 [SEED=S]` runs a long campaign.
/// - `PHASEKIT_FAULT_KIND=K` runs only the seeds whose case is an interruption of kind K (as the
///   case prints it: `fullDisk`, `sshdGone`, `ctrlC`, ...); the others are skipped unrun.
/// - `PHASEKIT_FAULT_TRANSCRIPTS=DIR` keeps what each interrupted run showed on its terminal
///   (`DIR/seed-N.txt`).
@Suite("Fault campaign: interruptions checked against the model (built binary)", .serialized)
struct FaultCampaignTests {
    static var environment: [String: String] { ProcessInfo.processInfo.environment }

    static var seeds: [UInt64] {
        if let seed = environment["PHASEKIT_FAULT_SEED"].flatMap(UInt64.init) { return [seed] }
        let count = environment["PHASEKIT_FAULT_COUNT"].flatMap(Int.init) ?? 3
        let base = environment["PHASEKIT_FAULT_BASE"].flatMap(UInt64.init) ?? 24_003
        return (0..<UInt64(max(count, 0))).map { base + $0 }
    }

    @Test(.enabled(if: BuiltPhasekit.injectsFaults, "fault points are compiled into debug builds only"))
    func campaign() throws {
        let campaign = try Campaign()
        defer { campaign.close() }
        let budget = Self.environment["PHASEKIT_FAULT_SECONDS"].flatMap(Double.init) ?? 60
        let started = Date()
        var ran = 0, failed = 0
        let kind = Self.environment["PHASEKIT_FAULT_KIND"].flatMap { $0.isEmpty ? nil : $0 }
        for seed in Self.seeds {
            if let kind, CasePicker.pick(seed: seed, on: campaign.machine).interruption.rawValue != kind { continue }
            if budget > 0, ran > 0, Date().timeIntervalSince(started) > budget { break }
            let caseStart = Date()
            ran += 1
            let fault: FaultCase, account: String, violations: [Violation]
            do {
                (fault, account, violations) = try campaign.run(seed: seed)
            } catch {
                // A case that cannot be run (a host that does not start, a run that never ends) is a
                // failure of that seed; the campaign goes on with the next.
                failed += 1
                Issue.record("seed \(seed): the case could not be run: \(error)\nreplay: PHASEKIT_FAULT_SEED=\(seed) swift test --skip-build --filter FaultCampaignTests")
                continue
            }
            let seconds = String(format: "%.1f", Date().timeIntervalSince(caseStart))
            print("fault campaign: \(fault) — \(violations.isEmpty ? "kept the model" : "\(violations.count) violation(s)") [\(account)] (\(seconds) s)")
            guard !violations.isEmpty else { continue }
            failed += 1
            let list = violations.map { "  - \($0)" }.joined(separator: "\n")
            Issue.record("""
                \(fault)
                replay: PHASEKIT_FAULT_SEED=\(seed) swift test --skip-build --filter FaultCampaignTests
                \(list)
                """)
        }
        let total = String(format: "%.0f", Date().timeIntervalSince(started))
        print("fault campaign: \(ran) case(s) from seed \(Self.seeds.first ?? 0), \(failed) failed, \(total) s")
    }
}
