import Foundation
import Logging
import Postgres

/// What a stage did when it did not throw.
struct StageResult {
    var counts: [String: Int] = [:]
    var skipped = false
    var workbook: String?
    /// The least exit code the run ends with because of this stage: 2 when a planning file was refused. Rejected
    /// rows are a normal day's business for a run (counted in the ledger, listed in the workbook): exit 0.
    var exitFloor = ExitStatus.success
    /// What the person reading the run's summary must know (a planning file left for the next run).
    var notices: [String] = []
    /// How old the data of the workbook is (the report stage), in seconds before the run's time.
    var dataAgeSeconds: Double?
    /// Whether that is past `--max-data-age` (the run is stale: exit 6, `--on-failure`).
    var stale = false
}

/// Runs one stage of a ``ScheduledRun`` with the existing stage types, on the run's stage connection, with what the
/// stages need of the run and nothing more.
struct StageContext {
    let configuration: DatabaseConfiguration
    let files: ProjectFiles
    let options: ScheduledRun.Options
    let logger: Logger
    let observer: ScheduledRun.Observer
    /// The name the run's sessions show (its pull's too).
    let sessionName: String
    let connection: Connection

    func run(_ stage: RunStage) throws -> StageResult {
        switch stage {
        case .migrate: return try migrate()
        case .check: return try check()
        case .importPlans: return try importPlans()
        case .pullCentral: return try pullCentral()
        case .build: return try build()
        case .report: return try report()
        }
    }

    private func migrate() throws -> StageResult {
        let applied = try Migrator(directory: files.migrations).migrate(connection)
        return StageResult(counts: ["migrations_applied": applied.count])
    }

    /// Manager's schema against the contract. Central's is checked by the pull before it copies anything, so an
    /// unreachable Central fails the run at pull-central, where its retries are.
    private func check() throws -> StageResult {
        let findings = try SchemaCheck(system: "manager", tables: SourceContract.manager).run(connection)
        let problems = findings.filter { $0.severity == .problem }
        for finding in findings where finding.severity == .notice { logger.notice("check: \(finding.message)") }
        guard problems.isEmpty else {
            throw PipelineError(.operational, "Manager's schema does not match the contract: " + problems.map(\.message).joined(separator: "; "))
        }
        return StageResult(counts: ["problems": 0, "notices": findings.count])
    }

    private func importPlans() throws -> StageResult {
        guard let inbox = options.inbox else { return StageResult(skipped: true) }
        let importer = PlanImporter(options: options.planImport, files: files)
        let now = Date()
        var found = importer.expand([inbox.path], now: now)
        try importer.settleFutureFiles(&found, connection: connection, now: now)
        try importer.recordSkipped(found, connection: connection)
        var results = found.refused
        for file in found.notSettled {
            logger.warning("import-plans: \(InputText.shown(file.file)) not settled: \(file.message ?? "")")
        }
        for entry in found.skipped {
            logger.warning("import-plans: \(InputText.shown(entry.file)) skipped: \(entry.message ?? "")")
        }
        for (index, file) in found.ready.enumerated() {
            results.append(contentsOf: try importer.importFiles([file], connection: connection))
            observer.progress(.importPlans, index + 1, found.ready.count, "files")
        }
        for result in results where result.status == .refused {
            logger.error("import-plans: \(InputText.shown(result.file)) refused: \(result.message ?? "")")
        }
        for result in results {
            if let archiveError = result.archiveError { logger.error("import-plans: \(InputText.shown(result.file)) \(archiveError)") }
            if let replyError = result.replyError { logger.error("import-plans: \(InputText.shown(result.file)) reply not written: \(replyError)") }
        }
        return StageResult(counts: [
            "files": results.count,
            "imported": results.filter { $0.status == .imported }.count,
            "skipped": results.filter { $0.status == .skipped }.count,
            "refused": results.filter { $0.status == .refused }.count,
            "rows_read": results.reduce(0) { $0 + $1.rowsRead },
            "rows_imported": results.reduce(0) { $0 + $1.imported },
            "rows_rejected": results.reduce(0) { $0 + $1.rejected },
            "rows_blank": results.reduce(0) { $0 + $1.blank },
            "not_settled": found.notSettled.count,
            "not_files": found.skipped.count,
            "replies": results.filter { $0.replyFile != nil }.count,
        ], exitFloor: results.contains { $0.archiveError != nil || $0.replyError != nil } ? .operational : results.contains { $0.status == .refused } ? .refused : .success,
           notices: found.notSettled.map { "\($0.file) not settled: \($0.message ?? "")" } + found.skipped.map { "\($0.file) skipped: \($0.message ?? "")" }
               + results.compactMap { result in result.archiveError.map { "\(result.file) \($0)" } }
               + results.compactMap { result in result.replyError.map { "\(result.file) reply not written: \($0)" } })
    }

    private func pullCentral() throws -> StageResult {
        let tables = SourceContract.central.count
        let progress = PullProgress()
        let pullObserver = CentralPull.Observer(
            tableStarted: { [observer] _, _ in observer.progress(.pullCentral, progress.startTable(), tables, "tables") },
            chunkCopied: { _, _ in })
        var pull = CentralPull(configuration: configuration, options: options.pull, observer: pullObserver)
        pull.applicationName = sessionName
        let result = try pull.run()
        return StageResult(counts: ["tables": result.tables.count, "rows": result.totalRows, "snapshot": Int(result.pullID)])
    }

    private func build() throws -> StageResult {
        let manager = configuration.manager, session = sessionName
        let result = try FactsBuild(files: files).run(connection, options: .init(connect: {
            try Connection.connect(manager, applicationName: session)
        }))
        var counts = ["findings": result.findings.reduce(0) { $0 + $1.count },
                      "findings_new": result.history.new + result.history.reopened,
                      "findings_resolved": result.history.resolved,
                      "snapshot": Int(result.pullID), "incremental": result.mode == .incremental ? 1 : 0]
        if result.mode == .full { counts["fact_rows"] = result.tables.reduce(0) { $0 + $1.rows } }
        for key in result.keys { counts["keys_" + key.kind] = key.count }
        return StageResult(counts: counts)
    }

    private func report() throws -> StageResult {
        let result = try ManagementReport(files: files).run(connection, options: options.report) { [observer] _, rows in
            observer.progress(.report, rows, nil, "rows")
        }
        var stage = StageResult(counts: ["sheets": result.sheets.count, "rows": result.sheets.reduce(0) { $0 + $1.rows }],
                                workbook: result.file.path, exitFloor: result.stale ? .stale : .success,
                                notices: (result.staleWarning.map { [$0] } ?? [])
                                    + (result.memoryError.map { ["the workbook is written, but what it showed is not remembered: \($0)"] } ?? []))
        stage.dataAgeSeconds = result.dataAgeSeconds
        stage.stale = result.stale
        return stage
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
    /// The status an import ends with: 3 when a file imported could not be archived or a reply not written, 2 when
    /// a file was refused, 1 when rows were rejected, else 0.
    public init(importing results: [PlanImportResult]) {
        if results.contains(where: { $0.archiveError != nil || $0.replyError != nil }) { self = .operational }
        else if results.contains(where: { $0.status == .refused }) { self = .refused }
        else if results.contains(where: { $0.rejected > 0 }) { self = .rowsRejected }
        else { self = .success }
    }
}
