/// One service run by ``PacemakerServiceManager``: a site name mapped to a cluster resource.
public struct PacemakerServiceDefinition: Sendable, Equatable, Codable {
    /// The service's name as the site names it.
    public var name: String
    /// The Pacemaker resource id (a primitive, group or clone).
    public var resource: String

    /// Maps a service name to a cluster resource.
    ///
    /// - Parameters:
    ///   - name: the site's name for the service.
    ///   - resource: the resource id; `nil` means the service's name.
    public init(name: String, resource: String? = nil) {
        self.name = name
        self.resource = resource ?? name
    }
}
