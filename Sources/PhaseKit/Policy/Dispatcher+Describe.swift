import LuaRuntime

extension Dispatcher {
    /// Adds the binding's own description (and diff) to a write about to run.
    ///
    /// A describer that cannot describe the call (bad arguments, which the body then reports)
    /// leaves the raw call as the change's only description: describing never fails a write.
    func describe(_ change: inout Change, binding: PreparedBinding, call: borrowing LuaCall, invocation: BindingInvocation) {
        // A description (a diff, a size) only explains a change; one that cannot be made leaves the
        // change with its binding and arguments. A lost host it met still fails the step (RunSession).
        guard let describe = binding.describe, let description = try? describe(call, invocation) else { return }
        change.description = OutputLimits.truncate(description.text, to: ChangeDescription.maximumBytes)
        change.diff = description.diff.map { OutputLimits.truncate($0, to: ChangeDescription.maximumBytes) }
    }
}
