import Foundation

/// A command runner that answers from recorded output, for testing backends of real tools
/// (systemctl, crm_mon, lvs) on machines where those tools cannot act.
///
/// Each expected command line maps to the output the real tool printed; every call is kept in
/// ``calls`` so tests can assert the exact command lines a backend issued.
public final class RecordedCommandRunner: CommandRunner, @unchecked Sendable {
    private let lock = NSLock()
    private var responses: [[String]: [CommandOutput]] = [:]
    private var recorded: [[String]] = []

    public init() {}

    /// Queues `output` as the answer to the next call with exactly `arguments`.
    /// Several answers for one command line are returned in order; the last one repeats.
    public func expect(_ arguments: [String], _ output: CommandOutput) {
        lock.lock()
        responses[arguments, default: []].append(output)
        lock.unlock()
    }

    /// Every command line run so far, in order.
    public var calls: [[String]] {
        lock.lock()
        defer { lock.unlock() }
        return recorded
    }

    public func run(_ arguments: [String], timeout: Duration) throws -> CommandOutput {
        lock.lock()
        defer { lock.unlock() }
        recorded.append(arguments)
        guard var queue = responses[arguments], let first = queue.first else {
            throw CommandError(arguments: arguments, reason: "no recorded output for this command line")
        }
        if queue.count > 1 {
            queue.removeFirst()
            responses[arguments] = queue
        }
        return first
    }
}
