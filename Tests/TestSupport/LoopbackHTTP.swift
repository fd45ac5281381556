public import Foundation

/// One HTTP/1.1 exchange with a server on 127.0.0.1, over a blocking socket: the request as
/// given, then the response's body (by its `Content-Length`, else up to the end of the connection).
/// Enough for chromedriver and for the browser tests' plain requests; no TLS, no redirects.
public enum LoopbackHTTP {
    /// A connection or protocol failure.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Sends `request` (head and body) to 127.0.0.1:`port` and returns the response's body;
    /// throws on a connection failure, a timeout (`timeout` seconds per read or write) or a
    /// response that is not HTTP.
    public static func exchange(port: Int, request: Data, timeout: Double) throws -> Data {
        try response(port: port, request: request, timeout: timeout).body
    }

    /// The status code, the headers (names lowercased) and the body of the response to `request`.
    public static func response(port: Int, request: Data, timeout: Double) throws -> (status: Int, headers: [String: String], body: Data) {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw failure("socket", port) }
        defer { close(descriptor) }
        var limit = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1_000_000))
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in(sin_family: sa_family_t(AF_INET), sin_port: in_port_t(UInt16(port).bigEndian),
                                  sin_addr: in_addr(s_addr: inet_addr("127.0.0.1")), sin_zero: (0, 0, 0, 0, 0, 0, 0, 0))
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw failure("connect", port) }
        var sent = 0
        let bytes = [UInt8](request)
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw failure("send", port) }
            sent += count
        }
        var received = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        var head: (status: Int, headers: [String: String], bodyStart: Int)?
        while true {
            if head == nil, let end = received.range(of: Data("\r\n\r\n".utf8)) {
                head = try parseHead(received[received.startIndex..<end.lowerBound], port: port)
                head?.bodyStart = end.upperBound
            }
            if let head, let length = head.headers["content-length"].flatMap({ Int($0) }), received.count - head.bodyStart >= length {
                return (head.status, head.headers, received.subdata(in: head.bodyStart..<(head.bodyStart + length)))
            }
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count < 0 && errno == EINTR { continue }
            if count < 0 { throw failure("recv", port) }
            if count == 0 { break }
            received.append(contentsOf: buffer[0..<count])
        }
        guard let head else { throw Failure(description: "127.0.0.1:\(port): the connection closed before a complete HTTP response") }
        return (head.status, head.headers, received.subdata(in: head.bodyStart..<received.count))
    }

    private static func parseHead(_ text: Data, port: Int) throws -> (status: Int, headers: [String: String], bodyStart: Int) {
        let lines = String(decoding: text, as: UTF8.self).components(separatedBy: "\r\n")
        let parts = (lines.first ?? "").split(separator: " ")
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else {
            throw Failure(description: "127.0.0.1:\(port): not an HTTP response: \(lines.first ?? "")")
        }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return (status, headers, 0)
    }

    private static func failure(_ call: String, _ port: Int) -> Failure {
        Failure(description: "127.0.0.1:\(port): \(call): \(String(cString: strerror(errno)))")
    }
}
