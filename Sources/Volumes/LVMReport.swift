import Foundation

/// The JSON that `lvs --reportformat json --units b --nosuffix -o lv_name,vg_name,lv_size,lv_tags` prints.
///
/// Shape: `{"report":[{"lv":[{"lv_name":"…","vg_name":"…","lv_size":"…","lv_tags":"a,b"}]}]}`;
/// newer LVM2 versions may add a `"log"` array beside `"report"`, which is ignored.
struct LVMReport: Decodable {
    /// One row of the `lv` report: every field is a string.
    struct Row: Decodable, Equatable {
        var lvName: String
        var vgName: String
        var lvSize: String
        var lvTags: String

        enum CodingKeys: String, CodingKey {
            case lvName = "lv_name"
            case vgName = "vg_name"
            case lvSize = "lv_size"
            case lvTags = "lv_tags"
        }

        /// The row's tags; LVM2 joins them with commas, which tags cannot contain.
        var tags: [String] { lvTags.split(separator: ",").map(String.init) }
    }

    struct Section: Decodable {
        var lv: [Row]?
    }

    var report: [Section]

    /// Every row of every section.
    var rows: [Row] { report.flatMap { $0.lv ?? [] } }

    /// Parses `lvs` output.
    ///
    /// - Parameter json: what `lvs` printed on standard output.
    /// - Throws: `DecodingError` when it is not the expected shape.
    static func parse(_ json: String) throws -> LVMReport {
        try JSONDecoder().decode(LVMReport.self, from: Data(json.utf8))
    }
}

extension LVMReport.Row {
    /// The volume this row describes, or `nil` when it has no role tag (not managed by phasekit).
    ///
    /// - Throws: ``VolumeError`` of kind ``VolumeError/Kind/backendFailure`` for a size that is
    ///   not a number of bytes, an unknown role, or several role tags.
    func volume() throws -> Volume? {
        let prefix = VolumeValidation.reservedTagPrefix
        let roleTags = tags.filter { $0.hasPrefix(prefix) }
        guard let roleTag = roleTags.first else { return nil }
        guard roleTags.count == 1 else {
            throw VolumeError(.backendFailure, volume: lvName, "several role tags: \(roleTags.joined(separator: ","))")
        }
        let role = VolumeRole(String(roleTag.dropFirst(prefix.count)))
        guard role.isValid else {
            throw VolumeError(.backendFailure, volume: lvName, "unknown role tag \(roleTag)")
        }
        guard let size = Int64(lvSize) else {
            throw VolumeError(.backendFailure, volume: lvName, "lvs reported size \"\(lvSize)\", not a number of bytes")
        }
        return Volume(
            name: lvName, group: vgName, role: role, size: size, tags: tags.filter { !$0.hasPrefix(prefix) })
    }
}
