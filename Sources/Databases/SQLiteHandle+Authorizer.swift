import CSQLite

extension SQLiteHandle {
    /// Pragmas that take an argument yet only read.
    static let readOnlyPragmasWithArgument: Set<String> = [
        "table_info", "table_xinfo", "table_list", "index_info", "index_xinfo", "index_list",
        "foreign_key_list", "foreign_key_check", "integrity_check", "quick_check",
    ]

    /// Pragmas that act even without an argument.
    static let actingPragmasWithoutArgument: Set<String> = [
        "optimize", "wal_checkpoint", "incremental_vacuum", "shrink_memory",
    ]

    /// Decides one authorizer request: transaction and connection control and writing pragmas are denied.
    ///
    /// - Parameters:
    ///   - action: the `SQLITE_*` action code.
    ///   - first: the action's first argument (a pragma's name, a transaction verb, ...).
    ///   - second: the action's second argument (a pragma's value, ...).
    /// - Returns: `SQLITE_OK` or `SQLITE_DENY`.
    func authorize(action: Int32, _ first: String?, _ second: String?) -> Int32 {
        authorizerCalls += 1
        switch action {
        case SQLITE_TRANSACTION, SQLITE_SAVEPOINT:
            if allowsTransactionControl { return SQLITE_OK }
            let verb = (first ?? "transaction").uppercased()
            return deny("\(verb) is refused: transactions are controlled by the connection, not by statements")
        case SQLITE_ATTACH, SQLITE_DETACH:
            return deny("ATTACH, DETACH and VACUUM are refused: they change the connection, not the data")
        case SQLITE_PRAGMA:
            let name = (first ?? "").lowercased()
            let allowed = second == nil
                ? !Self.actingPragmasWithoutArgument.contains(name)
                : Self.readOnlyPragmasWithArgument.contains(name)
            return allowed ? SQLITE_OK : deny("PRAGMA \(name) is refused: only pragmas that read are allowed")
        default:
            return SQLITE_OK
        }
    }

    private func deny(_ reason: String) -> Int32 {
        if denial == nil { denial = reason }
        return SQLITE_DENY
    }
}
