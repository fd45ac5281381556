import Foundation
import HostSystem
public import Services

/// Wires the site's services into a world: the configured backend for the real world, a planned
/// simulation of it for analysis.
public enum ServiceWorld {
    static func provide(in world: World, site: SiteConfiguration, planned: Bool, procedure: String?) {
        world.provide(.services) { [weak world] serverName in
            let server = try site.server(named: serverName)
            guard let configuration = server.services else {
                throw PhaseKitError.configuration("\(site.file): server '\(server.name)' has no services section")
            }
            let real = server.host != nil ? try RemoteWorld.services(configuration, server: server, site: site, planned: planned, world: world)
                : try manager(for: configuration, server: server, site: site)
            let required = Set(configuration.definitions.filter { procedure.map($0.requiredFor.contains) ?? false }.map(\.name))
            return ServiceResource(manager: planned ? PlannedServiceManager(real: real) : real, required: required)
        }
    }

    /// The real manager for a server's services configuration.
    public static func manager(for configuration: ServicesConfiguration, server: ServerConfiguration, site: SiteConfiguration) throws -> any ServiceManager {
        let wait = Duration.milliseconds(Int64(configuration.waitSeconds * 1000))
        switch configuration.backend {
        case .process:
            return try ProcessServiceManager(
                stateDirectory: site.stateDirectory + "/services/" + server.name,
                services: configuration.definitions.map {
                    ProcessServiceDefinition(name: $0.name, command: $0.command, workingDirectory: server.root)
                },
                waitLimit: wait
            )
        case .systemd:
            return try SystemdServiceManager(
                services: configuration.definitions.map { SystemdServiceDefinition(name: $0.name, unit: $0.unit) },
                runner: ProcessCommandRunner(), waitLimit: wait
            )
        case .pacemaker:
            // HA: the services are cluster resources, started and stopped through the cluster manager.
            return try PacemakerServiceManager(
                services: configuration.definitions.map { PacemakerServiceDefinition(name: $0.name, resource: $0.resource) },
                runner: ProcessCommandRunner(), waitLimit: wait
            )
        }
    }
}
