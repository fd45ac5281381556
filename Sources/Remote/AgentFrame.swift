import Foundation
import SystemCalls

/// Reads and writes length-prefixed frames on file descriptors, waiting at most until a deadline.
enum AgentFrame {
    /// Writes one frame.
    static func write(_ payload: [UInt8], to descriptor: Int32) throws {
        try writeAll(framed(payload), to: descriptor)
    }

    /// A payload with its length before it.
    static func framed(_ payload: [UInt8]) -> [UInt8] {
        let count = UInt32(payload.count)
        return [UInt8(count >> 24), UInt8((count >> 16) & 0xff), UInt8((count >> 8) & 0xff), UInt8(count & 0xff)] + payload
    }

    /// Writes one frame to a pipe without ever blocking while answers wait on `input`: whenever
    /// `input` is readable, `readAnswer` takes one frame from it first. So neither side can wait
    /// for the other with both pipes full, however many answers are unread.
    static func write(_ payload: [UInt8], to output: Int32, whileReading input: Int32, deadline: ContinuousClock.Instant,
                      readAnswer: () throws -> Void) throws {
        let bytes = framed(payload)
        var written = 0
        while written < bytes.count {
            var pollers = [pollfd(fd: output, events: Int16(POLLOUT), revents: 0), pollfd(fd: input, events: Int16(POLLIN), revents: 0)]
            let ready: Int32
            do {
                ready = try SystemCall.run("poll") {
                    let left = ContinuousClock.now.duration(to: deadline)
                    let milliseconds = max(0, Int32(clamping: left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000))
                    return poll(&pollers, 2, milliseconds)
                }
            } catch {
                throw RemoteError.connectionLost("cannot wait (\(error.reason))")
            }
            guard ready > 0 else { throw RemoteError.timedOut }
            if pollers[1].revents != 0 {
                try readAnswer()
                continue
            }
            guard pollers[0].revents != 0 else { continue }
            // A pipe that polls writable has room for PIPE_BUF bytes: a write of at most that never blocks.
            let chunk = min(bytes.count - written, Int(PIPE_BUF))
            let count: Int
            do {
                count = try SystemCall.run("write") {
                    bytes.withUnsafeBytes { Foundation.write(output, $0.baseAddress! + written, chunk) }
                }
            } catch {
                throw RemoteError.connectionLost("cannot write (\(error.reason))")
            }
            written += count
        }
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) throws {
        do {
            try SystemCall.writeAll(descriptor, bytes)
        } catch {
            throw RemoteError.connectionLost("cannot write (\(error.reason))")
        }
    }

    /// Reads one frame; nil at a clean end of input before any byte of a frame.
    ///
    /// - Parameter deadline: when to give up waiting (nil: wait as long as it takes).
    static func read(from descriptor: Int32, deadline: ContinuousClock.Instant?) throws -> [UInt8]? {
        guard let header = try readExactly(4, from: descriptor, deadline: deadline, atStart: true) else { return nil }
        let count = Int(header[0]) << 24 | Int(header[1]) << 16 | Int(header[2]) << 8 | Int(header[3])
        guard count <= AgentProtocol.maximumFrame else { throw RemoteError.protocolError("a frame of \(count) bytes is larger than allowed") }
        return try readExactly(count, from: descriptor, deadline: deadline, atStart: false) ?? []
    }

    private static func readExactly(_ count: Int, from descriptor: Int32, deadline: ContinuousClock.Instant?, atStart: Bool) throws -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            if let deadline, try !waitReadable(descriptor, deadline: deadline) { throw RemoteError.timedOut }
            let got: Int
            do {
                got = try SystemCall.run("read") {
                    bytes.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress.map { $0 + filled }, count - filled) }
                }
            } catch {
                throw RemoteError.connectionLost("cannot read (\(error.reason))")
            }
            if got == 0 {
                if atStart && filled == 0 { return nil }
                throw RemoteError.connectionLost("the connection closed in the middle of a message")
            }
            filled += got
        }
        return bytes
    }

    /// Waits until `descriptor` has input (or its end) or the deadline passes; false at the deadline.
    static func waitReadable(_ descriptor: Int32, deadline: ContinuousClock.Instant) throws -> Bool {
        do {
            // Each retry after an interruption waits only for what is left until the deadline.
            return try SystemCall.run("poll") {
                let left = ContinuousClock.now.duration(to: deadline)
                let milliseconds = max(0, Int32(clamping: left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000))
                var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                return poll(&poller, 1, milliseconds)
            } > 0
        } catch {
            throw RemoteError.connectionLost("cannot wait (\(error.reason))")
        }
    }
}
