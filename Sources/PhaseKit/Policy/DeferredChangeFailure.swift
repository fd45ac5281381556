/// The failure of a change sent to another host without waiting for its answer, raised later (by
/// the step's next binding call or by its end), with the call that made the change: the line of
/// the call that raised it says nothing of the change.
///
/// ```text
/// 'etc/app.conf': cannot write (No space left on device) (files.write at sync.lua:12, answered after it returned)
/// ```
struct DeferredChangeFailure: Error, CustomStringConvertible {
    /// Where the failed change was made.
    struct Origin {
        /// The failure as its connection reported it.
        var reason: String
        /// `module.name` of the binding that made the change, and the script's `file:line`.
        var binding: String
        var location: String?
    }

    /// The error the change's own call would have thrown.
    let underlying: any Error
    let origin: Origin

    var description: String {
        "\(underlying) (\(origin.binding) at \(origin.location ?? "an unknown line"), answered after it returned)"
    }
}
