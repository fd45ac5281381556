import Foundation
import TestSupport
import Testing

/// `phasekit serve` refuses what a read-only window must refuse: methods other than GET and
/// HEAD, paths that are not its own, requests without the token, a non-loopback address without one.
@Suite("phasekit serve: security", .serialized)
struct ServeSecurityTests {
    @Test func onlyGetAndHeadAreServedAndEveryResponseCarriesTheHeaders() throws {
        let site = try ServeSite.make()
        defer { ServeSite.dispose(site) }
        let serve = try ServeProcess(site: site)
        defer { serve.stop() }
        for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"] {
            let response = try RawHTTP.request(port: serve.port, method: method, target: "/api/run", body: "{}")
            #expect(response.status == 405, "\(method): \(response.status)")
            #expect(response.headers["allow"] == "GET, HEAD", "\(method)")
        }
        let page = try serve.get("/")
        #expect(page.status == 200)
        #expect(page.headers["content-type"] == "text/html; charset=utf-8")
        #expect(try serve.get("/app.js").headers["content-type"] == "text/javascript; charset=utf-8")
        #expect(try serve.get("/app.css").headers["content-type"] == "text/css; charset=utf-8")
        for target in ["/", "/api/site", "/api/run", "/nowhere", "/api/history"] {
            let response = try serve.get(target)
            #expect(response.headers["content-security-policy"] == "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'", "\(target)")
            #expect(response.headers["x-content-type-options"] == "nosniff", "\(target)")
            #expect(response.headers["referrer-policy"] == "no-referrer", "\(target)")
            #expect(response.headers["cache-control"] == "no-store", "\(target)")
        }
        let head = try serve.get("/api/site", method: "HEAD")
        #expect(head.status == 200 && head.body.isEmpty)
        #expect(head.headers["content-type"] == "application/json; charset=utf-8")
        #expect(head.headers["content-length"] == String(try serve.get("/api/site").body.count))
        // HEAD of the event stream: its head, nothing after it (the connection is reusable).
        let socket = try RawHTTP.connect(port: serve.port, timeoutSeconds: 5)
        defer { close(socket) }
        try RawHTTP.send(socket, Array("HEAD /api/events HTTP/1.1\r\nHost: localhost:\(serve.port)\r\n\r\nGET /api/site HTTP/1.1\r\nHost: localhost:\(serve.port)\r\nConnection: close\r\n\r\n".utf8))
        var received = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(socket, &buffer, buffer.count, 0)
            if count <= 0 { break }
            received.append(contentsOf: buffer[0..<count])
        }
        let text = String(decoding: received, as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.1 200") && text.contains("text/event-stream"), "\(text.prefix(300))")
        let second = try #require(text.range(of: "\r\n\r\n").map { text[$0.upperBound...] })
        #expect(second.hasPrefix("HTTP/1.1 200"), "nothing between the HEAD's head and the next response: \(second.prefix(100))")
    }

    @Test func withoutATokenOnlyRequestsAddressedToALoopbackNameAreAnswered() throws {
        let site = try ServeSite.make()
        defer { ServeSite.dispose(site) }
        let serve = try ServeProcess(site: site)
        defer { serve.stop() }
        for host in ["127.0.0.1:\(serve.port)", "localhost:\(serve.port)", "LOCALHOST:\(serve.port)"] {
            #expect(try serve.get("/api/site", headers: ["Host": host]).status == 200, "\(host)")
        }
        // A page elsewhere whose domain resolves to 127.0.0.1 (DNS rebinding) gets nothing.
        for host in ["attacker.example:\(serve.port)", "attacker.example", "127.0.0.1:1", "localhost"] {
            let response = try serve.get("/api/site", headers: ["Host": host])
            #expect(response.status == 403, "\(host): \(response.status)")
            #expect(!response.text.contains("cms-restored"))
        }
    }

    @Test func pathsOutsideTheFixedRoutesAreNeverFiles() throws {
        let site = try ServeSite.make()
        defer { ServeSite.dispose(site) }
        let serve = try ServeProcess(site: site)
        defer { serve.stop() }
        let malformed = ["/../site.yaml", "/api/../site.yaml", "/%2e%2e/site.yaml", "/api%2fsite", "/api/runs/..%2f..%2fsite.yaml",
                         "/app.js%00.html", "/api/site%00", "/..\\site.yaml"]
        for target in malformed {
            let response = try serve.get(target)
            #expect(response.status == 400, "\(target): \(response.status)")
            #expect(!response.text.contains("cms-restored"), "\(target) served the site file")
        }
        for target in ["/site.yaml", "/state/lock", "/api/runs/.hidden", "/index.html", "/api/runs/a/b", "/cms.db"] {
            #expect(try serve.get(target).status == 404, "\(target)")
        }
        // A raw NUL byte in the request target.
        let socket = try RawHTTP.connect(port: serve.port)
        defer { close(socket) }
        try RawHTTP.send(socket, Array("GET /api/site\u{0}/../../site.yaml HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8))
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(socket, &buffer, buffer.count, 0)
        let answer = count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self) : ""
        #expect(answer.isEmpty || answer.hasPrefix("HTTP/1.1 400"), "\(answer.prefix(100))")
        #expect(try serve.get("/api/site").status == 200, "the server still answers")
    }

    @Test func aTokenIsRequiredWhenSetByBearerOrByTheOneTimeLinksCookie() throws {
        let site = try ServeSite.make()
        defer { ServeSite.dispose(site) }
        let token = "t0ken-" + UUID().uuidString
        let tokenFile = site + "/serve.token"
        try token.write(toFile: tokenFile, atomically: true, encoding: .utf8)
        let serve = try ServeProcess(site: site, arguments: ["--token-file", tokenFile])
        defer { serve.stop() }
        #expect(try serve.get("/api/site").status == 401)
        #expect(try serve.get("/").status == 401)
        #expect(try serve.get("/nowhere").status == 401, "no resource is told to a client without the token")
        #expect(try serve.get("/api/site", headers: ["Authorization": "Bearer wrong-token-0123456789"]).status == 401)
        #expect(try serve.get("/api/site", headers: ["Authorization": "Bearer \(token)"]).status == 200)

        // The one-time link: a cookie, a redirect to / without the code, and the code is used up.
        let linkTarget = try #require(serve.link.range(of: "/?token=").map { String(serve.link[$0.lowerBound...]) })
        let exchanged = try serve.get(linkTarget)
        #expect(exchanged.status == 303)
        #expect(exchanged.headers["location"] == "/")
        let setCookie = try #require(exchanged.headers["set-cookie"])
        #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"))
        #expect(!setCookie.contains(token), "the cookie is a session key, not the token")
        let cookie = String(setCookie.split(separator: ";")[0])
        #expect(try serve.get("/api/site", headers: ["Cookie": cookie]).status == 200)
        #expect(try serve.get("/", headers: ["Cookie": "other=1; " + cookie]).status == 200)
        #expect(try serve.get(linkTarget).status == 401, "the link works once")
        #expect(try serve.get("/api/site", headers: ["Cookie": "phasekit-session=forged"]).status == 401)
    }

    @Test func aNonLoopbackAddressIsRefusedWithoutAToken() throws {
        let site = try ServeSite.make()
        defer { ServeSite.dispose(site) }
        let refused = try ServeSite.run(["serve", "--site", site, "--listen", "0.0.0.0:0"])
        #expect(refused.status == 4, "\(refused.output)")
        #expect(refused.output.contains("not a loopback address"), "\(refused.output)")
        let bad = try ServeSite.run(["serve", "--site", site, "--listen", "nowhere"])
        #expect(bad.status == 64, "\(bad.output)")
        // With a token it listens (on every address; the test talks to it on loopback).
        let tokenFile = site + "/serve.token"
        try ("k" + UUID().uuidString).write(toFile: tokenFile, atomically: true, encoding: .utf8)
        let serve = try ServeProcess(site: site, arguments: ["--listen", "0.0.0.0:0", "--token-file", tokenFile])
        defer { serve.stop() }
        #expect(try serve.get("/api/site").status == 401)
    }
}
