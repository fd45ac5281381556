import Foundation
import SystemCalls

/// Reads the operator's answer at a prompt from standard input, byte by byte (no buffering
/// beyond the line), and can be woken while it waits: a signal at a prompt ends it as "no"
/// instead of killing the process, so the run ends not confirmed with its report and journal.
enum Prompt {
    /// How a prompt ended.
    enum Reading: Equatable {
        case line(String)
        case endOfInput
        /// ``interrupt()`` woke it (SIGINT, SIGTERM or SIGHUP while it waited).
        case interrupted
    }

    /// The pipe ``interrupt()`` writes to and ``readLine()`` waits on with standard input.
    private static let wake: (read: Int32, write: Int32)? = {
        // Close on exec from the start: a child spawned meanwhile on another thread never holds it.
        // Without the pipe a signal cannot wake the prompt; end of input still ends it.
        guard let ends = try? SystemCall.pipe(flags: O_CLOEXEC | O_NONBLOCK) else { return nil }
        return (ends.read, ends.write)
    }()

    /// Wakes a prompt that waits now (or the next one, when none waits: the caller decides when
    /// that may be). Async-signal-safe apart from the first use, which ``prepare()`` makes early.
    static func interrupt() {
        guard let wake else { return }
        var byte: UInt8 = 1
        _ = write(wake.write, &byte, 1)   // a full pipe already holds a wake-up: nothing is lost
    }

    /// Creates the wake pipe before any signal can need it.
    static func prepare() { _ = wake }

    /// Empties the wake pipe of wake-ups meant for an earlier prompt.
    static func drain() {
        guard let wake else { return }
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(wake.read, &buffer, buffer.count) > 0 {}
    }

    /// One line of standard input (without its newline), or why there is none.
    static func readLine() -> Reading {
        var bytes: [UInt8] = []
        while true {
            var descriptors = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)]
            if let wake { descriptors.append(pollfd(fd: wake.read, events: Int16(POLLIN), revents: 0)) }
            do {
                try SystemCall.run("poll") { poll(&descriptors, nfds_t(descriptors.count), -1) }
            } catch {
                // Standard input that cannot be waited on answers nothing: the prompt's answer is no.
                return .endOfInput
            }
            if descriptors.count > 1 && descriptors[1].revents != 0 { return .interrupted }
            var byte: UInt8 = 0
            let count: Int
            do {
                count = try SystemCall.run("read") { read(STDIN_FILENO, &byte, 1) }
            } catch where error.code == EAGAIN {
                continue
            } catch {
                // A read that fails ends the answer as the end of input does (no answer is a no).
                count = 0
            }
            if count == 0 { return bytes.isEmpty ? .endOfInput : .line(String(decoding: bytes, as: UTF8.self)) }
            if byte == 0x0A { return .line(String(decoding: bytes, as: UTF8.self)) }
            bytes.append(byte)
        }
    }
}
