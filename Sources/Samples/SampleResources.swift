import Foundation
import PhaseKit

/// The sample site's data files (`Sources/Samples/Resources` in a source checkout,
/// `<prefix>/share/phasekit/Samples` once installed), found beside the bundled scripts.
enum SampleResources {
    /// The text of the data file at `relative` (such as `replication/saved.yaml`).
    ///
    /// - Throws: ``PhaseKit/PhaseKitError/configuration(_:)`` when the files cannot be found or read.
    static func text(_ relative: String) throws -> String {
        let directory = try BundledScripts.requireShared(checkout: "Sources/Samples/Resources", installed: "Samples")
        let path = directory + "/" + relative
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PhaseKitError.configuration("\(path): cannot read the sample data file")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
