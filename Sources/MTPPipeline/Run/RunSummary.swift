import Foundation

/// What one stage of a run did.
public struct StageSummary: Codable, Sendable {
    /// The stage.
    public var stage: RunStage
    /// How it ended.
    public var outcome: StageOutcome
    /// When it started.
    public var startedAt: Date
    /// How long it took.
    public var seconds: Double
    /// Its counts: rows, files, rejects, findings...
    public var counts: [String: Int]
    /// The process's peak memory during the stage, when the system tells it.
    public var peakRSSMiB: Double?
    /// Why it failed.
    public var error: String?
    /// What the reader must know although the stage succeeded (a planning file left for the next run).
    public var notices: [String] = []

    enum CodingKeys: String, CodingKey {
        case stage, outcome, startedAt, seconds, counts, error, notices
        case peakRSSMiB = "peakRssMib"
    }
}

/// What a whole run did: the document `--json` prints and `--on-failure` receives on its standard input.
public struct RunSummary: Codable, Sendable {
    /// The run's id in `mtp.run` (nil when the ledger could not be written, e.g. Manager unreachable).
    public var runID: Int64?
    /// How it ended.
    public var outcome: RunOutcome
    /// The process's exit code (the README's table).
    public var exitCode: Int32
    /// When it started and ended.
    public var startedAt: Date, finishedAt: Date
    /// Where it ran.
    public var host: String, pid: Int32
    /// Every stage it reached, in order.
    public var stages: [StageSummary]
    /// The workbook written.
    public var workbook: String?
    /// The stage that failed or was interrupted.
    public var failedStage: RunStage?
    /// The error, as printed.
    public var error: String?
    /// How old the workbook's data was against the run's time (Central's newest scan), in seconds.
    public var dataAgeSeconds: Double?
    /// Whether that was past `--max-data-age`: the workbook says stale, the run exits 6 and calls `--on-failure`.
    public var stale = false

    /// A run that failed before its first stage (no database to reach, an unusable output directory): what the
    /// metrics file receives, since there is no ledger row to read.
    public static func failedBeforeStart(startedAt: Date, error: any Error) -> RunSummary {
        RunSummary(runID: nil, outcome: .failed, exitCode: ExitStatus(for: error).rawValue, startedAt: startedAt, finishedAt: Date(),
                   host: ProcessInfo.processInfo.hostName, pid: getpid(), stages: [], workbook: nil, failedStage: nil, error: "\(error)")
    }

    /// The summary as one JSON document.
    public func json() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return (try? encoder.encode(self)) ?? Data("{}".utf8)
    }
}
