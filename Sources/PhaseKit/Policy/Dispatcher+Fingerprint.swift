import LuaRuntime

/// Fingerprints of what steps read, for saved plans (`--plan-out`, `--execute --plan`).
extension Dispatcher {
    /// The SHA-256 of everything the step read (nil without fingerprinting).
    public func stateFingerprint(step: String, server: String) -> String? {
        guard fingerprinting else { return nil }
        return SHA256.hex(readRecords[step + "@" + server] ?? [])
    }

    /// Adds what a read returned to the current step's fingerprint.
    func noteRead(_ binding: String, arguments: [LuaValue], results: [LuaValue], server: String) {
        guard fingerprinting else { return }
        let record = binding + JSONValue(.table(LuaTable(array: arguments))).compactExact + "="
            + JSONValue(.table(LuaTable(array: results))).compactExact + "\n"
        readRecords[(currentStep ?? "") + "@" + server, default: []] += Array(record.utf8)
    }
}
