import HTTPTypes

/// The headers every response of `phasekit serve` carries: a strict Content-Security-Policy (the
/// page's own script and style only, no inline code, no other origin, no framing), no sniffing,
/// no referrer, and no caching.
enum SecurityHeaders {
    static let contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        + "connect-src 'self'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'"

    /// The headers without a name in HTTPTypes, by name and value.
    static let others = [
        ("Referrer-Policy", "no-referrer"), ("X-Frame-Options", "DENY"),
        ("Cross-Origin-Opener-Policy", "same-origin"), ("Cross-Origin-Resource-Policy", "same-origin"),
    ]

    /// Adds the headers to `fields`.
    static func add(to fields: inout HTTPFields) {
        fields[.contentSecurityPolicy] = contentSecurityPolicy
        fields[.xContentTypeOptions] = "nosniff"
        fields[.cacheControl] = "no-store"
        for (name, value) in others {
            // The names are valid tokens: the guard never fails.
            guard let field = HTTPField.Name(name) else { continue }
            fields[field] = value
        }
    }
}
