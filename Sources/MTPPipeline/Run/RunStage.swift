/// The stages of a scheduled run, in the order they run.
public enum RunStage: String, CaseIterable, Codable, Sendable {
    /// Apply the pipeline's migrations.
    case migrate
    /// Check Manager's schema against the contract (Central's is checked by the pull, first thing).
    case check
    /// Import the inbox's planning files (skipped without an inbox).
    case importPlans = "import-plans"
    /// Pull a consistent snapshot of Central.
    case pullCentral = "pull-central"
    /// Build the facts.
    case build
    /// Write the management workbook.
    case report
}
