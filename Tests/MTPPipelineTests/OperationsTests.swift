import Foundation
@testable import MTPPipeline
import Postgres
import TestSupport
import XCTest

/// Operated like the rest of the machine room: journal priorities, a Prometheus metrics file checked with the
/// official client's parser against the ledger, and `mtp-etl status` as a monitoring plugin.
final class OperationsTests: XCTestCase {
    // MARK: journald

    func testLogLinesCarryTheirPriorityOnlyWhenStandardErrorIsTheJournal() throws {
        let (sources, work) = try SourceDatabases.handBuiltSample("journal")
        let arguments = ["run", "--inbox", work.url.appendingPathComponent("inbox").path, "--settle", "0",
                         "--out", work.url.appendingPathComponent("out").path, "--date", "2026-03-31", "--log-level", "debug"]
        let journal = try CommandLineRun.run(arguments, environment: sources.environment, journal: true)
        XCTAssertEqual(journal.status, 0, journal.stderr)
        let lines = journal.stderr.split(separator: "\n")
        XCTAssertGreaterThan(lines.count, 5)
        for line in lines {
            XCTAssertNotNil(line.range(of: #"^<[2-7]>"#, options: .regularExpression), "every line has its priority: \(line)")
        }
        XCTAssertTrue(lines.contains { $0.hasPrefix("<6>") && $0.contains("info mtp.run") }, journal.stderr)
        XCTAssertTrue(lines.contains { $0.hasPrefix("<6>run 1 succeeded") }, "the closing line of a good run is info: \(journal.stderr)")

        let failed = try CommandLineRun.run(["run", "--central", "host=127.0.0.1 port=1 dbname=central connect_timeout=2"],
                                            environment: sources.environment, journal: true)
        XCTAssertEqual(failed.status, 3, failed.stderr)
        let failedLines = failed.stderr.split(separator: "\n")
        XCTAssertTrue(failedLines.contains { $0.hasPrefix("<3>") && $0.contains("failed") }, "errors at 3: \(failed.stderr)")
        XCTAssertTrue(failedLines.contains { $0.hasPrefix("<4>") && $0.contains("retrying") }, "a retried connection warns at 4: \(failed.stderr)")
        XCTAssertTrue(failedLines.allSatisfy { $0.range(of: #"^<[2-7]>"#, options: .regularExpression) != nil }, failed.stderr)

        let elsewhere = try CommandLineRun.run(arguments, environment: sources.environment.merging(["JOURNAL_STREAM": "8:12345"]) { $1 })
        XCTAssertFalse(elsewhere.stderr.split(separator: "\n").contains { $0.hasPrefix("<") },
                       "JOURNAL_STREAM naming another file: no prefixes: \(elsewhere.stderr)")
        let plain = try CommandLineRun.run(arguments, environment: sources.environment)
        XCTAssertFalse(plain.stderr.split(separator: "\n").contains { $0.hasPrefix("<") }, plain.stderr)
        XCTAssertTrue(plain.stderr.contains("info mtp.run"))
    }

    // MARK: Prometheus metrics

    /// The metrics file parsed by Prometheus's official Python client: family name -> [(labels, value)].
    static func parseMetrics(_ file: URL) throws -> [String: [(labels: [String: String], value: Double)]] {
        let script = """
            import json, sys
            from prometheus_client.parser import text_string_to_metric_families
            families = {}
            for family in text_string_to_metric_families(open(sys.argv[1]).read()):
                for sample in family.samples:
                    families.setdefault(sample.name, []).append({"labels": sample.labels, "value": sample.value, "type": family.type})
            print(json.dumps(families))
            """
        // The system's python3, where apt's python3-prometheus-client is (scripts/setup installs it).
        let outcome = try Subprocess.run("/usr/bin/python3", ["-c", script, file.path])
        guard outcome.succeeded, let data = outcome.output.split(separator: "\n").last.map({ Data($0.utf8) }),
              let json = try JSONSerialization.jsonObject(with: data) as? [String: [[String: Any]]] else {
            throw PipelineError(.operational, "the Prometheus parser refused \(file.path): \(outcome.output)")
        }
        return json.mapValues { samples in
            samples.map { (($0["labels"] as? [String: String]) ?? [:], ($0["value"] as? Double) ?? .nan) }
        }
    }

    static func value(_ metrics: [String: [(labels: [String: String], value: Double)]], _ name: String, _ labels: [String: String] = [:]) -> Double? {
        metrics[name]?.first { $0.labels == labels }?.value
    }

    func testTheMetricsFileAgreesWithTheLedgerHoweverTheRunEnds() throws {
        let (sources, work) = try SourceDatabases.handBuiltSample("metrics")
        let file = work.url.appendingPathComponent("metrics/mtp_etl_run.prom")
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        let run = try CommandLineRun.run(["run", "--inbox", work.url.appendingPathComponent("inbox").path, "--settle", "0",
                                          "--out", work.url.appendingPathComponent("out").path, "--date", "2026-03-31"],
                                         environment: sources.environment.merging(["MTP_METRICS_DIR": file.deletingLastPathComponent().path]) { $1 })
        XCTAssertEqual(run.status, 0, run.stderr)
        var metrics = try Self.parseMetrics(file)
        let manager = try sources.manager.connect()
        for name in metrics.keys {
            XCTAssertTrue(name.hasPrefix("mtp_etl_"), name)
            XCTAssertFalse(name.contains("milliseconds") || name.contains("_mib"), "base units: \(name)")
        }
        XCTAssertEqual(Self.value(metrics, "mtp_etl_run_last_outcome", ["outcome": "succeeded"]), 1)
        XCTAssertEqual(Self.value(metrics, "mtp_etl_run_last_outcome", ["outcome": "failed"]), 0)
        XCTAssertEqual(Self.value(metrics, "mtp_etl_run_last_exit_status"), 0)
        XCTAssertEqual(Self.value(metrics, "mtp_etl_runs_total", ["outcome": "succeeded"]), 1, "a counter, with its _total")
        let ledger = try XCTUnwrap(try manager.query("""
            select extract(epoch from started_at)::float8, extract(epoch from finished_at)::float8 from mtp.run
            """).first)
        XCTAssertEqual(try XCTUnwrap(Self.value(metrics, "mtp_etl_run_last_success_timestamp_seconds")), try ledger.decode(Double.self, 1), accuracy: 0.5)
        XCTAssertEqual(try XCTUnwrap(Self.value(metrics, "mtp_etl_run_last_start_timestamp_seconds")), try ledger.decode(Double.self, 0), accuracy: 0.5)
        for stage in try manager.query("select stage, seconds::float8, (counts ->> 'rows_rejected')::float8 from mtp.run_stage").rows {
            let name = try stage.decode(String.self, 0)
            XCTAssertEqual(try XCTUnwrap(Self.value(metrics, "mtp_etl_run_stage_duration_seconds", ["stage": name]), name),
                           try stage.decode(Double.self, 1), accuracy: 0.01, name)
            if let rejected = try stage.decode(Double?.self, 2) {
                XCTAssertEqual(Self.value(metrics, "mtp_etl_plan_rows", ["status": "rejected"]), rejected)
                XCTAssertGreaterThan(rejected, 0, "the hand-built state has rejected planning rows")
            }
        }
        XCTAssertEqual(Self.value(metrics, "mtp_etl_plan_rows", ["status": "imported"]),
                       try manager.query("select sum(rows_imported)::float8 from mtp.plan_import").first!.decode(Double.self, 0))
        let findings = try manager.query("select check_name, severity, count(*)::float8 from facts.finding group by 1, 2").rows
        XCTAssertFalse(findings.isEmpty)
        for finding in findings {
            XCTAssertEqual(Self.value(metrics, "mtp_etl_findings", ["check": try finding.decode(String.self, 0), "severity": try finding.decode(String.self, 1)]),
                           try finding.decode(Double.self, 2))
        }
        XCTAssertEqual(metrics["mtp_etl_findings"]?.count, findings.count)
        let pulled = try manager.query("select rows_total::float8 from mtp.central_pull where outcome = 'succeeded'").first!.decode(Double.self, 0)
        XCTAssertEqual(Self.value(metrics, "mtp_etl_central_rows_pulled"), pulled)
        XCTAssertEqual(Self.value(metrics, "mtp_etl_central_replica_lag_seconds"), 0, "a primary")
        let dataAsOf = try manager.query("select extract(epoch from data_as_of)::float8 from facts.build").first!.decode(Double.self, 0)
        XCTAssertEqual(Self.value(metrics, "mtp_etl_data_newest_timestamp_seconds"), dataAsOf)
        XCTAssertGreaterThan(try XCTUnwrap(Self.value(metrics, "mtp_etl_data_age_seconds")), 0)
        let workbook = work.url.appendingPathComponent("out/mtp-report-2026-03-31.xlsx")
        XCTAssertEqual(Self.value(metrics, "mtp_etl_workbook_size_bytes"),
                       Double(try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: workbook.path)[.size] as? Int)))
        let success = Self.value(metrics, "mtp_etl_run_last_success_timestamp_seconds")

        // A run that fails at the pull: failed, exit 3, the last success still the one before.
        let failed = try CommandLineRun.run(["run", "--metrics-file", file.path, "--central", "host=127.0.0.1 port=1 dbname=central connect_timeout=2"],
                                            environment: sources.environment)
        XCTAssertEqual(failed.status, 3, failed.stderr)
        metrics = try Self.parseMetrics(file)
        XCTAssertEqual(Self.value(metrics, "mtp_etl_run_last_outcome", ["outcome": "failed"]), 1)
        XCTAssertEqual(Self.value(metrics, "mtp_etl_run_last_exit_status"), 3)
        XCTAssertEqual(Self.value(metrics, "mtp_etl_runs_total", ["outcome": "failed"]), 1)
        XCTAssertEqual(Self.value(metrics, "mtp_etl_run_last_success_timestamp_seconds"), success)

        // A run that cannot even reach Manager: still told, the last success carried over from the file.
        let unreachable = try CommandLineRun.run(["run", "--metrics-file", file.path, "--manager", "host=127.0.0.1 port=1 dbname=manager connect_timeout=2"],
                                                 environment: sources.environment)
        XCTAssertEqual(unreachable.status, 3, unreachable.stderr)
        metrics = try Self.parseMetrics(file)
        XCTAssertEqual(Self.value(metrics, "mtp_etl_run_last_outcome", ["outcome": "failed"]), 1)
        XCTAssertEqual(Self.value(metrics, "mtp_etl_run_last_exit_status"), 3)
        XCTAssertEqual(try XCTUnwrap(Self.value(metrics, "mtp_etl_run_last_success_timestamp_seconds")), try XCTUnwrap(success), accuracy: 0.001)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: file.deletingLastPathComponent().path)
        XCTAssertEqual(leftovers, ["mtp_etl_run.prom"], "written by rename, no temporary file left")
    }

    func testTheImportWritesItsOwnMetricsFile() throws {
        let (sources, work) = try SourceDatabases.handBuiltSample("import_metrics")
        try Migrator(directory: SourceDatabases.files.migrations).migrate(try sources.manager.connect())
        let file = work.url.appendingPathComponent("mtp_etl_import.prom")
        let imported = try CommandLineRun.run(["import-plans", work.url.appendingPathComponent("inbox").path, "--settle", "0", "--metrics-file", file.path],
                                              environment: sources.environment)
        XCTAssertEqual(imported.status, 1, "rows rejected: \(imported.stderr)")
        var metrics = try Self.parseMetrics(file)
        XCTAssertEqual(Self.value(metrics, "mtp_etl_import_last_exit_status"), 1)
        let ledger = try sources.manager.connect().query("select count(*)::float8, sum(rows_rejected)::float8 from mtp.plan_import").first!
        XCTAssertEqual(Self.value(metrics, "mtp_etl_import_files", ["status": "imported"]), try ledger.decode(Double.self, 0))
        XCTAssertEqual(Self.value(metrics, "mtp_etl_import_rows", ["status": "rejected"]), try ledger.decode(Double.self, 1))
        let success = try XCTUnwrap(Self.value(metrics, "mtp_etl_import_last_success_timestamp_seconds"), "exit 1 imported every file")

        let refused = try CommandLineRun.run(["import-plans", "/nonexistent/inbox", "--metrics-file", file.path], environment: sources.environment)
        XCTAssertNotEqual(refused.status, 0)
        metrics = try Self.parseMetrics(file)
        XCTAssertEqual(Self.value(metrics, "mtp_etl_import_last_exit_status"), Double(refused.status))
        XCTAssertEqual(try XCTUnwrap(Self.value(metrics, "mtp_etl_import_last_success_timestamp_seconds")), success, accuracy: 0.001)
    }

    // MARK: status

    func testStatusSaysOKWarningCriticalOrUnknownAsMonitoringPluginsDo() throws {
        let (sources, work) = try SourceDatabases.handBuiltSample("status")
        func status(_ extra: [String] = []) throws -> CommandLineRun {
            try CommandLineRun.run(["status"] + extra, environment: sources.environment)
        }
        let unmigrated = try status()
        XCTAssertEqual(unmigrated.status, 3, unmigrated.stdout)
        XCTAssertTrue(unmigrated.stdout.hasPrefix("MTP-ETL UNKNOWN - "), unmigrated.stdout)

        try Migrator(directory: SourceDatabases.files.migrations).migrate(try sources.manager.connect())
        let nothingYet = try status()
        XCTAssertEqual(nothingYet.status, 1, nothingYet.stdout)
        XCTAssertTrue(nothingYet.stdout.contains("no run has finished yet"), nothingYet.stdout)

        let run = try CommandLineRun.run(["run", "--inbox", work.url.appendingPathComponent("inbox").path, "--settle", "0",
                                          "--out", work.url.appendingPathComponent("out").path, "--date", "2026-03-31"], environment: sources.environment)
        XCTAssertEqual(run.status, 0, run.stderr)
        // The hand-built data is from March 2026: old data, unless the thresholds say otherwise.
        let ok = try status(["--warn-data-age", "100000d", "--crit-data-age", "200000d"])
        XCTAssertEqual(ok.status, 0, ok.stdout)
        XCTAssertTrue(ok.stdout.hasPrefix("MTP-ETL OK - last run 1 succeeded"), ok.stdout)
        XCTAssertTrue(ok.stdout.contains(" | last_success_age="), "performance data: \(ok.stdout)")
        XCTAssertEqual(ok.stdout.split(separator: "\n").count, 1, "one line")
        let staleWarning = try status(["--warn-data-age", "1h", "--crit-data-age", "200000d"])
        XCTAssertEqual(staleWarning.status, 1, staleWarning.stdout)
        XCTAssertTrue(staleWarning.stdout.contains("the data is"), staleWarning.stdout)
        let staleCritical = try status(["--warn-data-age", "1h", "--crit-data-age", "2h"])
        XCTAssertEqual(staleCritical.status, 2, staleCritical.stdout)

        let manager = try sources.manager.connect()
        try manager.execute("update mtp.run set started_at = started_at - interval '3 days', finished_at = finished_at - interval '3 days'")
        let oldSuccess = try status(["--warn-data-age", "100000d", "--crit-data-age", "200000d"])
        XCTAssertEqual(oldSuccess.status, 2, oldSuccess.stdout)
        XCTAssertTrue(oldSuccess.stdout.contains("the last success was 3 d"), oldSuccess.stdout)
        let lenient = try status(["--warn-age", "2d", "--crit-age", "4d", "--warn-data-age", "100000d", "--crit-data-age", "200000d"])
        XCTAssertEqual(lenient.status, 1, lenient.stdout)

        let failed = try CommandLineRun.run(["run", "--central", "host=127.0.0.1 port=1 dbname=central connect_timeout=2"], environment: sources.environment)
        XCTAssertEqual(failed.status, 3)
        let critical = try status(["--json", "--warn-data-age", "100000d", "--crit-data-age", "200000d"])
        XCTAssertEqual(critical.status, 2, critical.stdout)
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(critical.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(document["state"] as? String, "CRITICAL")
        XCTAssertEqual((document["last_run"] as? [String: Any])?["outcome"] as? String, "failed")
        XCTAssertEqual((document["last_run"] as? [String: Any])?["failed_stage"] as? String, "pull-central")
        XCTAssertTrue((document["reasons"] as? [String])?.first?.contains("failed in pull-central") == true, "\(document)")

        let unreachable = try CommandLineRun.run(["status", "--manager", "host=127.0.0.1 port=1 dbname=manager connect_timeout=2"])
        XCTAssertEqual(unreachable.status, 3, unreachable.stdout)
        XCTAssertTrue(unreachable.stdout.hasPrefix("MTP-ETL UNKNOWN - cannot read the run ledger"), unreachable.stdout)
    }
}
