/// One service run by ``SystemdServiceManager``: a site name mapped to a systemd unit.
public struct SystemdServiceDefinition: Sendable, Equatable, Codable {
    /// The service's name as the site names it.
    public var name: String
    /// The systemd unit, e.g. `postgresql@15-main.service`.
    public var unit: String

    /// Maps a service name to a unit.
    ///
    /// - Parameters:
    ///   - name: the site's name for the service.
    ///   - unit: the systemd unit; `nil` means `NAME.service`.
    public init(name: String, unit: String? = nil) {
        self.name = name
        self.unit = unit ?? name + ".service"
    }
}
