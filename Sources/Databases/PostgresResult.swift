import CPostgres

/// The one owner of a `PGresult`, cleared in `deinit`, with typed access to its values.
///
/// Results are requested in text format and parsed by column type: int2/int4/int8 become
/// integers, float4/float8/numeric reals, bool integers 0/1, bytea blobs (hex output), and
/// everything else text.
final class PostgresResult {
    private let result: OpaquePointer

    init(_ result: OpaquePointer) {
        self.result = result
    }

    deinit {
        PQclear(result)
    }

    var rowCount: Int { Int(PQntuples(result)) }
    var columnCount: Int { Int(PQnfields(result)) }

    var columnNames: [String] {
        (0..<Int32(columnCount)).map { PQfname(result, $0).map { String(cString: $0) } ?? "?column?" }
    }

    /// The affected row count libpq reports (`PQcmdTuples`), 0 when there is none.
    var commandTuples: Int {
        PQcmdTuples(result).flatMap { Int(String(cString: $0)) } ?? 0
    }

    /// One row's values.
    func row(_ row: Int) -> [DatabaseValue] {
        (0..<Int32(columnCount)).map { value(row: Int32(row), column: $0) }
    }

    /// The raw text of one value, or `nil` for NULL.
    func text(row: Int, column: Int) -> String? {
        guard PQgetisnull(result, Int32(row), Int32(column)) == 0, let bytes = PQgetvalue(result, Int32(row), Int32(column)) else {
            return nil
        }
        let length = Int(PQgetlength(result, Int32(row), Int32(column)))
        return bytes.withMemoryRebound(to: UInt8.self, capacity: length) {
            String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
        }
    }

    private func value(row: Int32, column: Int32) -> DatabaseValue {
        guard let text = text(row: Int(row), column: Int(column)) else { return .null }
        switch PQftype(result, column) {
        case PostgresType.int2, PostgresType.int4, PostgresType.int8:
            return Int64(text).map(DatabaseValue.integer) ?? .text(text)
        case PostgresType.float4, PostgresType.float8, PostgresType.numeric:
            return PostgresType.parseReal(text).map(DatabaseValue.real) ?? .text(text)
        case PostgresType.bool:
            return .integer(text == "t" ? 1 : 0)
        case PostgresType.bytea:
            return PostgresType.parseHexBytea(text).map(DatabaseValue.blob) ?? .text(text)
        default:
            return .text(text)
        }
    }
}
