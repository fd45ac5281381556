/// The only resources `phasekit serve` has: a fixed set of paths and one pattern (`/api/runs/ID`).
/// A request target is matched as text, never mapped to a file: anything with `..`, a percent
/// sign (an encoded slash or NUL), a backslash or a control character is refused as malformed.
enum RequestPath: Equatable, Sendable {
    case page, script, styleSheet
    case site, summary, run, events, history, plan
    case report(id: String)

    /// Why a target is not served.
    enum Refusal: Error, Equatable {
        /// 400: `..`, `%`, `\`, NUL or another control character.
        case malformed
        /// 404: no such resource.
        case notFound
    }

    /// The path part of a request target and its query (nil when there is none).
    static func split(_ target: String) -> (path: Substring, query: Substring?) {
        guard let mark = target.firstIndex(of: "?") else { return (Substring(target), nil) }
        return (target[..<mark], target[target.index(after: mark)...])
    }

    /// Matches a request target (`/api/run?x` matches `/api/run`).
    static func match(_ target: String) -> Result<RequestPath, Refusal> {
        let path = split(target).path
        if path.contains("..") || path.contains("%") || path.contains("\\")
            || path.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return .failure(.malformed)
        }
        switch path {
        case "/": return .success(.page)
        case "/app.js": return .success(.script)
        case "/app.css": return .success(.styleSheet)
        case "/api/site": return .success(.site)
        case "/api/summary": return .success(.summary)
        case "/api/run": return .success(.run)
        case "/api/events": return .success(.events)
        case "/api/history": return .success(.history)
        case "/api/plan": return .success(.plan)
        default: break
        }
        let prefix = "/api/runs/"
        guard path.hasPrefix(prefix) else { return .failure(.notFound) }
        let id = path.dropFirst(prefix.count)
        guard isRunID(id) else { return .failure(.notFound) }
        return .success(.report(id: String(id)))
    }

    /// A run ID as reports and journals are named: letters, digits, `.`, `_`, `-`, not starting
    /// with `.`, at most 200 characters.
    static func isRunID(_ id: Substring) -> Bool {
        !id.isEmpty && id.count <= 200 && !id.hasPrefix(".")
            && id.unicodeScalars.allSatisfy { ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || "._-".unicodeScalars.contains($0) }
    }
}
