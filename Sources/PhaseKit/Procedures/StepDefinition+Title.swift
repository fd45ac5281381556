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
        case .role(let role): "each \(role) server"
        }
        let name = server ?? covered
        return title.replacingOccurrences(of: Self.serverPlaceholder, with: name)
    }

    /// Whether a row's title names its server as a word (`Copy configuration to production`),
    /// so that showing it needs no `[server]` after it.
    public static func title(_ title: String, names server: String) -> Bool {
        var searchRange = title.startIndex..<title.endIndex
        let isNamePart: (Character) -> Bool = { $0.isLetter || $0.isNumber || "_.-".contains($0) }
        while let found = title.range(of: server, range: searchRange) {
            let before = found.lowerBound == title.startIndex ? nil : title[title.index(before: found.lowerBound)]
            let after = found.upperBound == title.endIndex ? nil : title[found.upperBound]
            if !(before.map(isNamePart) ?? false) && !(after.map(isNamePart) ?? false) { return true }
            searchRange = found.upperBound..<title.endIndex
        }
        return false
    }
}
