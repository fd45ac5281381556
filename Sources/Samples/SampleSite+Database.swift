import Databases

/// `cms.db`: the management database as the backup left it.
extension SampleSite {
    /// The schema, one statement per entry. See docs/sample-site.md.
    static let schema: [String] = [
        """
        CREATE TABLE backup_info (id INTEGER PRIMARY KEY CHECK (id = 1), taken_at TEXT NOT NULL,
          cms_host TEXT NOT NULL, product_version TEXT NOT NULL, backup_file TEXT NOT NULL)
        """,
        """
        CREATE TABLE io_services (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, owner TEXT NOT NULL,
          state TEXT NOT NULL DEFAULT 'active', created_at TEXT NOT NULL)
        """,
        """
        CREATE TABLE io_service_tiers (service_id TEXT NOT NULL, tier TEXT NOT NULL, template TEXT NOT NULL,
          server_count INTEGER NOT NULL, PRIMARY KEY (service_id, tier))
        """,
        """
        CREATE TABLE io_requests (id INTEGER PRIMARY KEY, service_id TEXT NOT NULL, kind TEXT NOT NULL,
          state TEXT NOT NULL CHECK (state IN ('queued', 'scheduled', 'in_progress', 'completed', 'failed', 'terminated')),
          requested_by TEXT NOT NULL, created_at TEXT NOT NULL, scheduled_at TEXT, started_at TEXT,
          finished_at TEXT, state_reason TEXT)
        """,
        "CREATE TABLE ip_pools (id TEXT PRIMARY KEY, name TEXT NOT NULL, network TEXT NOT NULL, gateway TEXT NOT NULL)",
        """
        CREATE TABLE ip_addresses (address TEXT PRIMARY KEY, pool_id TEXT NOT NULL,
          state TEXT NOT NULL CHECK (state IN ('free', 'allocated')), allocated_to TEXT, allocated_at TEXT)
        """,
        "CREATE INDEX ip_addresses_allocated_to ON ip_addresses (allocated_to)",
        "CREATE TABLE rm_logical_servers (id TEXT PRIMARY KEY, name TEXT NOT NULL, host TEXT NOT NULL)",
        """
        CREATE TABLE rm_recovery_groups (id TEXT PRIMARY KEY, name TEXT NOT NULL, recovery_site TEXT NOT NULL,
          failover_policy TEXT NOT NULL CHECK (failover_policy IN ('automatic', 'manual')), updated_at TEXT NOT NULL)
        """,
        """
        CREATE TABLE rm_group_members (group_id TEXT NOT NULL, logical_server_id TEXT NOT NULL,
          priority INTEGER NOT NULL, PRIMARY KEY (group_id, logical_server_id))
        """,
    ]

    /// Creates `cms.db` at `path` in one transaction.
    static func writeDatabase(at path: String, data: SampleData, addresses plan: SampleAddressPlan) throws {
        let connection = try SQLiteConnection(path: path)
        defer { connection.close() }
        try writeDatabase(into: connection, data: data, addresses: plan)
    }

    /// The sample's tables, dependents first.
    static let tables = ["rm_group_members", "rm_recovery_groups", "rm_logical_servers", "ip_addresses", "ip_pools",
                         "io_requests", "io_service_tiers", "io_services", "backup_info"]

    /// Writes the restored management database into an empty database through any connection
    /// (SQLite or PostgreSQL: the schema and the data are portable SQL).
    static func writeDatabase(into connection: any DatabaseConnection, data: SampleData, addresses plan: SampleAddressPlan) throws {
        try connection.beginTransaction()
        func run(_ sql: String, _ values: [DatabaseValue] = []) throws {
            _ = try connection.execute(sql, values)
        }
        func text(_ value: String?) -> DatabaseValue { value.map(DatabaseValue.text) ?? .null }
        for statement in schema { try run(statement) }

        try run("INSERT INTO backup_info VALUES (1, ?, ?, ?, ?)",
                [.text(backupTime), .text("cms01.corp.example"), .text("7.0.0"),
                 .text("cms01-backup-20260314-0200.bak")])
        for service in data.ioServices where service.inBackup {
            try run("INSERT INTO io_services (id, name, owner, created_at) VALUES (?, ?, ?, ?)",
                    [.text(service.id), .text(service.name), .text(service.owner), .text(service.createdAt)])
            for tier in service.tiers {
                try run("INSERT INTO io_service_tiers VALUES (?, ?, ?, ?)",
                        [.text(service.id), .text(tier.tier), .text(tier.template), .integer(Int64(tier.servers))])
            }
        }
        for request in data.ioRequests {
            try run("INSERT INTO io_requests VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [
                .integer(Int64(request.id)), .text(request.service), .text(request.kind), .text(request.state),
                .text(request.requestedBy), .text(request.createdAt), text(request.scheduledAt),
                text(request.startedAt), text(request.finishedAt), text(request.reason),
            ])
        }
        try writeAddresses(plan, run)
        for server in data.backupLogicalServers {
            try run("INSERT INTO rm_logical_servers VALUES (?, ?, ?)", [.text(server.id), .text(server.name), .text(server.host)])
        }
        for group in data.backupGroups {
            try run("INSERT INTO rm_recovery_groups VALUES (?, ?, ?, ?, ?)", [
                .text(group.id), .text(group.name), .text(group.recoverySite), .text(group.failoverPolicy),
                .text("2026-02-27T16:00:00Z"),
            ])
            for member in group.members {
                try run("INSERT INTO rm_group_members VALUES (?, ?, ?)", [.text(group.id), .text(member.server), .integer(Int64(member.priority))])
            }
        }
        try connection.commit()
    }

    /// Pools and addresses, inserted 100 rows per statement.
    private static func writeAddresses(_ plan: SampleAddressPlan, _ run: (String, [DatabaseValue]) throws -> Void) throws {
        var allocation: [Int: (service: String, at: String)] = [:]
        for i in 0..<plan.inUse {
            let use = plan.use(i)
            if !use.afterBackup { allocation[use.index] = (use.service, use.allocatedAt) }
        }
        for released in plan.releasedAfterBackup {
            allocation[released.index] = (released.service, released.allocatedAt)
        }
        let pools = (plan.total + 249) / 250
        for p in 0..<pools {
            let k = p * 250
            let network = SampleAddressPlan.address(k).split(separator: ".").prefix(3).joined(separator: ".")
            try run("INSERT INTO ip_pools VALUES (?, ?, ?, ?)", [
                .text(SampleAddressPlan.pool(k)), .text("provisioning-\(network)"), .text("\(network).0/24"), .text("\(network).254"),
            ])
        }
        var start = 0
        while start < plan.total {
            let end = min(start + 100, plan.total)
            var values: [DatabaseValue] = []
            for k in start..<end {
                values += [.text(SampleAddressPlan.address(k)), .text(SampleAddressPlan.pool(k))]
                if let held = allocation[k] {
                    values += [.text("allocated"), .text(held.service), .text(held.at)]
                } else {
                    values += [.text("free"), .null, .null]
                }
            }
            let rows = Array(repeating: "(?, ?, ?, ?, ?)", count: end - start).joined(separator: ", ")
            try run("INSERT INTO ip_addresses VALUES " + rows, values)
            start = end
        }
    }
}
