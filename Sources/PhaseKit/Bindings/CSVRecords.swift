/// The records of a CSV file, as `db.import_csv` reads them.
///
/// The format is what inventory and IPAM exports write:
/// - The first record is a header naming the columns; the caller picks columns by name, in its
///   own order, and the others are ignored.
/// - A UTF-8 byte order mark at the start (as spreadsheet exports write) is skipped.
/// - Records are separated by LF or CRLF. Blank lines and lines whose first non-blank character
///   is `#` are skipped.
/// - Fields are separated by commas. A field may be double-quoted (RFC 4180): it may then hold
///   commas, line breaks and `""` for a quote. Unquoted fields lose surrounding blanks.
/// - Every record has as many fields as the header, and no selected value is empty.
///
/// Anything else is a ``CSVFormatError`` naming the file and the line of the record.
struct CSVRecords {
    /// The selected columns' values, record after record (`columns.count` values per record).
    var values: [String] = []
    /// How many records were read (the header not included).
    var count = 0

    /// Parses `bytes` (the file's content) and selects `columns`, by name.
    ///
    /// - Parameters:
    ///   - file: the file's name for messages, such as `inventory/addresses.csv`.
    init(parsing bytes: [UInt8], file: String, columns: [String]) throws(CSVFormatError) {
        var positions: [Int]?
        var fieldCount = 0
        var parser = CSVParser(bytes: bytes, file: file)
        while let (line, fields) = try parser.nextRecord() {
            guard let selected = positions else {
                positions = try Self.positions(of: columns, in: fields, file: file, line: line)
                fieldCount = fields.count
                continue
            }
            guard fields.count == fieldCount else {
                throw CSVFormatError(file: file, line: line, "\(fields.count) field(s), the header has \(fieldCount)")
            }
            for (index, position) in selected.enumerated() {
                guard !fields[position].isEmpty else { throw CSVFormatError(file: file, line: line, "empty \(columns[index])") }
                values.append(fields[position])
            }
            count += 1
        }
        guard positions != nil else { throw CSVFormatError(file: file, line: nil, "no header line") }
    }

    /// Where each wanted column is in the header.
    private static func positions(of columns: [String], in header: [String], file: String, line: Int) throws(CSVFormatError) -> [Int] {
        var index: [String: Int] = [:]
        for (position, name) in header.enumerated() {
            guard index.updateValue(position, forKey: name) == nil else {
                throw CSVFormatError(file: file, line: line, "the header names column '\(name)' twice")
            }
        }
        var positions: [Int] = []
        for name in columns {
            guard let position = index[name] else { throw CSVFormatError(file: file, line: line, "the header has no column '\(name)'") }
            positions.append(position)
        }
        return positions
    }
}

/// A CSV file that cannot be read as ``CSVRecords`` describes, with where.
struct CSVFormatError: Error, CustomStringConvertible {
    var file: String
    /// The line where the offending record starts; `nil` for the file as a whole.
    var line: Int?
    var reason: String

    init(file: String, line: Int?, _ reason: String) {
        self.file = file
        self.line = line
        self.reason = reason
    }

    /// `inventory/addresses.csv:12: empty address`.
    var description: String { "\(file)\(line.map { ":\($0)" } ?? ""): \(reason)" }
}

/// Splits CSV bytes into records of fields, keeping line numbers.
private struct CSVParser {
    let bytes: [UInt8]
    let file: String
    var position = 0
    /// The line `position` is on (1-based).
    var line = 1

    init(bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
    }

    private static let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\""), newline = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r"), hash = UInt8(ascii: "#")

    private static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

    /// The next record and the line it starts on; `nil` at the end of the file.
    mutating func nextRecord() throws(CSVFormatError) -> (Int, [String])? {
        while position < bytes.count {
            let start = line
            var probe = position
            while probe < bytes.count, Self.isBlank(bytes[probe]) { probe += 1 }
            if probe == bytes.count || bytes[probe] == Self.newline || bytes[probe] == Self.carriageReturn || bytes[probe] == Self.hash {
                skipLine()
                continue
            }
            var fields: [String] = []
            while true {
                fields.append(try nextField(recordLine: start))
                guard position < bytes.count, bytes[position] == Self.comma else { break }
                position += 1
            }
            skipLineEnd()
            return (start, fields)
        }
        return nil
    }

    /// Moves past the rest of the line and its line break.
    private mutating func skipLine() {
        while position < bytes.count, bytes[position] != Self.newline { position += 1 }
        if position < bytes.count { position += 1; line += 1 }
    }

    /// At the end of a record: a line break (LF or CRLF) or the end of the file.
    private mutating func skipLineEnd() {
        if position < bytes.count, bytes[position] == Self.carriageReturn { position += 1 }
        if position < bytes.count, bytes[position] == Self.newline { position += 1; line += 1 }
    }

    /// One field; the position is left on the comma, line break or end after it.
    private mutating func nextField(recordLine: Int) throws(CSVFormatError) -> String {
        while position < bytes.count, Self.isBlank(bytes[position]) { position += 1 }
        if position < bytes.count, bytes[position] == Self.quote { return try quotedField(recordLine: recordLine) }
        let start = position
        while position < bytes.count {
            let byte = bytes[position]
            if byte == Self.comma || byte == Self.newline { break }
            if byte == Self.quote { throw CSVFormatError(file: file, line: line, "a quote inside an unquoted field") }
            position += 1
        }
        var end = position
        if end > start, end == bytes.count || bytes[end] == Self.newline, bytes[end - 1] == Self.carriageReturn { end -= 1 }
        while end > start, Self.isBlank(bytes[end - 1]) { end -= 1 }
        return try text(bytes[start..<end])
    }

    /// A field in double quotes, `""` standing for one quote.
    private mutating func quotedField(recordLine: Int) throws(CSVFormatError) -> String {
        position += 1
        var content: [UInt8] = []
        while true {
            guard position < bytes.count else {
                throw CSVFormatError(file: file, line: recordLine, "a quoted field is not closed before the end of the file")
            }
            let byte = bytes[position]
            position += 1
            if byte == Self.quote {
                guard position < bytes.count, bytes[position] == Self.quote else { break }
                position += 1
            } else if byte == Self.newline {
                line += 1
            }
            content.append(byte)
        }
        while position < bytes.count, Self.isBlank(bytes[position]) { position += 1 }
        // Left on the comma, the line break (CR or LF) or the end: what a record may go on with.
        var next = position
        if next < bytes.count, bytes[next] == Self.carriageReturn { next += 1 }
        let endsRecord = next == bytes.count || bytes[next] == Self.newline
        guard endsRecord || bytes[position] == Self.comma else {
            throw CSVFormatError(file: file, line: line, "text after the closing quote of a field")
        }
        return try text(content[...])
    }

    private func text(_ slice: ArraySlice<UInt8>) throws(CSVFormatError) -> String {
        guard let string = String(validating: slice, as: UTF8.self) else {
            throw CSVFormatError(file: file, line: line, "a field is not valid UTF-8")
        }
        return string
    }
}
