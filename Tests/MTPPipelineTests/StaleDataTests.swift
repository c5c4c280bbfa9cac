import Foundation
import MTPPipeline
import Postgres
import TestSupport
import XCTest

/// Stale data named (issue 21, point 4): every workbook and the ledger say how old the data is; past
/// --warn-data-age the Summary begins with a warning, past --max-data-age the run is stale (exit 6, --on-failure,
/// the title says so). The hand-built state's bags were all scanned on 1970-01-01 (by their small time stamps),
/// its dispatch on 2026-01-05.
final class StaleDataTests: XCTestCase {
    func summaryRows(_ file: URL) throws -> (title: String?, rows: [[String?]]) {
        let book = try WorkbookReading.read(file)
        let summary = try XCTUnwrap(book.sheet("Summary"))
        let rows = summary.rows.map { row in row.map { $0.flatMap { if case .text(let text) = $0.v { text } else { nil } } } }
        return (book.properties.title, rows)
    }

    func testAStaleRunSaysSoInItsTitleLedgerAndExitAndCallsOnFailure() throws {
        let (sources, work) = try SourceDatabases.handBuiltSample("stale_run")
        let out = work.url.appendingPathComponent("out")
        let alert = work.url.appendingPathComponent("alert.json")
        let run = try CommandLineRun.run(["run", "--out", out.path, "--date", "1970-01-04", "--as-of", "1970-01-04T00:00:00Z",
                                          "--max-data-age", "2d", "--on-failure", "cat > '\(alert.path)'",
                                          "--metrics-file", work.url.appendingPathComponent("run.prom").path], environment: sources.environment)
        XCTAssertEqual(run.status, 6, "stale data: the documented exit 6\n\(run.stderr)")
        let (title, rows) = try summaryRows(out.appendingPathComponent("mtp-report-1970-01-04.xlsx"))
        XCTAssertEqual(title, "STALE DATA · MTP daily report 1970-01-04")
        XCTAssertTrue(rows[0].first??.hasPrefix("STALE DATA · MTP daily report for") == true, "\(rows[0])")
        XCTAssertEqual(rows[2].first ?? nil, "STALE DATA", "the Summary begins with the warning")
        XCTAssertEqual(rows[2][1], "stale: the last bag was scanned 2 days ago (1970-01-01 00:00); nothing newer came from Central,"
                                   + " so every figure of this workbook stops there")
        XCTAssertEqual(rows[3].first ?? nil, "Data")
        XCTAssertTrue(rows[3][1]?.contains("last bag scanned 1970-01-01 00:00 (") == true, "\(rows[3])")
        XCTAssertTrue(rows[3][1]?.contains("last dispatch 2026-01-05 00:00 (") == true, "\(rows[3])")

        let manager = try sources.manager.connect()
        let ledger = try manager.query("select stale, exit_code, outcome, data_age_seconds::float8 from mtp.run order by run_id desc limit 1").first!
        XCTAssertEqual(try ledger.decode(Bool.self, 0), true)
        XCTAssertEqual(try ledger.decode(Int.self, 1), 6)
        XCTAssertEqual(try ledger.decode(String.self, 2), "succeeded", "the work was done; it is the data that is old")
        XCTAssertGreaterThan(try ledger.decode(Double.self, 3), 2 * 86_400)
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: alert)) as? [String: Any]
        XCTAssertEqual(summary?["stale"] as? Bool, true, "--on-failure was called with the run's summary")
        XCTAssertEqual(summary?["exit_code"] as? Int, 6)
        let metrics = try String(contentsOf: work.url.appendingPathComponent("run.prom"), encoding: .utf8)
        XCTAssertTrue(metrics.contains("\nmtp_etl_run_last_stale 1\n") && metrics.contains("\nmtp_etl_run_last_exit_status 6\n"), metrics)
        let runs = try CommandLineRun.run(["runs", "--last", "1"], environment: sources.environment)
        XCTAssertTrue(runs.stdout.contains("days old (STALE: past --max-data-age)"), runs.stdout)
        let snapshots = try CommandLineRun.run(["snapshots", "--last", "1"], environment: sources.environment)
        XCTAssertTrue(snapshots.stdout.contains("newest scan 1970-01-01 00:00:"), snapshots.stdout)
    }

    func testOldDataWarnsWithoutMaxAgeAndFreshDataDoesNot() throws {
        let (sources, work) = try SourceDatabases.handBuiltSample("stale_warn")
        let out = work.url.appendingPathComponent("out")
        // Three days after the last scan: a warning (24 h by default), not a stale run.
        let old = try CommandLineRun.run(["run", "--out", out.path, "--date", "1970-01-04", "--as-of", "1970-01-04T00:00:00Z"],
                                         environment: sources.environment)
        XCTAssertEqual(old.status, 0, old.stderr)
        var (title, rows) = try summaryRows(out.appendingPathComponent("mtp-report-1970-01-04.xlsx"))
        XCTAssertEqual(title, "MTP daily report 1970-01-04")
        XCTAssertEqual(rows[2].first ?? nil, "STALE DATA")
        XCTAssertEqual(try sources.manager.connect().query("select stale from mtp.run order by run_id desc limit 1").first!.decode(Bool.self, 0), false)
        // An hour after it: no warning, the data's age stated.
        let fresh = try CommandLineRun.run(["report", "--out", out.path, "--date", "1970-01-01", "--as-of", "1970-01-01T01:00:00Z", "--max-data-age", "2h"],
                                           environment: sources.environment)
        XCTAssertEqual(fresh.status, 0, fresh.stderr)
        (title, rows) = try summaryRows(out.appendingPathComponent("mtp-report-1970-01-01.xlsx"))
        XCTAssertEqual(title, "MTP daily report 1970-01-01")
        XCTAssertEqual(rows[2].first ?? nil, "Data")
        XCTAssertTrue(rows[2][1]?.hasPrefix("last bag scanned 1970-01-01 00:00 (59 min before the report's time)") == true, "\(rows[2])")
        // A report past --max-data-age exits 6 too, and says why.
        let stale = try CommandLineRun.run(["report", "--out", out.path, "--date", "1970-01-04", "--as-of", "1970-01-04T00:00:00Z", "--max-data-age", "1d"],
                                           environment: sources.environment)
        XCTAssertEqual(stale.status, 6, stale.stderr)
        XCTAssertTrue(stale.stderr.contains("the data is older than --max-data-age 1d"), stale.stderr)
        XCTAssertEqual(try CommandLineRun.run(["report", "--max-data-age", "soon"]).status, 2)
    }
}
