import Foundation
import Synchronization

/// The token a non-loopback `phasekit serve` requires: every request carries it as
/// `Authorization: Bearer TOKEN` or as the session cookie the link printed at start sets.
///
/// The printed link carries a one-time code, good for one browser: opening it sets the cookie
/// (HttpOnly, SameSite=Strict) and redirects to `/` without the code in the address. Another
/// browser opens `/?token=TOKEN` with the token of the file. The cookie holds a random session
/// key made at start, never the token itself.
final class AccessToken: Sendable {
    /// The cookie's name.
    static let cookieName = "phasekit-session"

    private let token: String
    private let session: String
    /// The one-time code of the printed link, until it is used.
    private let oneTimeCode: Mutex<String?>

    init(token: String) {
        self.token = token
        session = Self.randomKey()
        oneTimeCode = Mutex(Self.randomKey())
    }

    /// The code of the link printed at start (nil once used).
    var linkCode: String? { oneTimeCode.withLock { $0 } }

    /// Whether the request's `Authorization` or `Cookie` header carries the token or the session.
    func admits(authorization: String?, cookie: String?) -> Bool {
        if let authorization, authorization.hasPrefix("Bearer "),
           Self.same(String(authorization.dropFirst("Bearer ".count)).trimmingCharacters(in: .whitespaces), token) {
            return true
        }
        guard let cookie else { return false }
        for part in cookie.split(separator: ";") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0] == Self.cookieName, Self.same(pair[1], session) { return true }
        }
        return false
    }

    /// The `Set-Cookie` value when `code` is the one-time code (used up now) or the token; nil otherwise.
    func exchange(_ code: String) -> String? {
        let accepted = Self.same(code, token) || oneTimeCode.withLock { stored in
            guard let current = stored, Self.same(code, current) else { return false }
            stored = nil
            return true
        }
        return accepted ? "\(Self.cookieName)=\(session); Path=/; HttpOnly; SameSite=Strict" : nil
    }

    /// Compares in time independent of where the texts differ.
    static func same(_ left: String, _ right: String) -> Bool {
        let a = Array(left.utf8), b = Array(right.utf8)
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for index in 0..<max(a.count, b.count) {
            difference |= (index < a.count ? a[index] : 0) ^ (index < b.count ? b[index] : 0)
        }
        return difference == 0
    }

    /// 32 random bytes in hexadecimal, from the system's generator.
    static func randomKey() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }
}
