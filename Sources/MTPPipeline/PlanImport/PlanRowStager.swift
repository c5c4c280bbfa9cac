import Crypto
import Foundation
import Postgres

/// Turns planning records into COPY rows of `order_plan_raw`: the fields exactly as read, the row's lineage
/// (import, file, line, hash) and the checks' verdict (a reason, or the normalised values).
final class PlanRowStager {
    static let copyStatement = """
        copy public.order_plan_raw (import_id, source_file, source_line, row_hash, field_count,
                                    order_code, product_name, requirement, plan_start, plan_end, extra,
                                    reject_reason, n_order_code, n_product_name, n_requirement, n_plan_start, n_plan_end)
        from stdin
        """

    private let prefix: [UInt8]   // "import_id\tsource_file\t"
    private let header: PlanHeader
    private let validator: PlanRowValidator
    private var line: [UInt8] = []
    /// Data rows staged.
    private(set) var rowsRead = 0
    /// Rows the value checks rejected (duplicates are found later, in SQL).
    private(set) var rowsRejected = 0

    init(importID: Int64, fileName: String, header: PlanHeader, validator: PlanRowValidator) {
        var prefix: [UInt8] = []
        PlanRowStager.appendField(String(importID), to: &prefix)
        prefix.append(0x09)
        PlanRowStager.appendField(fileName, to: &prefix)
        prefix.append(0x09)
        self.prefix = prefix
        self.header = header
        self.validator = validator
        line.reserveCapacity(1024)
    }

    /// Writes one record as a COPY text-format row.
    func stage(_ record: CSVRecord, to writer: CopyInWriter) throws {
        rowsRead += 1
        let fields = record.fields
        line.removeAll(keepingCapacity: true)
        line.append(contentsOf: prefix)
        append(String(record.line))
        append(Self.rowHash(fields))
        append(String(fields.count))

        var values: [PlanField: String] = [:]
        for field in PlanField.allCases {
            let position = header.positions[field]!
            let value = position < fields.count ? fields[position] : nil
            values[field] = value
            append(value)
        }
        append(extraJSON(fields))

        var verdict: Result<PlanRow, PlanRowRejection>
        if fields.count != header.names.count {
            verdict = .failure(.init("row has \(fields.count) field\(fields.count == 1 ? "" : "s"), header has \(header.names.count)"))
        } else {
            verdict = validator.validate(values)
        }
        switch verdict {
        case .success(let row):
            append(nil)
            append(row.orderCode)
            append(row.productName)
            append(String(row.requirement))
            append(row.planStart.postgresText)
            append(row.planEnd.postgresText, last: true)
        case .failure(let rejection):
            rowsRejected += 1
            append(rejection.reason)
            append(nil); append(nil); append(nil); append(nil)
            append(nil, last: true)
        }
        try line.withUnsafeBytes { try writer.write($0) }
    }

    /// Columns beyond the required ones as a JSON object keyed by their header (`#N` past the header's end).
    private func extraJSON(_ fields: [String]) -> String? {
        var pairs: [(String, String)] = header.extraPositions.compactMap { position in
            position < fields.count ? (header.names[position], fields[position]) : nil
        }
        if fields.count > header.names.count {
            for position in header.names.count..<fields.count { pairs.append(("#\(position + 1)", fields[position])) }
        }
        guard !pairs.isEmpty else { return nil }
        return "{" + pairs.map { "\(Self.jsonString($0.0)):\(Self.jsonString($0.1))" }.joined(separator: ",") + "}"
    }

    private func append(_ value: String?, last: Bool = false) {
        if let value { Self.appendField(value, to: &line) } else { line.append(contentsOf: [0x5C, 0x4E]) } // \N
        line.append(last ? 0x0A : 0x09)
    }

    /// Appends a value escaped for COPY's text format.
    static func appendField(_ value: String, to buffer: inout [UInt8]) {
        for byte in value.utf8 {
            switch byte {
            case 0x5C: buffer.append(0x5C); buffer.append(0x5C)
            case 0x09: buffer.append(0x5C); buffer.append(UInt8(ascii: "t"))
            case 0x0A: buffer.append(0x5C); buffer.append(UInt8(ascii: "n"))
            case 0x0D: buffer.append(0x5C); buffer.append(UInt8(ascii: "r"))
            case 0x00: continue // PostgreSQL text cannot hold NUL
            default: buffer.append(byte)
            }
        }
    }

    /// SHA-256 of the fields as read, joined by the unit separator (U+001F), in hex.
    static func rowHash(_ fields: [String]) -> String {
        var hasher = SHA256()
        for (index, field) in fields.enumerated() {
            if index > 0 { hasher.update(data: [0x1F]) }
            var field = field
            field.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        }
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in hasher.finalize() {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    /// A JSON string literal.
    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            case "\u{0}": continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
