import Foundation

/// Picks a ``FaultCase`` from a seed: the same seed gives the same case on any machine with the
/// same ``Capabilities`` (SplitMix64, no system randomness).
struct CasePicker {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    private mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }

    /// A number in `range`.
    private mutating func number(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    private mutating func one<Element>(_ choices: [Element]) -> Element {
        choices[number(0...(choices.count - 1))]
    }

    /// The case of `seed`.
    static func pick(seed: UInt64, on machine: Capabilities) -> FaultCase {
        var picker = CasePicker(seed: seed)
        return picker.pick(seed: seed, on: machine)
    }

    private mutating func pick(seed: UInt64, on machine: Capabilities) -> FaultCase {
        let procedure = one(Procedure.allCases)
        var placement: Placement = machine.ssh && number(0...2) == 0 ? .ssh : .local
        // With the suite's PostgreSQL server, one local case in four keeps its database there.
        if placement == .local && machine.postgres && number(0...3) == 0 { placement = .postgres }
        var kinds: [Interruption] = [.ctrlC, .sigterm, .sighup, .endOfInput, .no]
        if machine.faultPoints { kinds.append(.sigkill) }
        if placement == .ssh && procedure == .configure { kinds += [.killedSSHClient, .killedAgent, .sshdGone] }
        if placement == .local && machine.smallDisk { kinds.append(.fullDisk) }
        if placement == .postgres { kinds += [.postgresRestart, .postgresRestart] }
        let interruption = one(kinds)
        let confirmation: Confirmation = interruption.isAnswer ? .interactive : one([.interactive, .interactive, .yes, .plan])
        let moment = pickMoment(procedure, confirmation, interruption, faultPoints: machine.faultPoints)
        let crashResume = interruption == .sigkill && confirmation.upFront && number(0...2) == 0
        return FaultCase(seed: seed, procedure: procedure, placement: placement, confirmation: confirmation,
                         interruption: interruption, moment: moment, host: number(1...3), crashResume: crashResume)
    }

    private mutating func pickMoment(_ procedure: Procedure, _ confirmation: Confirmation, _ interruption: Interruption,
                                     faultPoints: Bool) -> Moment {
        let prompt = Moment.prompt(number(1...procedure.prompts))
        // A row's start or finish, between rows; not the run-finished record.
        let journal = Moment.journal(number(2...(procedure.journalRecords - 1)))
        switch interruption {
        case .endOfInput, .no:
            return prompt
        case .ctrlC, .sigterm, .sighup:
            var moments: [Moment] = [.analysis, journal]
            if confirmation == .interactive { moments += [prompt, prompt] }
            if !faultPoints { moments.removeAll { $0 == .analysis } }
            return one(moments)
        case .sigkill:
            var moments: [Moment] = [.analysis, journal, journal, .write(number(1...(procedure.writes - 1)))]
            if procedure == .sync { moments.append(.commit(number(1...3))) }
            return one(moments)
        case .killedSSHClient, .killedAgent, .sshdGone:
            return one([.analysis, journal, journal])
        case .fullDisk, .postgresRestart:
            // At a record, or inside a step: after a write reached the world, before the row's
            // commit and record (the world and the database then disagree until the row is done).
            guard faultPoints else { return journal }
            var moments: [Moment] = [journal, .write(number(1...(procedure.writes - 1)))]
            if procedure == .sync { moments.append(.commit(number(1...3))) }
            return one(moments)
        }
    }
}
