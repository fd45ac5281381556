/// Wires the site's services into a world (filled in with the service bindings).
enum ServiceWorld {
    static func provide(in world: World, site: SiteConfiguration, planned: Bool, procedure: String?) {}
}
