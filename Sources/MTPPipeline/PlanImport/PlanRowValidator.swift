import Postgres

/// Whether numeric dates put the day or the month first.
public enum DateOrder: String, CaseIterable, Sendable {
    /// `D/M/YYYY` (the default).
    case dmy
    /// `M/D/YYYY`.
    case mdy
}

/// A planning row that passed every check, ready for `order_plan`.
public struct PlanRow: Equatable, Sendable {
    /// The order's code.
    public var orderCode: String
    /// The product.
    public var productName: String
    /// Required kilograms, positive.
    public var requirement: Int
    /// Planned start.
    public var planStart: PostgresDate
    /// Planned end, on or after the start.
    public var planEnd: PostgresDate

    /// A row from its values.
    public init(orderCode: String, productName: String, requirement: Int, planStart: PostgresDate, planEnd: PostgresDate) {
        self.orderCode = orderCode
        self.productName = productName
        self.requirement = requirement
        self.planStart = planStart
        self.planEnd = planEnd
    }
}

/// Checks and converts a planning row's values, with reasons a planner understands.
///
/// Runs once per row of files of millions of rows, so it works on UTF-8 bytes, not on `Character`s.
public struct PlanRowValidator: Sendable {
    /// How numeric dates are read.
    public var dateOrder: DateOrder
    /// The file's decimal mark.
    public var decimalMark: DecimalMark

    /// The longest order code (it is order_plan's key): plenty for any code, far below PostgreSQL's index limit
    /// (2,704 bytes a key; 200 characters are at most 800 bytes). Other values are text the schema holds whole.
    public static let maxOrderCodeCharacters = 200

    /// A validator reading numeric dates in `dateOrder` and numbers with `decimalMark`.
    public init(dateOrder: DateOrder = .dmy, decimalMark: DecimalMark = .point) {
        self.dateOrder = dateOrder
        self.decimalMark = decimalMark
    }

    /// The row, or every reason it is rejected (joined with `; `).
    public func validate(_ values: [PlanField: String]) -> Result<PlanRow, PlanRowRejection> {
        validate(orderCode: values[.orderCode] ?? "", productName: values[.productName] ?? "",
                 requirement: values[.requirement] ?? "", planStart: values[.planStart] ?? "", planEnd: values[.planEnd] ?? "")
    }

    /// The row, or every reason it is rejected (joined with `; `); every value is trimmed first.
    public func validate(orderCode rawCode: String, productName rawProduct: String, requirement rawRequirement: String,
                         planStart rawStart: String, planEnd rawEnd: String) -> Result<PlanRow, PlanRowRejection> {
        let orderCode = Self.trimmed(rawCode)
        let productName = Self.trimmed(rawProduct)
        var reasons: [String] = []
        if orderCode.isEmpty { reasons.append("order_code is missing") }
        if productName.isEmpty { reasons.append("product_name is missing") }
        if orderCode.unicodeScalars.count > Self.maxOrderCodeCharacters {
            reasons.append("order_code is \(orderCode.unicodeScalars.count) characters long, more than the \(Self.maxOrderCodeCharacters) it may have")
        }
        let requirement = Self.parseRequirement(Self.trimmed(rawRequirement), decimalMark: decimalMark)
        if case .failure(let reason) = requirement { reasons.append(reason.reason) }
        let start = parseDate(Self.trimmed(rawStart), field: .planStart)
        if case .failure(let reason) = start { reasons.append(reason.reason) }
        let end = parseDate(Self.trimmed(rawEnd), field: .planEnd)
        if case .failure(let reason) = end { reasons.append(reason.reason) }
        if case .success(let s) = start, case .success(let e) = end, e < s {
            reasons.append("plan_end \(e) is before plan_start \(s)")
        }
        guard reasons.isEmpty, case .success(let kg) = requirement, case .success(let s) = start, case .success(let e) = end else {
            return .failure(PlanRowRejection(reasons.joined(separator: "; ")))
        }
        return .success(PlanRow(orderCode: orderCode, productName: productName, requirement: kg, planStart: s, planEnd: e))
    }

    /// The text without leading and trailing white space (any Unicode white space, e.g. no-break spaces).
    static func trimmed(_ text: String) -> String {
        var text = text
        let plainEnds = text.withUTF8 { bytes in
            guard let first = bytes.first, let last = bytes.last else { return true }
            func plain(_ byte: UInt8) -> Bool { byte > 0x20 && byte < 0x80 }
            return plain(first) && plain(last)
        }
        if plainEnds { return text }
        let scalars = text.unicodeScalars
        guard let first = scalars.first, let last = scalars.last,
              first.properties.isWhitespace || last.properties.isWhitespace else { return text }
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, scalars[start].properties.isWhitespace { start = scalars.index(after: start) }
        while end > start, scalars[scalars.index(before: end)].properties.isWhitespace { end = scalars.index(before: end) }
        return String(scalars[start..<end])
    }

