import Hashing
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
    private let extraKeys: [[UInt8]]   // `"header":` of each extra column, JSON-escaped
    private var buffer: [UInt8] = []
    /// Data rows staged.
    private(set) var rowsRead = 0
    /// Rows the value checks rejected (duplicates are found later, in SQL).
    private(set) var rowsRejected = 0
    /// Order codes of every thousandth accepted row (at most 2,000): the normaliser's probe for existing plans.
    private(set) var sampleCodes: [String] = []

    init(importID: Int64, fileName: String, header: PlanHeader, validator: PlanRowValidator) {
        var prefix: [UInt8] = []
        PlanRowStager.appendField(String(importID), to: &prefix)
        prefix.append(0x09)
        PlanRowStager.appendField(fileName, to: &prefix)
        prefix.append(0x09)
        self.prefix = prefix
        self.header = header
        self.validator = validator
        extraKeys = header.extraPositions.map { position in
            var key: [UInt8] = []
            PlanRowStager.appendJSONString(header.names[position], to: &key)
            key.append(UInt8(ascii: ":"))
            return key
        }
        buffer.reserveCapacity(1024)
    }

    /// Writes one record as a COPY text-format row. The row is built in a local buffer, taken from the stager
    /// and given back, so the per-field appends touch no class property (no exclusivity checks, no copies).
    func stage(_ record: CSVRecord, to writer: any CopyRowSink) throws {
        rowsRead += 1
        let fields = record.fields
        var line = buffer
        buffer = []
        defer { buffer = line }
        line.removeAll(keepingCapacity: true)
        line.append(contentsOf: prefix)
        Self.append(String(record.line), to: &line)
        Self.appendHash(fields, to: &line)
        Self.append(String(fields.count), to: &line)

        var values: [String?] = []
        values.reserveCapacity(PlanField.allCases.count)
        for position in header.orderedPositions {
            let value = position < fields.count ? fields[position] : nil
            values.append(value)
            Self.append(value, to: &line)
        }
        appendExtra(fields, to: &line)

        var verdict: Result<PlanRow, PlanRowRejection>
        if fields.count != header.names.count {
            verdict = .failure(.init("row has \(fields.count) field\(fields.count == 1 ? "" : "s"), header has \(header.names.count)"))
        } else {
            verdict = validator.validate(orderCode: values[0] ?? "", productName: values[1] ?? "", requirement: values[2] ?? "",
                                         planStart: values[3] ?? "", planEnd: values[4] ?? "")
        }
        // A NUL byte is never silently dropped: the row is rejected naming the column (PostgreSQL text cannot hold
        // it; the staged copy shows it as ␀).
        let withNUL = fields.indices.filter { fields[$0].utf8.contains(0) }
        if !withNUL.isEmpty {
            let names = withNUL.map { $0 < header.names.count ? InputText.shown(header.names[$0]) : "#\($0 + 1)" }
            let reason = "\(names.joined(separator: ", ")) contain\(names.count == 1 ? "s" : "") a NUL byte"
            if case .failure(let other) = verdict { verdict = .failure(.init(other.reason + "; " + reason)) } else { verdict = .failure(.init(reason)) }
        }
        switch verdict {
        case .success(let row):
            if rowsRead % 1_000 == 1, sampleCodes.count < 2_000 { sampleCodes.append(row.orderCode) }
            Self.append(nil, to: &line)
            // The normalised code and name only where trimming changed them (null: as read).
            Self.append(row.orderCode == values[0] ? nil : row.orderCode, to: &line)
            Self.append(row.productName == values[1] ? nil : row.productName, to: &line)
            Self.append(String(row.requirement), to: &line)
            Self.append(row.planStart.postgresText, to: &line)
            Self.append(row.planEnd.postgresText, to: &line, last: true)
        case .failure(let rejection):
            rowsRejected += 1
            Self.append(rejection.reason, to: &line)
            for _ in 0..<4 { Self.append(nil, to: &line) }
            Self.append(nil, to: &line, last: true)
        }
        try line.withUnsafeBytes { try writer.write($0) }
    }

    /// Appends the columns beyond the required ones as a JSON object keyed by their header (`#N` past the
    /// header's end), escaped for COPY; `\N` when there are none.
    private func appendExtra(_ fields: [String], to line: inout [UInt8]) {
        guard !header.extraPositions.isEmpty || fields.count > header.names.count else {
            Self.append(nil, to: &line)
            return
        }
        var json: [UInt8] = []
        for (position, key) in zip(header.extraPositions, extraKeys) where position < fields.count {
            json.append(json.isEmpty ? UInt8(ascii: "{") : UInt8(ascii: ","))
            json.append(contentsOf: key)
            Self.appendJSONString(fields[position], to: &json)
        }
        if fields.count > header.names.count {
            for position in header.names.count..<fields.count {
                json.append(json.isEmpty ? UInt8(ascii: "{") : UInt8(ascii: ","))
                Self.appendJSONString("#\(position + 1)", to: &json)
                json.append(UInt8(ascii: ":"))
                Self.appendJSONString(fields[position], to: &json)
            }
        }
        if json.isEmpty {
            Self.append(nil, to: &line)
            return
        }
        json.append(UInt8(ascii: "}"))
        Self.appendEscaped(json, to: &line)
        line.append(0x09)
    }

    /// Appends a field and its separator (tab, or newline after the last); nil is `\N`.
    private static func append(_ value: String?, to line: inout [UInt8], last: Bool = false) {
        if let value { appendField(value, to: &line) } else { line.append(contentsOf: [0x5C, 0x4E]) }
        line.append(last ? 0x0A : 0x09)
    }

    /// Appends the row hash as a `bytea` field in COPY text: an escaped backslash, `x` and 64 hex digits.
    private static func appendHash(_ fields: [String], to line: inout [UInt8]) {
        line.append(contentsOf: [0x5C, 0x5C, UInt8(ascii: "x")])
        for byte in rowHash(fields) {
            line.append(hexDigits[Int(byte >> 4)])
            line.append(hexDigits[Int(byte & 0x0F)])
        }
        line.append(0x09)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Appends a value escaped for COPY's text format (whole when nothing needs escaping, the common case).
    static func appendField(_ value: String, to buffer: inout [UInt8]) {
        var value = value
        value.withUTF8 { appendEscaped($0, to: &buffer) }
    }

    /// Appends bytes escaped for COPY's text format.
    static func appendEscaped<Bytes: Collection<UInt8>>(_ bytes: Bytes, to buffer: inout [UInt8]) {
        if !bytes.contains(where: { $0 == 0x5C || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0x00 }) {
            buffer.append(contentsOf: bytes)
            return
        }
        for byte in bytes {
            switch byte {
            case 0x5C: buffer.append(0x5C); buffer.append(0x5C)
            case 0x09: buffer.append(0x5C); buffer.append(UInt8(ascii: "t"))
            case 0x0A: buffer.append(0x5C); buffer.append(UInt8(ascii: "n"))
            case 0x0D: buffer.append(0x5C); buffer.append(UInt8(ascii: "r"))
            case 0x00: buffer.append(contentsOf: [0xE2, 0x90, 0x80]) // PostgreSQL text cannot hold NUL: shown as ␀
            default: buffer.append(byte)
            }
        }
    }

    /// SHA-256 of the fields as read, joined by the unit separator (U+001F).
    static func rowHash(_ fields: [String]) -> SHA256.Digest {
        var hasher = SHA256()
        for (index, field) in fields.enumerated() {
            if index > 0 { hasher.update(data: [0x1F]) }
            var field = field
            field.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        }
        return hasher.finalize()
    }

    /// Appends a JSON string literal.
    static func appendJSONString(_ text: String, to buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "\""): buffer.append(contentsOf: [0x5C, UInt8(ascii: "\"")])
                case 0x5C: buffer.append(contentsOf: [0x5C, 0x5C])
                case 0x0A: buffer.append(contentsOf: [0x5C, UInt8(ascii: "n")])
                case 0x0D: buffer.append(contentsOf: [0x5C, UInt8(ascii: "r")])
                case 0x09: buffer.append(contentsOf: [0x5C, UInt8(ascii: "t")])
                case 0x00: buffer.append(contentsOf: [0xE2, 0x90, 0x80]) // jsonb cannot hold \u0000: shown as ␀
                case ..<0x20: buffer.append(contentsOf: Array(String(format: "\\u%04x", byte).utf8))
                default: buffer.append(byte)
                }
            }
        }
        buffer.append(UInt8(ascii: "\""))
    }
}
