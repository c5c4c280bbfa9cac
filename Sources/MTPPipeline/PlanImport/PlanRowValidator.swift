import Foundation
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
public struct PlanRowValidator: Sendable {
    /// How numeric dates are read.
    public var dateOrder: DateOrder

    /// A validator reading numeric dates in `dateOrder`.
    public init(dateOrder: DateOrder = .dmy) {
        self.dateOrder = dateOrder
    }

    /// The row, or every reason it is rejected (joined with `; `).
    public func validate(_ values: [PlanField: String]) -> Result<PlanRow, PlanRowRejection> {
        var reasons: [String] = []
        func text(_ field: PlanField) -> String {
            (values[field] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let orderCode = text(.orderCode)
        let productName = text(.productName)
        if orderCode.isEmpty { reasons.append("order_code is missing") }
        if productName.isEmpty { reasons.append("product_name is missing") }
        let requirement = Self.parseRequirement(text(.requirement))
        if case .failure(let reason) = requirement { reasons.append(reason.reason) }
        let start = parseDate(text(.planStart), field: .planStart)
        if case .failure(let reason) = start { reasons.append(reason.reason) }
        let end = parseDate(text(.planEnd), field: .planEnd)
        if case .failure(let reason) = end { reasons.append(reason.reason) }
        if case .success(let s) = start, case .success(let e) = end, e < s {
            reasons.append("plan_end \(e) is before plan_start \(s)")
        }
        guard reasons.isEmpty, case .success(let kg) = requirement, case .success(let s) = start, case .success(let e) = end else {
            return .failure(PlanRowRejection(reasons.joined(separator: "; ")))
        }
        return .success(PlanRow(orderCode: orderCode, productName: productName, requirement: kg, planStart: s, planEnd: e))
    }

    /// A positive whole number of kilograms: `1200`, `1,200`, `1 200`, `1200.00`.
    public static func parseRequirement(_ text: String) -> Result<Int, PlanRowRejection> {
        guard !text.isEmpty else { return .failure(.init("requirement is missing")) }
        let notANumber = PlanRowRejection("requirement \(text) is not a number")
        var body = Substring(text)
        var negative = false
        if body.first == "-" || body.first == "+" {
            negative = body.first == "-"
            body = body.dropFirst()
        }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let integerPart = parts.first, !integerPart.isEmpty else { return .failure(notANumber) }
        if parts.count == 2 {
            let fraction = parts[1]
            guard !fraction.isEmpty, fraction.allSatisfy(\.isASCIIDigit) else { return .failure(notANumber) }
            if fraction.contains(where: { $0 != "0" }) {
                return .failure(.init("requirement \(text) is not a whole number of kg"))
            }
        }
        let separators: Set<Character> = [",", " ", "\u{00A0}", "\u{202F}"]
        var digits = ""
        if let separator = integerPart.first(where: { separators.contains($0) }) {
            let groups = integerPart.split(separator: separator, omittingEmptySubsequences: false)
            guard groups.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }),
                  (1...3).contains(groups[0].count), groups.dropFirst().allSatisfy({ $0.count == 3 }) else {
                return .failure(notANumber)
            }
            digits = groups.joined()
        } else {
            guard integerPart.allSatisfy(\.isASCIIDigit) else { return .failure(notANumber) }
            digits = String(integerPart)
        }
        let magnitude = digits.drop { $0 == "0" }
        guard magnitude.count <= 10, let value = Int(magnitude.isEmpty ? "0" : String(magnitude)) else {
            return .failure(.init("requirement \(text) is too large"))
        }
        if negative && value != 0 || value == 0 {
            return .failure(.init("requirement \(text) must be a positive number of kg"))
        }
        guard value <= Int(Int32.max) else { return .failure(.init("requirement \(text) is too large")) }
        return .success(value)
    }

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    private static let monthNames = ["january", "february", "march", "april", "may", "june", "july", "august",
                                     "september", "october", "november", "december"]

    /// The month number of an English abbreviation or name, in any case (`Mar`, `MARCH`, `Sept`).
    static func month(named text: Substring) -> Int? {
        let name = text.lowercased()
        if let index = months.firstIndex(of: name) ?? monthNames.firstIndex(of: name) { return index + 1 }
        return name == "sept" ? 9 : nil
    }

    /// `YYYY-MM-DD`; `D/M/YYYY`, `D-M-YYYY`, `D.M.YYYY` (day first, or month first with `.mdy`);
    /// `D-Mon-YYYY` and `D Mon YYYY` with English month abbreviations in any case.
    public func parseDate(_ text: String, field: PlanField) -> Result<PostgresDate, PlanRowRejection> {
        guard !text.isEmpty else { return .failure(.init("\(field.rawValue) is missing")) }
        let unknown = PlanRowRejection("\(field.rawValue) \(text) is not a date (use YYYY-MM-DD, D/M/YYYY or D-Mon-YYYY)")
        guard let separator = text.first(where: { "-/. ".contains($0) }) else { return .failure(unknown) }
        let parts = text.split(separator: separator, omittingEmptySubsequences: false)
        guard parts.count == 3 else { return .failure(unknown) }
        var year = 0, month = 0, day = 0
        if parts[0].count == 4, separator == "-", parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) && !$0.isEmpty }),
           parts[1].count <= 2, parts[2].count <= 2 {
            (year, month, day) = (Int(parts[0])!, Int(parts[1])!, Int(parts[2])!)
        } else if parts[2].count == 4, parts[2].allSatisfy(\.isASCIIDigit), (1...2).contains(parts[0].count),
                  parts[0].allSatisfy(\.isASCIIDigit) {
            year = Int(parts[2])!
            if parts[1].allSatisfy(\.isASCIIDigit), (1...2).contains(parts[1].count), separator != " " {
                let first = Int(parts[0])!, second = Int(parts[1])!
                (day, month) = dateOrder == .dmy ? (first, second) : (second, first)
            } else if separator == "-" || separator == " ", let named = Self.month(named: parts[1]) {
                month = named
                day = Int(parts[0])!
            } else {
                return .failure(unknown)
            }
        } else {
            return .failure(unknown)
        }
        guard let date = PostgresDate(year: year, month: month, day: day) else {
            return .failure(.init("\(field.rawValue) \(text) is not a real date"))
        }
        return .success(date)
    }
}

/// Why a planning row was rejected.
public struct PlanRowRejection: Error, Equatable, Sendable {
    /// The reason, in words a planner understands.
    public var reason: String
    /// A rejection for `reason`.
    public init(_ reason: String) { self.reason = reason }
}

extension Character {
    /// True for `0`-`9` only (not other scripts' digits).
    var isASCIIDigit: Bool { isASCII && isNumber }
}
