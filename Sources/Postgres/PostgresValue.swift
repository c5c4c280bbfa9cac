import Foundation

/// A Swift value that can travel to PostgreSQL as a text-format parameter.
public protocol PostgresEncodable {
    /// The value in PostgreSQL's text input format.
    var postgresText: String { get }
}

/// A Swift value that can be read from PostgreSQL's text output format.
public protocol PostgresDecodable {
    /// Parses PostgreSQL's text output; nil when the text is not a valid value of this type.
    init?(postgresText: String)
}

extension String: PostgresEncodable, PostgresDecodable {
    /// The string itself.
    public var postgresText: String { self }
    /// The text itself.
    public init?(postgresText: String) { self = postgresText }
}

extension Int: PostgresEncodable, PostgresDecodable {
    /// Decimal digits.
    public var postgresText: String { String(self) }
    /// Parses decimal digits.
    public init?(postgresText: String) { self.init(postgresText) }
}

extension Int64: PostgresEncodable, PostgresDecodable {
    /// Decimal digits.
    public var postgresText: String { String(self) }
    /// Parses decimal digits.
    public init?(postgresText: String) { self.init(postgresText) }
}

extension Int32: PostgresEncodable, PostgresDecodable {
    /// Decimal digits.
    public var postgresText: String { String(self) }
    /// Parses decimal digits.
    public init?(postgresText: String) { self.init(postgresText) }
}

extension Double: PostgresEncodable, PostgresDecodable {
    /// Shortest round-trip text (`NaN`, `Infinity` as PostgreSQL spells them).
    public var postgresText: String {
        if isNaN { return "NaN" }
        if isInfinite { return self < 0 ? "-Infinity" : "Infinity" }
        return "\(self)"
    }
    /// Parses PostgreSQL's float output.
    public init?(postgresText: String) {
        switch postgresText {
        case "NaN": self = .nan
        case "Infinity": self = .infinity
        case "-Infinity": self = -.infinity
        default: self.init(postgresText)
        }
    }
}

extension Decimal: PostgresEncodable, PostgresDecodable {
    /// Plain decimal text with a dot, whatever the locale.
    public var postgresText: String { NSDecimalNumber(decimal: self).description(withLocale: Locale(identifier: "en_US_POSIX")) }
    /// Parses `numeric` output exactly (no detour through binary floating point).
    public init?(postgresText: String) {
        guard let value = Decimal(string: postgresText, locale: Locale(identifier: "en_US_POSIX")),
              !postgresText.isEmpty, postgresText != "NaN" else { return nil }
        self = value
    }
}

extension Bool: PostgresEncodable, PostgresDecodable {
    /// `t` or `f`.
    public var postgresText: String { self ? "t" : "f" }
    /// Parses `t` or `f`.
    public init?(postgresText: String) {
        switch postgresText {
        case "t", "true": self = true
        case "f", "false": self = false
        default: return nil
        }
    }
}

extension UUID: PostgresEncodable, PostgresDecodable {
    /// Lowercase canonical text.
    public var postgresText: String { uuidString.lowercased() }
    /// Parses canonical UUID text.
    public init?(postgresText: String) { self.init(uuidString: postgresText) }
}

extension Date: PostgresEncodable, PostgresDecodable {
    /// ISO 8601 in UTC with microseconds, for `timestamptz` parameters.
    public var postgresText: String {
        let micros = (timeIntervalSince1970 * 1_000_000).rounded()
        let seconds = Int64((micros / 1_000_000).rounded(.down))
        let fraction = Int64(micros) - seconds * 1_000_000
        let day = PostgresDate(daysSinceEpoch: Int(floorDiv(seconds, 86_400)))
        let secondOfDay = seconds - floorDiv(seconds, 86_400) * 86_400
        return String(format: "%@ %02d:%02d:%02d.%06d+00", day.postgresText,
                      Int(secondOfDay / 3600), Int(secondOfDay % 3600 / 60), Int(secondOfDay % 60), Int(fraction))
    }

