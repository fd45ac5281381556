import Foundation
import Files

/// Read-only access to the files of a site's servers, wherever each server is: its root on this
/// machine, or on its own host through its agent (read-only). What a ``ChangeProvider`` reads the
/// site's description of a change with, so that a change kept on a remote server is seen.
///
/// Paths are relative to the server's root and confined to it exactly as `files.read` is.
public final class SiteFiles {
    /// The largest file a change provider reads.
    public static let maximumBytes = 16 * 1024 * 1024

    private let world: World

    /// Reads through an analysis world of `site`: nothing is created, nothing can be written.
    public init(site: SiteConfiguration) {
        world = WorldBuilder.world(for: site, mode: .analyze)
    }

    /// The bytes of `path` below `server`'s root, or nil when there is no such file.
    ///
    /// - Throws: ``PhaseKitError/configuration(_:)`` when the path is refused or the file cannot be read;
    ///   ``PhaseKitError/precondition(_:)`` when the server's host was lost (never read as no file).
    public func read(_ path: String, server: String) throws -> [UInt8]? {
        do {
            let area = try world.resource(.files, server: server)
            guard try area.exists(path) else { return nil }
            return try area.read(path, maximumBytes: Self.maximumBytes)
        } catch let error as PhaseKitError {
            throw error
        } catch {
            if let lost = RemoteWorld.lostConnection(in: world, failure: error) {
                throw PhaseKitError.precondition("server '\(server)': cannot read \(path): \(lost); nothing was changed")
            }
            throw PhaseKitError.configuration("server '\(server)': cannot read \(path) (\(error))")
        }
    }
}