    /// A positive whole number of kilograms. With a decimal point: `1200`, `1,200`, `1 200`, `1200.00`; with a
    /// decimal comma: `1200`, `1.200`, `1 200`, `2.500,00`. A value the file's convention leaves open (`1,200`
    /// with a decimal comma: 1.2 or 1200?) is rejected naming both readings, never guessed.
    public static func parseRequirement(_ text: String, decimalMark: DecimalMark = .point) -> Result<Int, PlanRowRejection> {
        guard !text.isEmpty else { return .failure(.init("requirement is missing")) }
        let other = decimalMark == .comma ? DecimalMark.point : .comma
        let notANumber = PlanRowRejection(text.utf8.contains(other.byte) && text.utf8.contains(where: isDigit)
            ? "requirement \(InputText.shown(text)) is not a number with '\(decimalMark.rawValue)' as the decimal mark, as in this \(decimalMark == .comma ? "semicolon-separated " : "")file (import it with --decimal-mark \(other.rawValue) if its numbers use \(other == .point ? "a point" : "a comma"))"
            : "requirement \(InputText.shown(text)) is not a number")
        var bytes = Array(text.utf8)[...]
        var negative = false
        if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            negative = sign == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        // Group separators: the other mark, space, no-break space (C2 A0), narrow no-break space (E2 80 AF).
        let separators: [[UInt8]] = [[decimalMark.groupByte], [0x20], [0xC2, 0xA0], [0xE2, 0x80, 0xAF]]
        var groups: [[UInt8]] = [[]]
        var fraction: [UInt8]? = nil
        var separator: [UInt8]? = nil
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if fraction != nil {
                guard isDigit(byte) else { return .failure(notANumber) }
                fraction!.append(byte)
            } else if isDigit(byte) {
                groups[groups.count - 1].append(byte)
            } else if byte == decimalMark.byte {
                fraction = []
            } else {
                let length = byte == 0xC2 ? 2 : byte == 0xE2 ? 3 : 1
                let candidate = Array(bytes[index..<min(index + length, bytes.endIndex)])
                guard separators.contains(candidate), separator == nil || separator == candidate else { return .failure(notANumber) }
                separator = candidate
                groups.append([])
                index += length
                continue
            }
            index += 1
        }
        guard !groups[0].isEmpty, fraction.map({ !$0.isEmpty }) ?? true else { return .failure(notANumber) }
        if groups.count > 1 {
            guard groups[0].count <= 3, groups.dropFirst().allSatisfy({ $0.count == 3 }) else { return .failure(notANumber) }
        }
        if groups.count == 1, let fraction, fraction.count == 3, groups[0].count <= 3, groups[0].first != UInt8(ascii: "0") || groups[0].count == 1 {
            // `1,200` with a decimal comma, `1.200` with a decimal point: decimals, or thousands in the other convention.
            let whole = String(decoding: groups[0], as: UTF8.self), decimals = String(decoding: fraction, as: UTF8.self)
            var significant = decimals
            while significant.hasSuffix("0") { significant.removeLast() }
            let asDecimals = significant.isEmpty ? whole : whole + "." + significant
            let asThousands = String(Int(whole + decimals) ?? 0)
            return .failure(.init("""
                requirement \(InputText.shown(text)) could be \(asDecimals) kg (\(decimalMark == .comma ? "a decimal comma, as in this semicolon-separated file" : "a decimal point, as in this file")) \
                or \(asThousands) kg ('\(String(UnicodeScalar(decimalMark.byte)))' grouping thousands); write \(asThousands) without separators
                """))
        }
        if let fraction, fraction.contains(where: { $0 != UInt8(ascii: "0") }) {
            return .failure(.init("requirement \(InputText.shown(text)) is not a whole number of kg"))
        }
        let digits = groups.joined().drop { $0 == UInt8(ascii: "0") }
        guard digits.count <= 10 else { return .failure(.init("requirement \(InputText.shown(text)) is too large")) }
        let value = digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        if value == 0 || negative {
            return .failure(.init("requirement \(InputText.shown(text)) must be a positive number of kg"))
        }
        guard value <= Int(Int32.max) else { return .failure(.init("requirement \(InputText.shown(text)) is too large")) }
        return .success(value)
    }

    /// Excel's largest date serial, 9999-12-31.
    static let excelSerialRange = 1...2_958_465

    /// A whole number in a date column: a date cell Excel exported as its serial number (1900 system: 1 is
    /// 1900-01-01, 60 the 1900-02-29 that never was).
    static func excelSerialDate(_ text: String, field: PlanField) -> Result<PostgresDate, PlanRowRejection>? {
        guard (1...7).contains(text.utf8.count), text.utf8.allSatisfy(isDigit), let serial = Int(text), excelSerialRange.contains(serial) else {
            return nil
        }
        guard serial != 60 else {
            return .failure(.init("\(field.rawValue) 60 is Excel's 1900-02-29, a day that never was; write the date"))
        }
        // Day 0 is 1899-12-30 past Excel's phantom leap day, 1899-12-31 before it; 1899-12-30 is 25,569 days before 1970.
        return .success(PostgresDate(daysSinceEpoch: serial - (serial > 60 ? 25_569 : 25_568)))
    }

    private static let monthNames = ["january", "february", "march", "april", "may", "june", "july", "august",
                                     "september", "october", "november", "december"]

    /// The month number of an English abbreviation or name, in any case (`Mar`, `MARCH`, `Sept`).
    static func month(named bytes: ArraySlice<UInt8>) -> Int? {
        guard bytes.count >= 3, bytes.allSatisfy({ ($0 | 0x20) >= UInt8(ascii: "a") && ($0 | 0x20) <= UInt8(ascii: "z") }) else { return nil }
        let name = String(decoding: bytes.map { $0 | 0x20 }, as: UTF8.self)
        if let index = monthNames.firstIndex(where: { $0 == name || ($0.prefix(3) == name) }) { return index + 1 }
        return name == "sept" ? 9 : nil
    }

    /// `YYYY-MM-DD`; `D/M/YYYY`, `D-M-YYYY`, `D.M.YYYY` (day first, or month first with `.mdy`);
    /// `D-Mon-YYYY` and `D Mon YYYY` with English month abbreviations in any case; an Excel serial number.
    public func parseDate(_ text: String, field: PlanField) -> Result<PostgresDate, PlanRowRejection> {
        guard !text.isEmpty else { return .failure(.init("\(field.rawValue) is missing")) }
        if let serial = Self.excelSerialDate(text, field: field) { return serial }
        var text = text
        let parts: (year: Int, month: Int, day: Int)? = text.withUTF8 { bytes in
            // Three parts split by the first separator found; no allocation on this hot path.
            guard let separatorIndex = bytes.firstIndex(where: { $0 == 0x2D || $0 == 0x2F || $0 == 0x2E || $0 == 0x20 }) else { return nil }
            let separator = bytes[separatorIndex]
            guard let second = bytes[(separatorIndex + 1)...].firstIndex(of: separator),
                  !bytes[(second + 1)...].contains(separator) else { return nil }
            let a = bytes[..<separatorIndex], b = bytes[(separatorIndex + 1)..<second], c = bytes[(second + 1)...]
            guard !a.isEmpty, !b.isEmpty, !c.isEmpty else { return nil }
            func number(_ part: Slice<UnsafeBufferPointer<UInt8>>, maxDigits: Int) -> Int? {
                guard part.count <= maxDigits, part.allSatisfy(Self.isDigit) else { return nil }
                return part.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
            }
            if a.count == 4, separator == 0x2D, let y = number(a, maxDigits: 4), let m = number(b, maxDigits: 2), let d = number(c, maxDigits: 2) {
                return (y, m, d)
            }
            guard c.count == 4, let y = number(c, maxDigits: 4), let first = number(a, maxDigits: 2) else { return nil }
            if separator != 0x20, let second = number(b, maxDigits: 2) {
                return dateOrder == .dmy ? (y, second, first) : (y, first, second)
            }
            if separator == 0x2D || separator == 0x20, let named = Self.month(named: ArraySlice(b)) {
                return (y, named, first)
            }
            return nil
        }
        guard let parts else {
            return .failure(.init("\(field.rawValue) \(InputText.shown(text)) is not a date (use YYYY-MM-DD, D/M/YYYY or D-Mon-YYYY)"))
        }
        guard let date = PostgresDate(year: parts.year, month: parts.month, day: parts.day) else {
            return .failure(.init("\(field.rawValue) \(InputText.shown(text)) is not a real date"))
        }
        return .success(date)
    }

    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}

/// Why a planning row was rejected.
public struct PlanRowRejection: Error, Equatable, Sendable {
    /// The reason, in words a planner understands.
    public var reason: String
    /// A rejection for `reason`.
    public init(_ reason: String) { self.reason = reason }
}
