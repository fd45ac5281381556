import Foundation
import SystemCalls

/// Reads and writes length-prefixed frames on file descriptors, waiting at most until a deadline.
enum AgentFrame {
    /// Writes one frame.
    static func write(_ payload: [UInt8], to descriptor: Int32) throws {
        let count = UInt32(payload.count)
        let header: [UInt8] = [UInt8(count >> 24), UInt8((count >> 16) & 0xff), UInt8((count >> 8) & 0xff), UInt8(count & 0xff)]
        try writeAll(header + payload, to: descriptor)
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
    private static func waitReadable(_ descriptor: Int32, deadline: ContinuousClock.Instant) throws -> Bool {
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
