extension BindingRegistry {
    /// Every binding phasekit ships: phase, db, volumes, services, files, hosts.
    public static var standard: BindingRegistry {
        var registry = BindingRegistry()
        PhaseBindings.register(in: &registry)
        DatabaseBindings.register(in: &registry)
        VolumeBindings.register(in: &registry)
        FileBindings.register(in: &registry)
        HostBindings.register(in: &registry)
        ServiceBindings.register(in: &registry)
        return registry
    }
}
