import Foundation

/// Encodes the API's documents: JSON from `JSONEncoder` (text escaped by construction), dates in
/// ISO 8601, keys sorted, and no document over the size cap.
struct DocumentEncoder: Sendable {
    /// The largest document; a larger one becomes ``tooLarge(_:)``.
    var maxBytes: Int

    /// A document that says why it is not the one asked for.
    struct Failure: Encodable {
        var error: String
    }

    /// The JSON of `value`, or an error document when it cannot be encoded or is over the cap.
    func encode(_ value: some Encodable) -> Data { encodeChecked(value).data }

    /// The JSON of `value`, or (`failed`) an error document when it cannot be encoded or is over the cap.
    func encodeChecked(_ value: some Encodable) -> (data: Data, failed: Bool) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        do {
            let data = try encoder.encode(value)
            guard data.count <= maxBytes else { return (tooLarge(data.count), true) }
            return (data, false)
        } catch {
            return (failure("the document cannot be encoded: \(error)"), true)
        }
    }

    /// The error document of a document over the cap.
    func tooLarge(_ size: Int) -> Data {
        failure("the document is \(size) bytes, over phasekit serve's cap of \(maxBytes) bytes")
    }

    /// An error document.
    func failure(_ message: String) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Encoding one string cannot fail.
        return (try? encoder.encode(Failure(error: message))) ?? Data(#"{"error":"unknown"}"#.utf8)
    }
}
