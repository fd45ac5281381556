import Foundation

/// `--listen ADDR:PORT`: an IPv4 address or `localhost`, or `[IPv6]`, and a port (0: any free one).
public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int

    /// 127.0.0.1 on a port the system picks.
    public static let loopback = ListenAddress(host: "127.0.0.1", port: 0)

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Reads `ADDR:PORT`, `[ADDR]:PORT` or `:PORT` (loopback).
    ///
    /// - Throws: ``ServeError/usage(_:)`` naming what is wrong.
    public init(parsing text: String) throws {
        guard let colon = text.lastIndex(of: ":") else {
            throw ServeError.usage("--listen takes ADDR:PORT (such as 127.0.0.1:8026), not '\(text)'")
        }
        var host = String(text[..<colon])
        let portText = text[text.index(after: colon)...]
        guard let port = Int(portText), (0...65535).contains(port) else {
            throw ServeError.usage("--listen: the port must be a number from 0 to 65535, not '\(portText)'")
        }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.isEmpty { host = "127.0.0.1" }
        if host == "localhost" { host = "127.0.0.1" }
        guard host.allSatisfy({ $0.isHexDigit || $0 == "." || $0 == ":" }) else {
            throw ServeError.usage("--listen: give a numeric address (such as 127.0.0.1 or [::1]), not '\(host)'")
        }
        self.init(host: host, port: port)
    }

    /// Whether only this machine can connect: 127.0.0.0/8 or ::1.
    public var isLoopback: Bool {
        host.hasPrefix("127.") || host == "::1" || host == "0:0:0:0:0:0:0:1"
    }

    /// `http://HOST:PORT/` as a browser takes it (IPv6 in brackets); for every address (0.0.0.0,
    /// ::) the machine's host name, which others can open.
    public func url(port actualPort: Int) -> String {
        let name = ["0.0.0.0", "::"].contains(host) ? ProcessInfo.processInfo.hostName : host
        let shown = name.contains(":") ? "[\(name)]" : name
        return "http://\(shown):\(actualPort)/"
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
