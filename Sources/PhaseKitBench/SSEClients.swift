import Foundation
import SystemCalls

/// Raw Server-Sent Events clients of `phasekit serve`: each a TCP connection to 127.0.0.1 that
/// asks for `/api/events` and reads everything the server pushes, as an open page's EventSource
/// does, without the page's rendering (so that the cost measured is the server's). One thread
/// reads them all with `poll`.
final class SSEClients: @unchecked Sendable {
    private var descriptors: [Int32] = []
    private let lock = NSLock()
    private var stopped = false
    private var received = 0
    private var thread: Thread?

    /// Opens `count` connections to `port` and starts reading them.
    init(count: Int, port: Int) throws {
        for _ in 0..<count {
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard descriptor >= 0 else { throw BenchError("socket: \(String(cString: strerror(errno)))") }
            descriptors.append(descriptor)
            var address = sockaddr_in(sin_family: sa_family_t(AF_INET), sin_port: in_port_t(UInt16(port).bigEndian),
                                      sin_addr: in_addr(s_addr: inet_addr("127.0.0.1")), sin_zero: (0, 0, 0, 0, 0, 0, 0, 0))
            let connected = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else { close(); throw BenchError("cannot connect to 127.0.0.1:\(port): \(String(cString: strerror(errno)))") }
            let request = Array("GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\n\r\n".utf8)
            do {
                try SystemCall.writeAll(descriptor, request, "SSE client")
            } catch {
                close()
                throw BenchError("cannot send the SSE request: \(error.reason)")
            }
        }
        let thread = Thread { [self] in readAll() }
        thread.start()
        self.thread = thread
    }

    /// Bytes read so far from every connection together.
    var bytes: Int { lock.withLock { received } }

    private func readAll() {
        var buffer = [UInt8](repeating: 0, count: 65536)
        var polled = descriptors.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        while !lock.withLock({ stopped }) {
            guard poll(&polled, nfds_t(polled.count), 100) > 0 else { continue }
            for index in polled.indices where polled[index].revents != 0 {
                let count = read(polled[index].fd, &buffer, buffer.count)
                if count > 0 {
                    lock.withLock { received += count }
                } else {
                    polled[index].fd = -1   // closed by the server: poll ignores negative descriptors
                }
            }
        }
    }

    /// Closes every connection (as closing the pages would).
    func close() {
        lock.withLock { stopped = true }
        while thread?.isExecuting == true { usleep(10_000) }
        for descriptor in descriptors { _ = Glibc.close(descriptor) }
        descriptors = []
    }
}
