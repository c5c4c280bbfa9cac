import Foundation
import Spreadsheet

/// Turns rows of PostgreSQL's COPY text format (tab-separated, `\N` for null, backslash escapes; dates in ISO
/// style) into spreadsheet cells, column by column, without building strings for numbers and dates.
struct CopyTextCells {
    /// How one query column becomes a cell.
    enum Field {
        case shown(ColumnKind)
        case variant(kindFrom: Int)
        case hidden
    }

    let fields: [Field]
    /// Where a field's bytes start and end within the current row.
    private var spans: [(start: Int, end: Int)]
    private var cells: [Cell] = []

    init(_ fields: [Field]) {
        self.fields = fields
        self.spans = Array(repeating: (0, 0), count: fields.count)
        self.cells.reserveCapacity(fields.count)
    }

    /// Calls `body` with the cells of every row of `chunk` (whole rows, as `Connection.copyOut` hands them).
    /// `rowNumber` counts rows from 1 across chunks, for error messages.
    mutating func forEachRow(in chunk: UnsafeRawBufferPointer, rowNumber: inout Int, _ body: ([Cell]) throws -> Void) throws {
        guard let base = chunk.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        let bytes = UnsafeBufferPointer(start: base, count: chunk.count)
        var position = 0
        while position < bytes.count {
            rowNumber += 1
            var field = 0, start = position
            while position < bytes.count {
                let byte = bytes[position]
                if byte == 0x09 || byte == 0x0A {
                    guard field < spans.count else { throw shapeError(rowNumber, found: field + 1) }
                    spans[field] = (start, position)
                    field += 1
                    start = position + 1
                    if byte == 0x0A { break }
                }
                position += 1
            }
            position += 1
            guard field == spans.count else { throw shapeError(rowNumber, found: field) }
            cells.removeAll(keepingCapacity: true)
            for index in fields.indices {
                switch fields[index] {
                case .hidden:
                    continue
                case .shown(let kind):
                    cells.append(try cell(bytes, spans[index], kind, row: rowNumber, column: index))
                case .variant(let source):
                    let name = Self.text(bytes, spans[source]) ?? "text"
                    guard let kind = ColumnKind(rawValue: name) else {
                        throw PipelineError(.operational, "row \(rowNumber): \(name) is not a column kind")
                    }
                    let value = try cell(bytes, spans[index], kind, row: rowNumber, column: index)
                    if case .number(let number, _) = value { cells.append(.number(number, kind: kind)) } else { cells.append(value) }
                }
            }
            try body(cells)
        }
    }

    private func shapeError(_ row: Int, found: Int) -> PipelineError {
        PipelineError(.operational, "row \(row): the query returned \(found) columns, the layout has \(fields.count)")
    }

    private func cell(_ bytes: UnsafeBufferPointer<UInt8>, _ span: (start: Int, end: Int), _ kind: ColumnKind, row: Int, column: Int) throws -> Cell {
        let count = span.end - span.start
        if count == 2, bytes[span.start] == UInt8(ascii: "\\"), bytes[span.start + 1] == UInt8(ascii: "N") { return .blank }
        switch kind {
        case .text:
            return .text(Self.text(bytes, span) ?? "")
        case .integer, .identifier, .decimal, .percent:
            // strtod stops at the tab or newline that ends the field; the process keeps LC_NUMERIC=C.
            var end: UnsafeMutablePointer<CChar>?
            let start = UnsafeMutableRawPointer(mutating: bytes.baseAddress! + span.start).assumingMemoryBound(to: CChar.self)
            let value = strtod(start, &end)
            guard let end, end - start == count, count > 0 else { throw valueError(bytes, span, "a number", row: row, column: column) }
            return .number(value)
        case .date, .dateTime:
            guard let serial = Self.serial(bytes, span, withTime: kind == .dateTime) else {
                throw valueError(bytes, span, kind == .date ? "a date" : "a time stamp", row: row, column: column)
            }
            return .number(serial)
        case .boolean:
            guard count == 1, bytes[span.start] == UInt8(ascii: "t") || bytes[span.start] == UInt8(ascii: "f") else {
                throw valueError(bytes, span, "a boolean", row: row, column: column)
            }
            return .boolean(bytes[span.start] == UInt8(ascii: "t"))
        }
    }

    private func valueError(_ bytes: UnsafeBufferPointer<UInt8>, _ span: (start: Int, end: Int), _ wanted: String, row: Int, column: Int) -> PipelineError {
        PipelineError(.operational, "row \(row), query column \(column + 1): \(Self.text(bytes, span) ?? "") is not \(wanted)")
    }

    /// The field as text, with COPY's backslash escapes undone; nil for `\N`.
    static func text(_ bytes: UnsafeBufferPointer<UInt8>, _ span: (start: Int, end: Int)) -> String? {
        let field = UnsafeBufferPointer(rebasing: bytes[span.start..<span.end])
        if field.count == 2, field[0] == UInt8(ascii: "\\"), field[1] == UInt8(ascii: "N") { return nil }
        guard field.contains(UInt8(ascii: "\\")) else { return String(decoding: field, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(field.count)
        var index = 0
        while index < field.count {
            let byte = field[index]
            index += 1
            guard byte == UInt8(ascii: "\\"), index < field.count else { out.append(byte); continue }
            let next = field[index]
            index += 1
            switch next {
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "v"): out.append(0x0B)
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                var value = Int(next - UInt8(ascii: "0")), digits = 1
                while digits < 3, index < field.count, (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(field[index]) {
                    value = value * 8 + Int(field[index] - UInt8(ascii: "0"))
                    index += 1
                    digits += 1
                }
                out.append(UInt8(truncatingIfNeeded: value))
            default: out.append(next)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `YYYY-MM-DD[ HH:MM:SS[.ffffff][+HH[:MM]]]` as an Excel serial in the session's time zone (the offset,
    /// which is that zone's, is not applied again).
    static func serial(_ bytes: UnsafeBufferPointer<UInt8>, _ span: (start: Int, end: Int), withTime: Bool) -> Double? {
        func number(_ at: Int, _ length: Int) -> Int? {
            guard at + length <= span.end else { return nil }
            var value = 0
            for index in at..<(at + length) {
                let digit = Int(bytes[index]) - 48
                guard (0...9).contains(digit) else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        let s = span.start
        guard span.end - s >= 10, bytes[s + 4] == UInt8(ascii: "-"), bytes[s + 7] == UInt8(ascii: "-"),
              let year = number(s, 4), let month = number(s + 5, 2), let day = number(s + 8, 2) else { return nil }
        guard withTime, span.end - s >= 19, bytes[s + 10] == UInt8(ascii: " ") else {
            return span.end - s == 10 || withTime ? ExcelDate.serial(year: year, month: month, day: day) : nil
        }
        guard let hour = number(s + 11, 2), let minute = number(s + 14, 2), let whole = number(s + 17, 2) else { return nil }
        var second = Double(whole)
        var index = s + 19
        if index < span.end, bytes[index] == UInt8(ascii: ".") {
            var scale = 0.1
            index += 1
            while index < span.end, let digit = number(index, 1) {
                second += Double(digit) * scale
                scale /= 10
                index += 1
            }
        }
        return ExcelDate.serial(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
    }
}
