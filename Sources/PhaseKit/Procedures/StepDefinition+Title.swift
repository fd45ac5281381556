import Foundation

extension StepDefinition {
    /// The placeholder a step's title uses for the server of its row: `"Copy configuration to {server}"`.
    public static let serverPlaceholder = "{server}"

    /// The title of the step's row on `server`: the placeholder replaced by the server's name
    /// ("Copy configuration to production"); without a server, by what the scope covers ("each
    /// server", "each recovery server").
    public func title(for server: String?) -> String {
        guard title.contains(Self.serverPlaceholder) else { return title }
        let covered = switch scope {
        case .once, .each: "each server"
        case .production: "each production server"
        case .recovery: "each recovery server"
        }
        let name = server ?? covered
        return title.replacingOccurrences(of: Self.serverPlaceholder, with: name)
    }
}
