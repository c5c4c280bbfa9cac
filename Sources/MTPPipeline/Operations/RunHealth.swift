import Foundation

/// How the pipeline is doing, as a monitoring plugin says it (Nagios, Icinga, a systemd timer): one state, one
/// summary line with performance data, and the exit status that carries the state.
///
/// CRITICAL: the last finished run failed, no run ever succeeded, the last success or the data is older than its
/// critical age. WARNING: the last run was interrupted or abandoned, or succeeded with a refused planning file
/// (exit 2), the last success or the data is older than its warning age, no run or no facts yet. A run in
/// progress changes nothing: the previous finished one is judged.
public struct RunHealth: Sendable {
    /// The state, with the monitoring plugins' exit status.
    public enum State: Int32, Sendable, Comparable {
        /// All good.
        case ok = 0
        /// Something to look at.
        case warning = 1
        /// Something is broken.
        case critical = 2
        /// The state cannot be told (Manager unreachable).
        case unknown = 3

        /// `OK`, `WARNING`, `CRITICAL`, `UNKNOWN`.
        public var name: String {
            switch self {
            case .ok: return "OK"
            case .warning: return "WARNING"
            case .critical: return "CRITICAL"
            case .unknown: return "UNKNOWN"
            }
        }

        /// Orders by how bad a state is (UNKNOWN outranks the others, as plugins report it).
        public static func < (lhs: State, rhs: State) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// The ages past which a state is raised, in seconds.
    public struct Thresholds: Sendable {
        /// The last success older than this warns (default 26 h: a daily run, two hours late).
        public var warnAge: Double = 26 * 3600
        /// The last success older than this is critical (default 50 h: two mornings missed).
        public var critAge: Double = 50 * 3600
        /// The newest data older than this warns (default 36 h: a quiet Sunday does not).
        public var warnDataAge: Double = 36 * 3600
        /// The newest data older than this is critical (default 72 h).
        public var critDataAge: Double = 72 * 3600

        /// The defaults.
        public init() {}
    }

    /// The state.
    public var state: State
    /// What led to it, worst first (empty when OK).
    public var reasons: [String]
    /// The figures judged, when Manager answered.
    public var figures: MonitoringFigures?
    /// The thresholds used.
    public var thresholds: Thresholds

    /// Judges the figures against the thresholds.
    public static func assess(_ figures: MonitoringFigures, thresholds: Thresholds = Thresholds()) -> RunHealth {
        var findings: [(State, String)] = []
        if let run = figures.lastFinished {
            let when = "\(DurationText.format(figures.now - run.time)) ago"
            switch (run.outcome, run.exitCode) {
            case (.failed, _): findings.append((.critical, "the last run (\(run.id)) failed\(run.failedStage.map { " in \($0)" } ?? "") \(when)"))
            case (.interrupted, _), (.abandoned, _): findings.append((.warning, "the last run (\(run.id)) was \(run.outcome) \(when)"))
            case (.succeeded, let exit?) where exit != 0:
                let why = exit == ExitStatus.refused.rawValue ? "a planning file was refused" : "an imported planning file could not be archived"
                findings.append((.warning, "the last run (\(run.id)) succeeded \(when) with exit \(exit) (\(why))"))
            default: break
            }
        } else {
            findings.append((.warning, "no run has finished yet"))
        }
        if let success = figures.lastSuccess {
            let age = figures.now - success
            if age > thresholds.critAge {
                findings.append((.critical, "the last success was \(DurationText.format(age)) ago, more than \(DurationText.format(thresholds.critAge))"))
            } else if age > thresholds.warnAge {
                findings.append((.warning, "the last success was \(DurationText.format(age)) ago, more than \(DurationText.format(thresholds.warnAge))"))
            }
        } else if figures.lastFinished != nil {
            findings.append((.critical, "no run has ever succeeded"))
        }
        if let age = figures.dataAge {
            if age > thresholds.critDataAge {
                findings.append((.critical, "the data is \(DurationText.format(age)) old, more than \(DurationText.format(thresholds.critDataAge))"))
            } else if age > thresholds.warnDataAge {
                findings.append((.warning, "the data is \(DurationText.format(age)) old, more than \(DurationText.format(thresholds.warnDataAge))"))
            }
        } else {
            findings.append((.warning, "no facts have been built yet"))
        }
        let sorted = findings.sorted { $0.0 > $1.0 }
        return RunHealth(state: sorted.first?.0 ?? .ok, reasons: sorted.map(\.1), figures: figures, thresholds: thresholds)
    }

