import Foundation
import MTPPipeline
import Postgres
import TestSupport
import XCTest

/// What a killed run or a careless value leaves behind is cleaned or shown for what it is.
final class HousekeepingTests: XCTestCase {
    func testTraceCSVIsSafeToOpenInASpreadsheet() throws {
        let sources = try SampleFacts.make("csv_safe")
        try sources.manager.connect().execute("""
            update order_request set product_name = '=HYPERLINK("http://evil.example","click")';
            update order_request set product_name = '@SUM(1+1)' where request_code = (select min(request_code) from order_request)
            """)
        try FactsBuild(files: SourceDatabases.files).run(try sources.manager.connect())
        let trace = try CommandLineRun.run(["trace", "lot", "TL-A", "--format", "csv"], environment: sources.environment)
        XCTAssertEqual(trace.status, 0, trace.stderr)
        let rows = trace.stdout.split(separator: "\r\n").dropFirst()
        XCTAssertFalse(rows.isEmpty)
        XCTAssertTrue(trace.stdout.contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\""), "neutralised with a quote: \(trace.stdout)")
        XCTAssertTrue(trace.stdout.contains(",'@SUM(1+1),"), trace.stdout)
        for row in rows {
            for field in row.split(separator: ",", omittingEmptySubsequences: false) {
                XCTAssertFalse(["=", "+", "@"].contains(field.first.map(String.init) ?? ""), "no cell a spreadsheet would run: \(row)")
            }
        }
    }

    func testKilledRunsAndTheirHalfWrittenWorkbooksAreDealtWith() throws {
        let (sources, work) = try SourceDatabases.handBuiltSample("housekeeping")
        let out = work.url.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let leftover = out.appendingPathComponent(".mtp-report-2026-03-30.xlsx.0badf00d.tmp")
        let notOurs = out.appendingPathComponent(".recall-TL-A.xlsx.0badf00d.tmp")
        for file in [leftover, notOurs] { XCTAssertTrue(FileManager.default.createFile(atPath: file.path, contents: Data("half".utf8))) }
        let run = try CommandLineRun.run(["run", "--out", out.path, "--date", "2026-03-31"], environment: sources.environment)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: leftover.path), "a killed report's temporary workbook is removed by the next")
        XCTAssertTrue(FileManager.default.fileExists(atPath: notOurs.path), "another command's is left alone")

        // A run whose process is gone (killed, its session ended) shows as abandoned before the next run closes it.
        try sources.manager.connect().execute("insert into mtp.run (host, pid, backend_pid) values ('gone', 1, 2147483000)")
        let runs = try CommandLineRun.run(["runs", "--last", "1"], environment: sources.environment)
        XCTAssertTrue(runs.stdout.contains("abandoned (its process is gone"), runs.stdout)
    }

    func testAnArchiveThatFailsKeepsTheImportAndEndsWithOneStatusStandaloneAndInARun() throws {
        let (sources, work) = try SourceDatabases.handBuiltSample("archive")
        try work.write("not-a-folder", "a file\n")
        let archive = work.url.appendingPathComponent("not-a-folder/archive").path
        let inbox = work.url.appendingPathComponent("inbox")
        try Migrator(directory: SourceDatabases.files.migrations).migrate(try sources.manager.connect())
        let standalone = try CommandLineRun.run(["import-plans", inbox.appendingPathComponent("2026-03-01-plan.csv").path, "--archive", archive],
                                                environment: sources.environment)
        XCTAssertEqual(standalone.status, 3, standalone.stderr)
        XCTAssertTrue(standalone.stderr.contains("imported, but not moved to the archive \(archive): \(work.url.path)/not-a-folder is a file, not a folder"), standalone.stderr)
        XCTAssertEqual(try sources.manager.connect().query("select count(*)::int from mtp.plan_import").first!.decode(Int.self, 0), 1, "imported all the same")

        let out = work.url.appendingPathComponent("out")
        let run = try CommandLineRun.run(["run", "--inbox", inbox.path, "--settle", "0", "--archive", archive, "--out", out.path, "--date", "2026-03-31"],
                                         environment: sources.environment)
        XCTAssertEqual(run.status, 3, "the same status inside a run: \(run.stderr)")
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("mtp-report-2026-03-31.xlsx").path), "and the workbook still comes out")
        XCTAssertEqual(try sources.manager.connect().query("select count(*)::int from mtp.plan_import").first!.decode(Int.self, 0), 3)
        XCTAssertTrue(run.stderr.contains("not moved to the archive"), run.stderr)
    }
}
