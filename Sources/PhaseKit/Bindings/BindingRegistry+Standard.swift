extension BindingRegistry {
    /// Every binding phasekit ships: phase, db, volumes, services, files, hosts.
    public static var standard: BindingRegistry {
        var registry = BindingRegistry()
        for module in [PhaseBindings.module, DatabaseBindings.module, VolumeBindings.module,
                       FileBindings.module, HostBindings.module, ServiceBindings.module] {
            registry.register(module)
        }
        return registry
    }
}
