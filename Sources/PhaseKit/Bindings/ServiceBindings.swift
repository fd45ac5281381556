/// `services`: filled in with the services backends.
enum ServiceBindings {
    static func register(in registry: inout BindingRegistry) {}
}
