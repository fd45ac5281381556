import Foundation
import TestSupport
import Testing

/// A thousand idle connections and a client that never reads its event stream: the server keeps
/// answering others, its memory stays bounded, and the client that does not read is dropped.
@Suite("phasekit serve: limits", .serialized)
struct ServeLimitsTests {
    @Test func aThousandIdleConnectionsLeaveTheServerResponsive() throws {
        let site = try ServeSite.make()
        defer { ServeSite.dispose(site) }
        let serve = try ServeProcess(site: site)
        defer { serve.stop() }
        #expect(try serve.get("/api/site").status == 200)
        let baseline = serve.residentKiB
        var idle: [Int32] = []
        defer { for socket in idle { close(socket) } }
        for _ in 0..<1000 { idle.append(try RawHTTP.connect(port: serve.port)) }
        // Half of them send an incomplete request head and stop.
        for socket in idle.prefix(500) { try RawHTTP.send(socket, Array("GET /api/site HTTP/1.1\r\nHost: x\r\n".utf8)) }
        let start = Date()
        let response = try serve.get("/api/site")
        let elapsed = Date().timeIntervalSince(start)
        #expect(response.status == 200)
        let grown = serve.residentKiB - baseline
        print("serve: with 1000 idle connections, /api/site in \(Int(elapsed * 1000)) ms; RSS \(baseline) KiB -> +\(grown) KiB")
        #expect(elapsed < 5, "answered within 5 s")
        #expect(grown < 100 * 1024, "memory for 1000 idle connections stays under 100 MiB")
    }

    @Test func fiftyOpenStreamsAllGetEveryRecordWithMemoryBounded() throws {
        let site = try ServeSite.make()
        defer { ServeSite.dispose(site) }
        let rows = (0..<48).map { "configure/step_\($0 / 3)@server\($0 % 3)" }
        let journal = try SyntheticJournal(site: site, pid: getpid(), rows: rows)
        let serve = try ServeProcess(site: site)
        defer { serve.stop() }
        let baseline = serve.residentKiB
        let pages = try (0..<50).map { _ in try EventReader(port: serve.port) }
        defer { pages.forEach { $0.close() } }
        #expect(Wait.until(10) { pages.allSatisfy { !$0.received.isEmpty } })
        let start = Date()
        for index in rows.indices {
            try journal.row(index, "step-started")
            try journal.row(index, "step-finished", state: "done")
        }
        #expect(Wait.until(20) { pages.allSatisfy { ($0.received.last?.json["done"] as? Int) == rows.count } }, "every page sees the last record")
        let grown = serve.residentKiB - baseline
        print("serve: 50 open streams, 48 rows: all up to date in \(Int(Date().timeIntervalSince(start) * 1000)) ms; RSS \(baseline) KiB -> +\(grown) KiB")
        #expect(grown < 64 * 1024)
    }

    @Test func aClientThatNeverReadsItsEventStreamIsDroppedAndMemoryStaysBounded() throws {
        let site = try ServeSite.make()
        defer { ServeSite.dispose(site) }
        // A run of 3000 rows: each document is a few hundred KB.
        let rows = (0..<3000).map { "configure/step_\($0 / 3)@server\($0 % 3)" }
        let journal = try SyntheticJournal(site: site, pid: getpid(), rows: rows, titles: rows.map { "A long title for \($0) " + String(repeating: "x", count: 40) })
        let serve = try ServeProcess(site: site)
        defer { serve.stop() }
        // The client asks for the stream with a tiny receive buffer and never reads.
        let slow = try RawHTTP.connect(port: serve.port, receiveBuffer: 4096)
        defer { close(slow) }
        try RawHTTP.send(slow, Array("GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:\(serve.port)\r\n\r\n".utf8))
        let reader = try EventReader(port: serve.port)
        defer { reader.close() }
        #expect(Wait.until(10) { !reader.received.isEmpty })
        let baseline = serve.residentKiB
        for index in 0..<300 {
            try journal.row(index, "step-started")
            try journal.row(index, "step-finished", state: "done")
            usleep(30_000)
        }
        #expect(Wait.until(20) { (reader.received.last?.json["done"] as? Int) == 300 }, "the reading client keeps up")
        let grown = serve.residentKiB - baseline
        print("serve: 300 documents to a client that does not read: RSS \(baseline) KiB -> +\(grown) KiB; \(reader.received.count) events to the reader")
        #expect(grown < 150 * 1024)
        #expect(try serve.get("/api/run").status == 200, "others are still served")
        // Dropped once its socket stayed unwritable (10 s): reading now drains what was sent, then the end.
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(slow, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        sleep(12)
        var total = 0
        var ended = false
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let count = recv(slow, &buffer, buffer.count, 0)
            if count <= 0 { ended = count == 0 || errno == ECONNRESET; break }
            total += count
        }
        print("serve: the slow client got \(total) bytes before the server dropped it")
        #expect(ended, "the server closed the stream of the client that did not read")
    }
}
