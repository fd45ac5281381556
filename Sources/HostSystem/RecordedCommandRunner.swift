import Synchronization

/// A command runner that answers from recorded output, for testing backends of real tools
/// (systemctl, crm_mon, lvs) on machines where those tools cannot act.
///
/// Each expected command line maps to the output the real tool printed; every call is kept in
/// ``calls`` so tests can assert the exact command lines a backend issued.
public final class RecordedCommandRunner: CommandRunner {
    /// The queued answers and the calls made, behind one lock.
    private struct State {
        var responses: [[String]: [CommandOutput]] = [:]
        var recorded: [[String]] = []
    }

    private let state = Mutex(State())

    public init() {}

    /// Queues `output` as the answer to the next call with exactly `arguments`.
    /// Several answers for one command line are returned in order; the last one repeats.
    public func expect(_ arguments: [String], _ output: CommandOutput) {
        state.withLock { $0.responses[arguments, default: []].append(output) }
    }

    /// Every command line run so far, in order.
    public var calls: [[String]] { state.withLock { $0.recorded } }

    public func run(_ arguments: [String], timeout: Duration) throws -> CommandOutput {
        try state.withLock { state throws(CommandError) -> CommandOutput in
            state.recorded.append(arguments)
            guard var queue = state.responses[arguments], let first = queue.first else {
                throw CommandError(arguments: arguments, reason: "no recorded output for this command line")
            }
            if queue.count > 1 {
                queue.removeFirst()
                state.responses[arguments] = queue
            }
            return first
        }
    }
}
