/// How a run ended: the summary's `outcome` and `mtp.run.outcome`.
public enum RunOutcome: String, Codable, Sendable, CaseIterable, CustomStringConvertible {
    /// Still going (the ledger's row while it runs).
    case running
    /// Every stage succeeded (rejected planning rows and refused files included: exit 0 or 2).
    case succeeded
    /// A stage failed; the previous facts and workbook stay.
    case failed
    /// SIGINT or SIGTERM: the current stage rolled back.
    case interrupted
    /// Another run held the lock; this one did nothing (never in the ledger).
    case busy
    /// The ledger's word for a run whose process went away without closing it (closed by the next run).
    case abandoned

    /// The outcomes a finished run's summary can have.
    public static let finished: [RunOutcome] = [.succeeded, .failed, .interrupted, .busy]

    /// The raw value, as printed and stored.
    public var description: String { rawValue }
}