    /// The state when Manager cannot be asked.
    public static func unknown(_ reason: String, thresholds: Thresholds = Thresholds()) -> RunHealth {
        RunHealth(state: .unknown, reasons: [reason], figures: nil, thresholds: thresholds)
    }

    /// One line: `MTP-ETL OK - last run 2 h ago succeeded; last success 2 h ago; data 3 h old | perfdata`.
    public var summaryLine: String {
        var parts: [String] = []
        if let figures {
            if let run = figures.lastFinished {
                parts.append("last run \(run.id) \(run.outcome) \(DurationText.format(figures.now - run.time)) ago")
            }
            if let running = figures.lastRun, running.outcome == .running {
                parts.append("run \(running.id) running since \(DurationText.format(figures.now - running.time)) ago")
            }
            if let success = figures.lastSuccess { parts.append("last success \(DurationText.format(figures.now - success)) ago") }
            if let age = figures.dataAge { parts.append("data \(DurationText.format(age)) old") }
        }
        let detail = state == .ok ? parts : reasons + parts
        var line = "MTP-ETL \(state.name) - " + (detail.isEmpty ? "nothing known" : detail.joined(separator: "; "))
        if let figures {
            var performance: [String] = []
            if let success = figures.lastSuccess {
                performance.append("last_success_age=\(Int(figures.now - success))s;\(Int(thresholds.warnAge));\(Int(thresholds.critAge));0")
            }
            if let age = figures.dataAge {
                performance.append("data_age=\(Int(age))s;\(Int(thresholds.warnDataAge));\(Int(thresholds.critDataAge));0")
            }
            if !performance.isEmpty { line += " | " + performance.joined(separator: " ") }
        }
        return line
    }

    /// The state as one JSON document (`status --json`); ages in seconds, absent where unknown.
    public func json() -> Data {
        struct LastRun: Encodable { var runId: Int64, outcome: String, exitCode: Int32?, ageSeconds: Double, failedStage: String? }
        struct Limits: Encodable { var warnAgeSeconds, critAgeSeconds, warnDataAgeSeconds, critDataAgeSeconds: Double }
        struct Document: Encodable {
            var state: String, exitCode: Int32, summary: String, reasons: [String]
            var lastRun: LastRun?, runningRunId: Int64?, lastSuccessAgeSeconds: Double?, dataAgeSeconds: Double?
            var thresholds: Limits
        }
        let now = figures?.now ?? 0
        let running = figures?.lastRun.flatMap { $0.outcome == .running ? $0.id : nil }
        let document = Document(
            state: state.name, exitCode: state.rawValue, summary: summaryLine, reasons: reasons,
            lastRun: figures?.lastFinished.map { LastRun(runId: $0.id, outcome: $0.outcome.rawValue, exitCode: $0.exitCode, ageSeconds: now - $0.time, failedStage: $0.failedStage) },
            runningRunId: running, lastSuccessAgeSeconds: figures?.lastSuccess.map { now - $0 }, dataAgeSeconds: figures?.dataAge,
            thresholds: Limits(warnAgeSeconds: thresholds.warnAge, critAgeSeconds: thresholds.critAge,
                               warnDataAgeSeconds: thresholds.warnDataAge, critDataAgeSeconds: thresholds.critDataAge))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return (try? encoder.encode(document)) ?? Data("{}".utf8)
    }
}
