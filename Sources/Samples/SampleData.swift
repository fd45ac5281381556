import Foundation
import PhaseKit

/// The fixed content of the sample site (`world.json` of the sample data), shared by the database
/// (the world at backup time) and the sources of truth (the world now), so both tell one
/// consistent story (docs/sample-site.md).
struct SampleData: Decodable {
    /// An IO service: a group of servers provisioned from a template.
    struct IOService: Decodable {
        struct Tier: Decodable {
            var tier: String
            var template: String
            var servers: Int
        }

        var id: String
        var name: String
        var owner: String
        var createdAt: String
        var tiers: [Tier]
        /// Whether the service is in the restored database (created before the backup).
        var inBackup: Bool
        /// Whether the service still exists in the live infrastructure.
        var live: Bool
    }

    /// An IO request as the restored database holds it.
    struct IORequest: Decodable {
        var id: Int
        var service: String
        var kind: String
        var state: String
        var requestedBy: String
        var createdAt: String
        var scheduledAt: String?
        var startedAt: String?
        var finishedAt: String?
        var reason: String?
    }

    /// A logical server RM can protect.
    struct LogicalServer: Decodable {
        var id: String
        var name: String
        var host: String
    }

    /// A recovery group: logical servers that fail over together, with their failover priority.
    struct RecoveryGroup: Decodable {
        struct Member: Decodable {
            var server: String
            var priority: Int
        }

        var id: String
        var name: String
        var recoverySite: String
        var failoverPolicy: String
        var members: [Member]
    }

    /// Services, with history, requests in progress, queued and scheduled around the backup.
    var ioServices: [IOService]
    var ioRequests: [IORequest]
    /// The RM configuration at backup time.
    var backupLogicalServers: [LogicalServer]
    var backupGroups: [RecoveryGroup]
    /// The RM configuration now (the export).
    var currentLogicalServers: [LogicalServer]
    var currentGroups: [RecoveryGroup]

    /// Reads `world.json` of the sample data.
    ///
    /// - Throws: ``PhaseKit/PhaseKitError/configuration(_:)`` when it cannot be found, read or decoded.
    static func load() throws -> SampleData {
        let text = try SampleResources.text("world.json")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            return try decoder.decode(SampleData.self, from: Data(text.utf8))
        } catch {
            throw PhaseKitError.configuration("world.json of the sample data: \(error)")
        }
    }
}
