import Foundation

/// A client of `/api/events` that reads on its own thread and keeps every `event: run` document.
final class EventReader: @unchecked Sendable {
    private let socket: Int32
    private let lock = NSLock()
    private var documents: [(at: Date, json: [String: Any])] = []
    private var closed = false
    private var pending = ""

    init(port: Int, headers: [String: String] = [:]) throws {
        socket = try RawHTTP.connect(port: port, timeoutSeconds: 60)
        var head = "GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nAccept: text/event-stream\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        try RawHTTP.send(socket, Array((head + "\r\n").utf8))
        let thread = Thread { [self] in readLoop() }
        thread.start()
    }

    /// The documents received so far.
    var received: [(at: Date, json: [String: Any])] { lock.withLock { documents } }

    var isClosed: Bool { lock.withLock { closed } }

    private func readLoop() {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = recv(socket, &buffer, buffer.count, 0)
            if count <= 0 { break }
            let now = Date()
            let text = String(decoding: buffer[0..<count], as: UTF8.self)
            lock.withLock {
                pending += text
                // Each event's data is one line starting with `data: {` (chunk sizes sit on their own lines).
                while let end = pending.range(of: "\n") {
                    let line = String(pending[..<end.lowerBound])
                    pending.removeSubrange(..<end.upperBound)
                    if line.hasPrefix("data: "), let json = try? JSONSerialization.jsonObject(with: Data(line.dropFirst(6).utf8)) as? [String: Any] {
                        documents.append((now, json))
                    }
                }
            }
        }
        lock.withLock { closed = true }
    }

    func close() { shutdown(socket, Int32(SHUT_RDWR)); Foundation.close(socket) }
}