    /// Parses `timestamptz` output (`2026-11-21 23:17:40.123456+00`, any offset).
    public init?(postgresText: String) {
        let text = Array(postgresText.utf8)
        guard text.count >= 19, let day = PostgresDate(postgresText: String(decoding: text[0..<10], as: UTF8.self)) else { return nil }
        func number(_ range: Range<Int>) -> Int? { Int(String(decoding: text[range], as: UTF8.self)) }
        guard let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19) else { return nil }
        var cursor = 19
        var fraction = 0.0
        if cursor < text.count, text[cursor] == UInt8(ascii: ".") {
            let start = cursor
            cursor += 1
            while cursor < text.count, (48...57).contains(text[cursor]) { cursor += 1 }
            fraction = Double(String(decoding: text[start..<cursor], as: UTF8.self)) ?? 0
        }
        var offsetSeconds = 0
        if cursor < text.count, text[cursor] == UInt8(ascii: "+") || text[cursor] == UInt8(ascii: "-") {
            let sign = text[cursor] == UInt8(ascii: "-") ? -1 : 1
            let parts = String(decoding: text[(cursor + 1)...], as: UTF8.self).split(separator: ":").compactMap { Int($0) }
            guard !parts.isEmpty else { return nil }
            offsetSeconds = sign * (parts[0] * 3600 + (parts.count > 1 ? parts[1] * 60 : 0) + (parts.count > 2 ? parts[2] : 0))
        }
        let seconds = Double(day.daysSinceEpoch * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds) + fraction
        self.init(timeIntervalSince1970: seconds)
    }
}

/// A calendar date without time or zone (PostgreSQL `date`).
public struct PostgresDate: Hashable, Comparable, Sendable, PostgresEncodable, PostgresDecodable, CustomStringConvertible {
    /// Year, e.g. 2026.
    public var year: Int
    /// Month, 1-12.
    public var month: Int
    /// Day of month, 1-31.
    public var day: Int

    /// A date from its parts; nil when the date does not exist (e.g. 31 February).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
              day <= PostgresDate.daysIn(month: month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// The date `days` after 1970-01-01 (proleptic Gregorian calendar).
    public init(daysSinceEpoch days: Int) {
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = floorDiv(Int64(z), 146_097)
        let doe = Int64(z) - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        year = Int(yoe + era * 400 + (m <= 2 ? 1 : 0))
        month = Int(m)
        day = Int(d)
    }

    /// Days since 1970-01-01.
    public var daysSinceEpoch: Int {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = floorDiv(y, 400)
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return Int(era * 146_097 + doe - 719_468)
    }

    /// Number of days in a month of a year.
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// `YYYY-MM-DD`.
    public var postgresText: String {
        func digits(_ value: Int, _ count: Int, into buffer: inout [UInt8]) {
            var divisor = 1
            for _ in 1..<count { divisor *= 10 }
            while divisor > 0 {
                buffer.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
                divisor /= 10
            }
        }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(10)
        digits(year, 4, into: &buffer)
        buffer.append(UInt8(ascii: "-"))
        digits(month, 2, into: &buffer)
        buffer.append(UInt8(ascii: "-"))
        digits(day, 2, into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
    /// `YYYY-MM-DD`.
    public var description: String { postgresText }

    /// Parses `YYYY-MM-DD`.
    public init?(postgresText: String) {
        let parts = postgresText.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Orders dates chronologically.
    public static func < (lhs: PostgresDate, rhs: PostgresDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}

/// Binary data, sent as `bytea` hex text.
extension Data: PostgresEncodable {
    /// `\x` followed by hex digits.
    public var postgresText: String {
        "\\x" + map { String(format: "%02x", $0) }.joined()
    }
}

func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    a >= 0 ? a / b : -((-a + b - 1) / b)
}

extension Array: PostgresEncodable where Element: PostgresEncodable {
    /// A PostgreSQL array literal (`{"a","b"}`) with every element quoted and escaped.
    public var postgresText: String {
        "{" + map { element in
            let text = element.postgresText.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            return "\"" + text + "\""
        }.joined(separator: ",") + "}"
    }
}
