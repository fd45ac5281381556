import Foundation
import HTTPTypes
import Hummingbird

/// `GET /api/events`: Server-Sent Events. `event: run` with the `/api/run` document when the
/// stream opens and each time the journal grows, and a comment line every heartbeat.
///
/// A client that does not read is not buffered for: its stream holds at most one pending signal
/// and sends the newest document when it can (``EventHub``); once its socket stays unwritable
/// for ``ServeOptions/stalledWriteSeconds`` the connection is dropped (``StalledWriteGuard``).
struct EventStream: Sendable {
    let hub: EventHub
    let heartbeat: Duration

    func response() -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream; charset=utf-8"
        let hub = hub
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            let (id, signals) = hub.subscribe()
            defer { hub.unsubscribe(id) }
            // The client reconnects after 2 s when the stream is cut.
            try await writer.write(ByteBuffer(string: "retry: 2000\n\n"))
            var sent = 0
            let (document, generation) = hub.current
            if generation > 0 {
                try await writer.write(Self.event(document))
                sent = generation
            }
            for await signal in signals {
                let (document, generation) = hub.current
                if generation != sent {
                    try await writer.write(Self.event(document))
                    sent = generation
                } else if signal == .heartbeat {
                    try await writer.write(ByteBuffer(string: ": heartbeat\n\n"))
                }
            }
            try await writer.finish(nil)
        })
    }

    /// `event: run` and the document on one `data:` line (JSON has no raw newline).
    static func event(_ document: Data) -> ByteBuffer {
        var buffer = ByteBuffer(string: "event: run\ndata: ")
        buffer.writeBytes(document)
        buffer.writeString("\n\n")
        return buffer
    }
}
