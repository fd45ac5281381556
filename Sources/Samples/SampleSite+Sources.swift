/// The sources of truth after the backup: the live inventory and the RM configuration export.
extension SampleSite {
    /// `inventory/services.json`: the IO services that exist now.
    static func servicesInventory(_ data: SampleData) -> String {
        let entries = data.ioServices.filter(\.live).map { service in
            "    {\"id\": \(json(service.id)), \"name\": \(json(service.name)), \"owner\": \(json(service.owner)), "
                + "\"created_at\": \(json(service.createdAt)), \"servers\": \(service.tiers.map(\.servers).reduce(0, +))}"
        }
        return """
        {
          "format": "io-inventory",
          "version": 1,
          "generated_at": \(json(inventoryTime)),
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
            "    {\"id\": \(json(server.id)), \"name\": \(json(server.name)), \"host\": \(json(server.host))}"
        }
        let groups = data.currentGroups.map { group in
            let members = group.members.map { "{\"logical_server\": \(json($0.server)), \"priority\": \($0.priority)}" }
            return """
                {
                  "id": \(json(group.id)),
                  "name": \(json(group.name)),
                  "recovery_site": \(json(group.recoverySite)),
                  "failover_policy": \(json(group.failoverPolicy)),
                  "members": [\(members.joined(separator: ", "))]
                }
            """
        }
        return """
        {
          "format": "rm-config-export",
          "version": 1,
          "exported_at": \(json(exportTime)),
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

    /// A JSON string literal.
    static func json(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 {
                    out += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
