import Foundation
@testable import LuaRuntime

/// How a script run on a thread of its own ended.
enum ThreadedRun {
    case finished
    case failed(any Error)
    /// Still running after the wait: a missed limit. The thread spins until the process exits,
    /// so a test fails instead of hanging the suite.
    case stillRunning

    /// The error the run threw, if it ended with one.
    var error: (any Error)? {
        if case .failed(let error) = self { return error }
        return nil
    }

    /// Runs `source` on `lua` on a new thread and waits up to `seconds` for it to end.
    static func run(_ source: String, on lua: LuaState, chunkName: String, seconds: Double = 10) -> ThreadedRun {
        nonisolated(unsafe) let state = lua
        nonisolated(unsafe) var outcome = ThreadedRun.finished
        let finished = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            do { _ = try state.run(source: source, chunkName: chunkName) } catch { outcome = .failed(error) }
            finished.signal()
        }
        guard finished.wait(timeout: .now() + seconds) == .success else { return .stillRunning }
        return outcome
    }
}
