import Spreadsheet

/// The looks a report layout can give highlighted rows or cells (`"style"` in a highlight), from the
/// Spreadsheet module's palette: blue for good, yellow and orange for attention, purple for data that cannot be
/// right; never red against green.
public enum HighlightStyle: String, Decodable, Sendable, CaseIterable {
    /// Needs attention (late, an error, a poor yield).
    case alert
    /// To look at (a warning, a fair yield).
    case caution
    /// Very good (an excellent yield).
    case strongBlue
    /// Good.
    case blue
    /// Cannot be right (a data error).
    case purple
    /// Settled or not applicable.
    case grey

    /// The cell format it stands for.
    var format: CellFormat {
        switch self {
        case .alert: return .alert
        case .caution: return .caution
        case .strongBlue: return .strongBlue
        case .blue: return .blue
        case .purple: return .purple
        case .grey: return .grey
        }
    }
}
