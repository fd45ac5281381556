import Foundation
import HTTPTypes
import Hummingbird

/// Answers every request of `phasekit serve`: GET and HEAD only (others 405), the token when one
/// is set, the fixed routes of ``RequestPath``, and the security headers on every response.
struct WindowResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let reader: SiteReader
    let summary: SummaryReader
    /// Quick reads (journal, history, reports) and the slow analyses, on separate threads.
    let quick: EngineQueue
    let slow: EngineQueue
    let hub: EventHub
    let access: AccessToken?
    /// Without a token: the loopback names a request must be addressed to.
    let hosts: HostCheck
    let encoder: DocumentEncoder
    let heartbeat: Duration

    func respond(to request: Request, context: Context) async throws -> Response {
        var response = await answer(request)
        SecurityHeaders.add(to: &response.headers)
        if request.method == .head {
            // The same head as GET, without the body.
            let length = response.body.contentLength
            response.body = ResponseBody()
            response.headers[.contentLength] = length.map { String($0) }
        }
        return response
    }

    /// The response before the common headers.
    private func answer(_ request: Request) async -> Response {
        guard request.method == .get || request.method == .head else {
            var response = error(.methodNotAllowed, "only GET and HEAD are served: phasekit serve is read-only")
            response.headers[.allow] = "GET, HEAD"
            return response
        }
        let target = request.head.path ?? ""
        let matched = RequestPath.match(target)
        if case .failure(.malformed) = matched { return error(.badRequest, "malformed path") }
        if access == nil && !hosts.admits(request.head.authority) {
            return error(.forbidden, "this server answers requests addressed to 127.0.0.1, localhost or [::1] only")
        }
        if let access {
            if case .success(.page) = matched, let code = Self.tokenParameter(RequestPath.split(target).query) {
                guard let cookie = access.exchange(code) else { return error(.unauthorized, "this link's token is not valid (or was used already)") }
                var response = Response(status: .seeOther)
                response.headers[.location] = "/"
                response.headers[.setCookie] = cookie
                return response
            }
            guard access.admits(authorization: request.headers[.authorization], cookie: request.headers[.cookie]) else {
                var response = error(.unauthorized, "a token is required: open the link phasekit serve printed, or send Authorization: Bearer TOKEN")
                response.headers[.wwwAuthenticate] = "Bearer"
                return response
            }
        }
        guard case .success(let route) = matched else { return error(.notFound, "no such resource") }
        return await serve(route)
    }

    /// The resource of an admitted request.
    private func serve(_ route: RequestPath) async -> Response {
        switch route {
        case .page: return file(PackageResources.index_html, type: "text/html; charset=utf-8")
        case .script: return file(PackageResources.app_js, type: "text/javascript; charset=utf-8")
        case .styleSheet: return file(PackageResources.app_css, type: "text/css; charset=utf-8")
        case .site: return await document(quick) { try $0.reader.siteDocument() }
        case .summary: return await document(slow) { try $0.summary.summaryDocument() }
        case .run: return await document(quick) { try $0.reader.runDocument() }
        case .history: return await document(quick) { try $0.reader.historyDocument() }
        case .plan:
            return await document(quick) { responder in
                guard let plan = try responder.reader.planDocument() else { throw NotFound(message: "phasekit serve was started without --plan") }
                return plan
            }
        case .report(let id):
            return await document(quick) { responder in
                guard let report = try responder.reader.reportDocument(id: id) else { throw NotFound(message: "no stored run '\(id)'") }
                return report
            }
        case .events: return EventStream(hub: hub, heartbeat: heartbeat).response()
        }
    }

    /// A document computed on `queue`: 200, or 404/500/503 with `{"error": ...}`.
    private func document<T: Encodable & Sendable>(_ queue: EngineQueue, _ make: @escaping @Sendable (WindowResponder) throws -> T) async -> Response {
        let responder = self
        do {
            let value = try await queue.run { try make(responder) }
            let (data, failed) = encoder.encodeChecked(value)
            return json(failed ? .internalServerError : .ok, data)
        } catch let missing as NotFound {
            return error(.notFound, missing.message)
        } catch is EngineQueue.Busy {
            return error(.serviceUnavailable, "phasekit serve is busy: try again")
        } catch {
            return self.error(.internalServerError, "\(error)")
        }
    }

    /// A document that is not there.
    struct NotFound: Error {
        var message: String
    }

    private func file(_ bytes: [UInt8], type: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    private func json(_ status: HTTPResponse.Status, _ data: Data) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    private func error(_ status: HTTPResponse.Status, _ message: String) -> Response {
        json(status, encoder.failure(message))
    }

    /// The `token` parameter of a query, when there is one.
    static func tokenParameter(_ query: Substring?) -> String? {
        guard let query else { return nil }
        for pair in query.split(separator: "&") where pair.hasPrefix("token=") {
            return String(pair.dropFirst("token=".count))
        }
        return nil
    }
}
