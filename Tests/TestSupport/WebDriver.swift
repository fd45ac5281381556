public import Foundation

/// One W3C WebDriver session, spoken as plain HTTP and JSON to a driver on 127.0.0.1
/// (https://www.w3.org/TR/webdriver2/): the commands the browser tests and the page benchmark use.
/// Every call is synchronous and throws ``WebDriver/Failure`` with the driver's error and message.
/// The HTTP is this file's own (one request per connection, `Connection: close`): Foundation's
/// URLSession on Linux refuses chromedriver's headers, which have no space after the colon.
public final class WebDriver: @unchecked Sendable {
    /// A command the driver answered with an error, or a transport failure.
    public struct Failure: Error, CustomStringConvertible {
        /// The W3C error code (`no such element`, `no such alert`, ...) or `transport`.
        public var error: String
        public var message: String
        public var description: String { "WebDriver \(error): \(message)" }

        public init(error: String, message: String) {
            self.error = error
            self.message = message
        }
    }

    /// The key under which W3C drivers return an element reference.
    static let elementKey = "element-6066-11e4-a52e-4f735466cecf"

    /// The driver's base URL, `http://127.0.0.1:PORT`.
    public let base: String
    /// The session's ID, once created.
    public private(set) var sessionID = ""
    private let port: Int

    /// A client of the driver listening on `port`; no session yet.
    public init(port: Int) {
        self.port = port
        base = "http://127.0.0.1:\(port)"
    }

    /// Whether the driver answers `GET /status` with `ready: true`.
    public var ready: Bool {
        // Not ready yet: a driver still starting refuses the connection, which is the answer here.
        guard let value = try? send("GET", "/status", nil, timeout: 2) as? [String: Any] else { return false }
        return value["ready"] as? Bool ?? false
    }

    /// Creates the session with these capabilities (`alwaysMatch`).
    public func start(capabilities: [String: Any]) throws {
        let value = try send("POST", "/session", ["capabilities": ["alwaysMatch": capabilities]], timeout: 90)
        guard let object = value as? [String: Any], let id = object["sessionId"] as? String else {
            throw Failure(error: "session not created", message: "no sessionId in \(String(describing: value))")
        }
        sessionID = id
    }

    /// Ends the session (the driver quits the browser).
    public func end() throws {
        guard !sessionID.isEmpty else { return }
        _ = try command("DELETE", "", nil)
        sessionID = ""
    }

    /// Sends a command of the session: `path` follows `/session/ID`.
    @discardableResult
    public func command(_ method: String, _ path: String, _ body: [String: Any]?, timeout: Double = 60) throws -> Any {
        try send(method, "/session/\(sessionID)\(path)", body, timeout: timeout)
    }

    /// Navigates to a URL and waits for the document to load.
    public func navigate(_ url: String) throws { try command("POST", "/url", ["url": url]) }

    /// The element references matching a CSS selector (empty when none).
    public func elements(_ selector: String) throws -> [String] {
        let value = try command("POST", "/elements", ["using": "css selector", "value": selector])
        return (value as? [[String: Any]] ?? []).compactMap { $0[Self.elementKey] as? String }
    }

    /// An element's rendered text (as the user sees it: hidden text excluded).
    public func text(ofElement element: String) throws -> String {
        try command("GET", "/element/\(element)/text", nil) as? String ?? ""
    }

    /// Runs a script in the page (`execute/sync`) and returns its JSON result.
    @discardableResult
    public func execute(_ script: String, _ arguments: [Any] = []) throws -> Any {
        try command("POST", "/execute/sync", ["script": script, "args": arguments])
    }

    /// The open user prompt's text (an `alert`), or nil when none is open.
    public func alertText() throws -> String? {
        do {
            return try command("GET", "/alert/text", nil) as? String
        } catch let failure as Failure where failure.error == "no such alert" {
            return nil
        }
    }

    /// Sets the window's size in CSS pixels.
    public func resize(width: Int, height: Int) throws {
        try command("POST", "/window/rect", ["width": width, "height": height])
    }

    /// Opens a new tab and returns its handle.
    public func newTab() throws -> String {
        let value = try command("POST", "/window/new", ["type": "tab"])
        guard let handle = (value as? [String: Any])?["handle"] as? String else {
            throw Failure(error: "unknown error", message: "no handle for the new tab")
        }
        return handle
    }

    /// Makes a tab (by handle) the current one.
    public func switchTo(tab handle: String) throws { try command("POST", "/window", ["handle": handle]) }

    /// A PNG screenshot of the current tab's viewport.
    public func screenshot() throws -> Data {
        guard let encoded = try command("GET", "/screenshot", nil) as? String, let data = Data(base64Encoded: encoded) else {
            throw Failure(error: "unknown error", message: "the screenshot is not base64")
        }
        return data
    }

    /// One HTTP exchange with the driver: the response's `value`, or its error thrown.
    func send(_ method: String, _ path: String, _ body: [String: Any]?, timeout: Double) throws -> Any {
        let payload = try body.map { try JSONSerialization.data(withJSONObject: $0) } ?? Data()
        var request = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\nAccept: application/json\r\n"
        if body != nil { request += "Content-Type: application/json; charset=utf-8\r\n" }
        request += "Content-Length: \(payload.count)\r\n\r\n"
        let answer = try LoopbackHTTP.exchange(port: port, request: Data(request.utf8) + payload, timeout: timeout)
        // An answer that does not parse is reported below with its first bytes.
        guard let object = try? JSONSerialization.jsonObject(with: answer, options: [.fragmentsAllowed]) as? [String: Any] else {
            throw Failure(error: "transport", message: "\(method) \(path): the answer is not a JSON object: \(String(decoding: answer.prefix(200), as: UTF8.self))")
        }
        let value = object["value"] ?? NSNull()
        if let failure = value as? [String: Any], let code = failure["error"] as? String {
            throw Failure(error: code, message: failure["message"] as? String ?? "")
        }
        return value
    }
}
