import Foundation

/// The columns of `order_plan` a planning file must provide.
public enum PlanField: String, CaseIterable, Sendable {
    case orderCode = "order_code"
    case productName = "product_name"
    case requirement
    case planStart = "plan_start"
    case planEnd = "plan_end"

    /// Header spellings that mean this field, after ``PlanHeader/normalise(_:)``.
    var aliases: Set<String> {
        switch self {
        case .orderCode: return ["ordercode", "orderno", "ordernumber"]
        case .productName: return ["productname", "product"]
        case .requirement: return ["requirement", "qty", "quantity", "requiredqty"]
        case .planStart: return ["planstart", "start", "startdate", "plannedstart", "planstartdate"]
        case .planEnd: return ["planend", "end", "enddate", "plannedend", "planenddate"]
        }
    }
}

/// A planning file's header as read, and where each required field is in it.
public struct PlanHeader: Sendable {
    /// The header's names exactly as read.
    public var names: [String]
    /// The position of each required field.
    public var positions: [PlanField: Int]
    /// The positions of the columns the import keeps in staging but does not normalise.
    public var extraPositions: [Int]

    /// Matches `names` against the required fields; refuses a missing or doubly named field.
    public init(_ names: [String], file: String, line: Int) throws {
        self.names = names
        var positions: [PlanField: Int] = [:]
        var extra: [Int] = []
        for (index, name) in names.enumerated() {
            let key = Self.normalise(name)
            guard let field = PlanField.allCases.first(where: { $0.aliases.contains(key) }) else {
                extra.append(index)
                continue
            }
            if let earlier = positions[field] {
                throw PipelineError(.refused, "\(file): line \(line): columns \"\(InputText.shown(names[earlier]))\" and \"\(InputText.shown(name))\" both mean \(field.rawValue); keep one")
            }
            positions[field] = index
        }
        let missing = PlanField.allCases.filter { positions[$0] == nil }
        if !missing.isEmpty {
            throw PipelineError(.refused, """
                \(file): line \(line): missing required column\(missing.count > 1 ? "s" : "") \(missing.map(\.rawValue).joined(separator: ", ")); \
                header found: \(InputText.shown(names.prefix(20).map { "\"\($0)\"" }.joined(separator: ", ")))\(names.count > 20 ? " and \(names.count - 20) more columns" : "")
                """)
        }
        self.positions = positions
        self.extraPositions = extra
        self.orderedPositions = PlanField.allCases.map { positions[$0]! }
    }

    /// The positions of order_code, product_name, requirement, plan_start and plan_end, in that order.
    public let orderedPositions: [Int]

    /// Lowercases and drops spaces, underscores, hyphens, dots and a trailing unit in parentheses: `Requirement (kg)` -> `requirement`.
    public static func normalise(_ name: String) -> String {
        var text = name.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasSuffix(")"), let open = text.lastIndex(of: "(") {
            text = String(text[..<open])
        }
        return String(text.lowercased().filter { !" _-.\t".contains($0) })
    }
}
