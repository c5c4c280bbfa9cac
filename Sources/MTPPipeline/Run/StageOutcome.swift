/// How one stage of a run ended: `mtp.run_stage.outcome`.
public enum StageOutcome: String, Codable, Sendable, CustomStringConvertible {
    /// Still going.
    case running
    /// Done.
    case succeeded
    /// Nothing to do (no inbox).
    case skipped
    /// It threw; the run stops.
    case failed
    /// SIGINT or SIGTERM: rolled back.
    case interrupted

    /// The raw value, as printed and stored.
    public var description: String { rawValue }
}
