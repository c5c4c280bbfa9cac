import Foundation
import Postgres

/// How a stage ended when it did not throw.
struct StageOutcome {
    var counts: [String: Int] = [:]
    var skipped = false
    var workbook: String?
    /// The least exit code the run ends with because of this stage: 2 when a planning file was refused. Rejected
    /// rows are a normal day's business for a run (counted in the ledger, listed in the workbook): exit 0.
    var exitFloor = ExitStatus.success
    /// What the person reading the run's summary must know (a planning file left for the next run).
    var notices: [String] = []
}

/// Runs one stage of a ``ScheduledRun`` with the existing stage types, on the run's stage connection.
struct StageContext {
    let run: ScheduledRun
    let connection: Connection

    func run(_ stage: RunStage) throws -> StageOutcome {
        switch stage {
        case .migrate: return try migrate()
        case .check: return try check()
        case .importPlans: return try importPlans()
        case .pullCentral: return try pullCentral()
        case .build: return try build()
        case .report: return try report()
        }
    }

    private func migrate() throws -> StageOutcome {
        let applied = try Migrator(directory: run.files.migrations).migrate(connection)
        return StageOutcome(counts: ["migrations_applied": applied.count])
    }

    /// Manager's schema against the contract. Central's is checked by the pull before it copies anything, so an
    /// unreachable Central fails the run at pull-central, where its retries are.
    private func check() throws -> StageOutcome {
        let findings = try SchemaCheck(system: "manager", tables: SourceContract.manager).run(connection)
        let problems = findings.filter { $0.severity == .problem }
        for finding in findings where finding.severity == .notice { run.logger.notice("check: \(finding.message)") }
        guard problems.isEmpty else {
            throw PipelineError(.operational, "Manager's schema does not match the contract: " + problems.map(\.message).joined(separator: "; "))
        }
        return StageOutcome(counts: ["problems": 0, "notices": findings.count])
    }

    private func importPlans() throws -> StageOutcome {
        guard let inbox = run.options.inbox else { return StageOutcome(skipped: true) }
        let found = try PlanImporter.expand([inbox.path], settleSeconds: run.options.settleSeconds, now: Date())
        let files = found.ready
        var options = PlanImportOptions()
        options.archive = run.options.archive
        options.receivedAt = run.options.asOf
        let importer = PlanImporter(options: options, files: run.files)
        var results: [PlanImportResult] = []
        for file in found.notSettled {
            run.logger.warning("import-plans: \(file.file) not settled: \(file.message ?? "")")
        }
        for (index, file) in files.enumerated() {
            results.append(contentsOf: try importer.importFiles([file], connection: connection))
            run.observer.progress(.importPlans, index + 1, files.count, "files")
        }
        for result in results where result.status == .refused {
            run.logger.error("import-plans: \(result.file) refused: \(result.message ?? "")")
        }
        return StageOutcome(counts: [
            "files": results.count,
            "imported": results.filter { $0.status == .imported }.count,
            "skipped": results.filter { $0.status == .skipped }.count,
            "refused": results.filter { $0.status == .refused }.count,
            "rows_read": results.reduce(0) { $0 + $1.rowsRead },
            "rows_imported": results.reduce(0) { $0 + $1.imported },
            "rows_rejected": results.reduce(0) { $0 + $1.rejected },
            "rows_blank": results.reduce(0) { $0 + $1.blank },
            "not_settled": found.notSettled.count,
        ], exitFloor: results.contains { $0.status == .refused } ? .refused : .success, notices: found.notSettled.map { "\($0.file) not settled: \($0.message ?? "")" })
    }

    private func pullCentral() throws -> StageOutcome {
        let tables = SourceContract.central.count
        let progress = PullProgress()
        let observer = CentralPull.Observer(
            tableStarted: { [run] _, _ in run.observer.progress(.pullCentral, progress.startTable(), tables, "tables") },
            chunkCopied: { _, _ in })
        var pull = CentralPull(configuration: run.configuration, observer: observer)
        pull.applicationName = run.sessionName
        pull.jobs = run.options.pullJobs
        if let lag = run.options.maxReplicaLag { pull.maxReplicaLagSeconds = lag }
        let result = try pull.run()
        return StageOutcome(counts: ["tables": result.tables.count, "rows": result.totalRows, "snapshot": Int(result.pullID)])
    }

    private func build() throws -> StageOutcome {
        let result = try FactsBuild(files: run.files).run(connection)
        return StageOutcome(counts: ["fact_rows": result.tables.reduce(0) { $0 + $1.rows },
                                     "findings": result.findings.reduce(0) { $0 + $1.count },
                                     "snapshot": Int(result.pullID)])
    }

    private func report() throws -> StageOutcome {
        let options = ManagementReport.Options(outputDirectory: run.options.out, timeZone: run.options.timeZone, date: run.options.reportDate,
                                               periodDays: run.options.periodDays, asOf: run.options.asOf)
        let result = try ManagementReport(files: run.files).run(connection, options: options) { [run] _, rows in
            run.observer.progress(.report, rows, nil, "rows")
        }
        return StageOutcome(counts: ["sheets": result.sheets.count, "rows": result.sheets.reduce(0) { $0 + $1.rows }],
                            workbook: result.file.path)
    }
}

/// Counts the tables a pull has started (its observer is called from the pull's threads).
final class PullProgress: @unchecked Sendable {
    private let lock = NSLock()
    private var started = 0

    func startTable() -> Int {
        lock.lock()
        defer { lock.unlock() }
        started += 1
        return started
    }
}

extension ExitStatus {
    /// The status an import ends with: 2 when a file was refused, 1 when rows were rejected, else 0.
    public init(importing results: [PlanImportResult]) {
        if results.contains(where: { $0.status == .refused }) { self = .refused }
        else if results.contains(where: { $0.rejected > 0 }) { self = .rowsRejected }
        else { self = .success }
    }
}
