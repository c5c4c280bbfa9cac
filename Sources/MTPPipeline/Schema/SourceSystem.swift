/// The two source systems the fixtures recreate.
public enum SourceSystem: String, CaseIterable, Sendable {
    case manager, central

    /// The schemas of the system's own tables (never the pipeline's).
    public var schemas: [String] {
        switch self {
        case .manager: return ["public", "admin"]
        case .central: return ["public"]
        }
    }
}
