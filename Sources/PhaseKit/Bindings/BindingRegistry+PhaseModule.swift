extension BindingRegistry {
    /// The registry with the `phase` module (every run has it, whatever else a registry offers).
    package var withPhaseModule: BindingRegistry {
        guard moduleSummaries["phase"] == nil else { return self }
        var registry = self
        registry.register(PhaseBindings.module)
        return registry
    }
}
