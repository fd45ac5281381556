import Foundation
import PhaseKit

extension Output {
    /// Prints any JSON document of the command line (`list`, `status`, `history`) the way reports
    /// are printed: pretty, sorted keys, ISO 8601 dates.
    static func json(_ document: some Encodable) {
        print(encoded(document))
    }
}
