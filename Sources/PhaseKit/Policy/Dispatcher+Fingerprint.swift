import LuaRuntime

/// Fingerprints of what steps read, for saved plans (`--plan-out`, `--execute --plan`).
///
/// A row's fingerprint covers every read its script made, on any server (a row may read others'
/// state, as configure's verification on production does), as a canonical set: each distinct read
/// (server, binding, arguments, results) once, sorted. So the same state read gives the same
/// fingerprint whatever order the script read it in (Lua's `pairs` order is not stable from one
/// run to the next) and however often it read it, and any read that returns something else
/// changes it.
extension Dispatcher {
    /// The SHA-256 of everything the row (`step` on `server`) read (nil without fingerprinting).
    public func stateFingerprint(step: String, server: String) -> String? {
        guard fingerprinting else { return nil }
        let records = (readRecords[RowKey(step: step, server: server)] ?? []).sorted()
        return SHA256.hex(Array(records.joined().utf8))
    }

    /// Adds what a read of `server` returned to the current row's fingerprint.
    func noteRead(_ binding: String, arguments: [LuaValue], results: [LuaValue], server: String) {
        guard fingerprinting else { return }
        let record = StringLiteral.json(server) + " " + binding + JSONValue(.table(LuaTable(array: arguments))).compactExact + "="
            + JSONValue(.table(LuaTable(array: results))).compactExact + "\n"
        readRecords[RowKey(step: step.name ?? "", server: step.server), default: []].insert(record)
    }
}
