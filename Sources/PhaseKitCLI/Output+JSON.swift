import Foundation
import PhaseKit

extension Output {
    /// Prints any JSON document of the command line (`list`, `status`, `history`) the way reports
    /// are printed: pretty, sorted keys, ISO 8601 dates.
    static func json(_ document: some Encodable) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        print((try? encoder.encode(document)).map { String(decoding: $0, as: UTF8.self) } ?? "{}")
    }
}
