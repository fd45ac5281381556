import Files
import Foundation
import Volumes

/// Sweeps what a crash can leave behind before an execution starts: temporary files of atomic
/// writes cut off in the servers' roots, and volume images whose metadata was never written.
///
/// Safe only under the site lock (one run at a time), which every execution holds.
public enum CrashCleanup {
    /// Removes the leftovers and returns their paths.
    @discardableResult
    public static func sweep(_ site: SiteConfiguration) -> [String] {
        var removed: [String] = []
        // A server on its own host is swept by its agent when an execution connects to it.
        for server in site.servers where server.host == nil {
            let enumerator = FileManager.default.enumerator(atPath: server.root)
            while let relative = enumerator?.nextObject() as? String {
                if relative == "state" || relative.hasPrefix("state/") { enumerator?.skipDescendants(); continue }
                if (relative as NSString).lastPathComponent.hasPrefix(FilePaths.temporaryPrefix) {
                    let path = server.root + "/" + relative
                    // What cannot be removed stays, unlisted (listings skip temporary files), for the next sweep.
                    if (try? FileManager.default.removeItem(atPath: path)) != nil { removed.append(path) }
                }
            }
            // Orphan images come only from interrupted creates, which take the pool's lock first:
            // a pool without a lock file has never been written and is left untouched.
            if let volumes = server.volumes, volumes.backend == .dir,
               FileManager.default.fileExists(atPath: (volumes.path ?? server.root + "/volumes") + "/.phasekit-pool.lock"),
               // Orphan images are no volumes: a pool that cannot be opened or swept keeps them for the next sweep.
               let pool = try? WorldBuilder.realPool(server, site: site, create: false) as? DirVolumePool {
                removed += ((try? pool.removeOrphans()) ?? []).map { pool.directory.path + "/" + $0 }
            }
        }
        return removed
    }
}
