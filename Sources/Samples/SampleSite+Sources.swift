import PhaseKit
/// The sources of truth after the backup: the live inventory and the RM configuration export.
extension SampleSite {
    /// `inventory/services.json`: the IO services that exist now.
    static func servicesInventory(_ data: SampleData) -> String {
        let entries = data.ioServices.filter(\.live).map { service in
            "    {\"id\": \(StringLiteral.json(service.id)), \"name\": \(StringLiteral.json(service.name)), \"owner\": \(StringLiteral.json(service.owner)), "
                + "\"created_at\": \(StringLiteral.json(service.createdAt)), \"servers\": \(service.tiers.map(\.servers).reduce(0, +))}"
        }
        return """
        {
          "format": "io-inventory",
          "version": 1,
          "generated_at": \(StringLiteral.json(inventoryTime)),
          "source": "io-controller-01.corp.example",
          "services": [
        \(entries.joined(separator: ",\n"))
          ]
        }

        """
    }

    /// `inventory/addresses.csv`: `address,service,allocated_at`, one line per address in use now.
    static func addressInventory(_ plan: SampleAddressPlan) -> String {
        var lines = ["# addresses in use, read from the DHCP/IPAM server at \(inventoryTime)", "address,service,allocated_at"]
        lines.reserveCapacity(plan.inUse + 3)
        for i in 0..<plan.inUse {
            let use = plan.use(i)
            lines.append("\(SampleAddressPlan.address(use.index)),\(use.service),\(use.allocatedAt)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `exports/rm-config.json`: the RM configuration as the RM server has it now.
    static func rmExport(_ data: SampleData) -> String {
        let servers = data.currentLogicalServers.map { server in
            "    {\"id\": \(StringLiteral.json(server.id)), \"name\": \(StringLiteral.json(server.name)), \"host\": \(StringLiteral.json(server.host))}"
        }
        let groups = data.currentGroups.map { group in
            let members = group.members.map { "{\"logical_server\": \(StringLiteral.json($0.server)), \"priority\": \($0.priority)}" }
            return """
                {
                  "id": \(StringLiteral.json(group.id)),
                  "name": \(StringLiteral.json(group.name)),
                  "recovery_site": \(StringLiteral.json(group.recoverySite)),
                  "failover_policy": \(StringLiteral.json(group.failoverPolicy)),
                  "members": [\(members.joined(separator: ", "))]
                }
            """
        }
        return """
        {
          "format": "rm-config-export",
          "version": 1,
          "exported_at": \(StringLiteral.json(exportTime)),
          "exported_by": "rm-server-site-b.corp.example",
          "logical_servers": [
        \(servers.joined(separator: ",\n"))
          ],
          "recovery_groups": [
        \(groups.joined(separator: ",\n"))
          ]
        }

        """
    }
}
