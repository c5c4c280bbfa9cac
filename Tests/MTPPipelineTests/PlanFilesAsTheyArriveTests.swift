import Foundation
import MTPDevelopment
import MTPPipeline
import Postgres
import TestSupport
import XCTest

/// Planning files the way Excel and planning tools write them (Tests/Fixtures/plan-files): UTF-16 "Unicode
/// Text", rows of separators only, comma-decimal numbers, title lines, serial dates. Each is imported by
/// `import-plans` and, through `run --inbox`, into other databases, and the two `order_plan`s compared row by row.
final class PlanFilesAsTheyArriveTests: XCTestCase {
    static let folder = TestServer.projectRoot.appendingPathComponent("Tests/Fixtures/plan-files")
    var sources: SourceDatabases!
    var manager: Connection!

    override func setUpWithError() throws {
        sources = try SourceDatabases("plan_files")
        manager = try sources.manager.connect()
    }

    override func tearDown() {
        manager = nil
        sources = nil
    }

    func importing(_ name: String, _ extra: [String] = []) throws -> (CommandLineRun, [String: Any]) {
        let run = try CommandLineRun.run(["import-plans", Self.folder.appendingPathComponent(name).path, "--json"] + extra,
                                         environment: ["MTP_MANAGER_URL": sources.manager.conninfo])
        let document = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], run.stderr)
        return (run, try XCTUnwrap((document["files"] as? [[String: Any]])?.first))
    }

    func plans(_ connection: Connection, _ prefix: String) throws -> [String] {
        try connection.query("""
            select order_code || '|' || product_name || '|' || requirement || '|' || plan_start || '|' || plan_end
              from order_plan where order_code like $1 order by order_code
            """, [prefix + "%"]).rows.map { try $0.decode(String.self, 0) }
    }

    func rejects(_ file: [String: Any]) -> [String] {
        ((file["rejects"] as? [[String: Any]]) ?? []).map { "line \($0["line"]!): \($0["reason"]!)" }
    }

    func testExcelUnicodeTextAndUTF16BigEndianAreReadByTheirByteOrderMark() throws {
        let (run, file) = try importing("excel-unicode-text.txt")
        XCTAssertEqual(run.status, 1, run.stderr)
        XCTAssertEqual(try plans(manager, "U-"), ["U-101|Thé vert 100 g|1200|2026-05-01|2026-05-31", "U-102|Earl Grey|800|2026-05-02|2026-05-30"])
        XCTAssertEqual(rejects(file), ["line 4: requirement 0 must be a positive number of kg"], "the physical line of the file")
        let read = try manager.query("select encoding, delimiter from mtp.plan_import").first!
        XCTAssertEqual([try read.decode(String.self, 0), try read.decode(String.self, 1)], ["utf-16le", "tab"])
        XCTAssertEqual(try importing("utf16-big-endian.csv").0.status, 0)
        XCTAssertEqual(try plans(manager, "B-"), ["B-201|Ceylon BOP ☕|950|2026-05-04|2026-05-20", "B-202|Dimbula FBOP|1100|2026-05-04|2026-05-21"])
        // Forced to UTF-8, the same bytes are refused, and the advice names what Excel can save instead.
        let forced = try CommandLineRun.run(["import-plans", Self.folder.appendingPathComponent("excel-unicode-text.txt").path, "--encoding", "utf-8", "--force"],
                                            environment: ["MTP_MANAGER_URL": sources.manager.conninfo])
        XCTAssertEqual(forced.status, 2)
        XCTAssertTrue(forced.stderr.contains("invalid UTF-8 (byte 0xFF)") && forced.stderr.contains("\"Unicode Text\""), forced.stderr)
    }

    func testRowsOfSeparatorsOnlyAreSkippedAndCountedNeverRejected() throws {
        // Four rows of empty fields would be two thirds of the file: rejected, they would refuse it whole.
        let (run, file) = try importing("empty-rows.csv")
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(file["rows_read"] as? Int, 2)
        XCTAssertEqual(file["rows_blank"] as? Int, 4)
        XCTAssertEqual(try manager.query("select rows_blank, rows_rejected from mtp.plan_import").first!.decode(Int.self, 0), 4)
        XCTAssertTrue(run.stderr.contains("empty rows 4"), run.stderr)
        XCTAssertEqual(try plans(manager, "R-").count, 2)
    }

    func testCommaDecimalNumbersAndValuesThatReadTwoWays() throws {
        let (run, file) = try importing("comma-decimal.csv")
        XCTAssertEqual(run.status, 1, run.stderr)
        XCTAssertEqual(try plans(manager, "D-"), ["D-401|Tea|1200|2026-05-01|2026-05-31", "D-402|Tea|2500|2026-05-01|2026-05-31",
                                                  "D-404|Tea|1750|2026-05-01|2026-05-31"])
        XCTAssertEqual(rejects(file), [
            "line 4: requirement 1,200 could be 1.2 kg (a decimal comma, as in this semicolon-separated file) or 1200 kg (',' grouping thousands); write 1200 without separators",
            "line 6: requirement 12,5 is not a whole number of kg",
        ])
        XCTAssertEqual(try manager.query("select decimal_mark from mtp.plan_import").first!.decode(String.self, 0), ",")
        // Told the file uses a decimal point after all: 1.200 is now the one read two ways, 1,200 is 1200.
        let (_, point) = try importing("comma-decimal.csv", ["--decimal-mark", ".", "--force"])
        XCTAssertEqual(rejects(point).first?.hasPrefix("line 2: requirement 1.200 could be 1.2 kg (a decimal point, as in this file) or 1200 kg"), true, "\(rejects(point))")
    }

    func testTitleLinesAboveTheHeaderAreSkippedAndReported() throws {
        let (run, file) = try importing("title-lines.csv")
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(file["lines_above_header"] as? [Int], [1, 3])
        XCTAssertTrue(run.stderr.contains("lines 1-3 skipped above the header"), run.stderr)
        XCTAssertEqual(try manager.query("select header_line from mtp.plan_import").first!.decode(Int.self, 0), 4)
        XCTAssertEqual(try plans(manager, "T-"), ["T-501|Tea|700|2026-06-01|2026-06-15", "T-502|Tea|710|2026-06-02|2026-06-16"])
        XCTAssertEqual(try manager.query("select min(source_line) from order_plan_raw").first!.decode(Int.self, 0), 5, "physical lines")

        let before = try manager.query("select count(*) from mtp.plan_import").first!.decode(Int.self, 0)
        let (refused, _) = try importing("no-header.csv")
        XCTAssertEqual(refused.status, 2)
        XCTAssertTrue(refused.stderr.contains("line 1: missing required columns order_code, product_name, requirement, plan_start, plan_end; header found: \"Monthly volumes\""),
                      refused.stderr)
        XCTAssertEqual(try manager.query("select count(*) from mtp.plan_import").first!.decode(Int.self, 0), before, "a refused file changes nothing")
    }

    func testExcelSerialDatesAreReadAnd60IsRejected() throws {
        let (run, file) = try importing("excel-serial-dates.csv")
        XCTAssertEqual(run.status, 1, run.stderr)
        // 46143 = 2026-05-01, 46173 = 2026-05-31; 1 = 1900-01-01 and 2 = 1900-01-02 (before Excel's phantom leap day).
        XCTAssertEqual(try plans(manager, "S-"), ["S-601|Tea|300|2026-05-01|2026-05-31", "S-603|Tea|300|1900-01-01|1900-01-02"])
        XCTAssertEqual(rejects(file), ["line 3: plan_start 60 is Excel's 1900-02-29, a day that never was; write the date"])
        XCTAssertEqual(try manager.query("select plan_start from order_plan_raw where order_code = 'S-601'").first!.decode(String.self, 0), "46143",
                       "the lineage keeps the value as read")
    }

    func testAFolderLeavesFilesStillBeingWrittenAndEveryFileGoesInThroughTheRunToo() throws {
        let inbox = try TemporaryDirectory()
        for name in try FileManager.default.contentsOfDirectory(atPath: Self.folder.path) where name != "no-header.csv" {
            try FileManager.default.copyItem(at: Self.folder.appendingPathComponent(name), to: inbox.url.appendingPathComponent(name))
        }
        try inbox.write("IGNORED.xlsx", "not a planning file")
        // Files just copied in are not settled: the folder is left for the next run, a file named alone is not.
        let environment = ["MTP_MANAGER_URL": sources.manager.conninfo]
        let waiting = try CommandLineRun.run(["import-plans", inbox.url.path, "--json"], environment: environment)
        XCTAssertEqual(waiting.status, 0, waiting.stderr)
        let files = try XCTUnwrap((JSONSerialization.jsonObject(with: Data(waiting.stdout.utf8)) as? [String: Any])?["files"] as? [[String: Any]])
        XCTAssertEqual(files.count, 6)
        XCTAssertTrue(files.allSatisfy { $0["status"] as? String == "not_settled" }, "\(files)")
        XCTAssertTrue(waiting.stderr.contains("not settled: modified 0 s ago, perhaps still being copied in; left for the next run (--settle 60 s)"), waiting.stderr)
        XCTAssertEqual(try manager.query("select count(*) from mtp.plan_import").first!.decode(Int.self, 0), 0)

        // The run sees the same and says so; with --settle 0 it imports all six (*.csv, *.txt; not the .xlsx).
        try FixtureLoader().load(from: SampleFacts.handBuilt.appendingPathComponent("state"), system: .central, into: try sources.central.connect())
        let runEnvironment = ["MTP_MANAGER_URL": sources.manager.conninfo, "MTP_CENTRAL_URL": sources.central.conninfo]
        let out = try TemporaryDirectory()
        let first = try CommandLineRun.run(["run", "--inbox", inbox.url.path, "--out", out.url.path, "--json"], environment: runEnvironment)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stderr.contains("import-plans: \(inbox.url.path)/comma-decimal.csv not settled"), first.stderr)
        let counts = try manager.query("select counts from mtp.run_stage where stage = 'import-plans'").first!.decode(String.self, 0)
        XCTAssertTrue(counts.contains("\"not_settled\": 6"), counts)
        let second = try CommandLineRun.run(["run", "--inbox", inbox.url.path, "--out", out.url.path, "--settle", "0"], environment: runEnvironment)
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertEqual(try manager.query("select count(*) from mtp.plan_import").first!.decode(Int.self, 0), 6)

        // The same files one by one through import-plans, into other databases: the same plans, row by row.
        let other = try SourceDatabases("plan_files_direct")
        for name in try FileManager.default.contentsOfDirectory(atPath: inbox.url.path).sorted() where name.hasSuffix("csv") || name.hasSuffix("txt") {
            _ = try CommandLineRun.run(["import-plans", inbox.url.appendingPathComponent(name).path], environment: ["MTP_MANAGER_URL": other.manager.conninfo])
        }
        XCTAssertEqual(try plans(manager, ""), try plans(try other.manager.connect(), ""))
        XCTAssertEqual(try plans(manager, "").count, 13)
    }

    func testAFileThatChangesWhileItIsImportedIsRolledBackAndRefused() throws {
        let inbox = try TemporaryDirectory()
        let file = inbox.url.appendingPathComponent("growing.csv")
        var text = "order_code,product_name,requirement,plan_start,plan_end\n"
        for n in 0..<300_000 { text += "G-\(n),Tea,100,2026-05-01,2026-05-31\n" }
        try text.write(to: file, atomically: true, encoding: .utf8)
        let running = try RunningCommand(["import-plans", file.path], environment: ["MTP_MANAGER_URL": sources.manager.conninfo])
        // Keep appending while it runs, as a copy in progress would.
        let handle = try FileHandle(forWritingTo: file)
        var appended = 0
        while running.process.isRunning {
            Thread.sleep(forTimeInterval: 0.1)
            try handle.seekToEnd()
            handle.write(Data("G-late-\(appended),Tea,100,2026-05-01,2026-05-31\n".utf8))
            appended += 1
        }
        try handle.close()
        let result = running.wait()
        XCTAssertGreaterThan(appended, 1)
        XCTAssertEqual(result.status, 2, result.stderr)
        XCTAssertTrue(result.stderr.contains("growing.csv: its size changed from") && result.stderr.contains("while it was being imported; nothing imported from it, it is left for the next run"),
                      result.stderr)
        XCTAssertEqual(try manager.query("select (select count(*) from order_plan) + (select count(*) from order_plan_raw) + (select count(*) from mtp.plan_import)")
            .first!.decode(Int.self, 0), 0, "rolled back whole")
    }
}

/// The reader against the inputs the fuzzer kept (Tests/Fixtures/fuzz-corpus) and every planning file of the
/// project, and against Python's csv module on generated files.
final class PlanReaderRobustnessTests: XCTestCase {
    func testEveryKeptInputReadsTheSameInAnyChunkSize() throws {
        let root = TestServer.projectRoot
        var inputs: [URL] = []
        for folder in ["Tests/Fixtures/fuzz-corpus", "Tests/Fixtures/plan-files", "samples/order_plan_raw", "Tests/Fixtures/hand-built/order_plan_raw"] {
            let url = root.appendingPathComponent(folder)
            inputs += try FileManager.default.contentsOfDirectory(atPath: url.path).map { url.appendingPathComponent($0) }
        }
        XCTAssertGreaterThan(inputs.count, 15)
        for input in inputs {
            let bytes = [UInt8](try Data(contentsOf: input))
            XCTAssertTrue(PlanReaderExercise.isChunkIndependent(bytes), input.lastPathComponent)
            let outcome = PlanReaderExercise.read(bytes)
            XCTAssertTrue(outcome.records != nil || outcome.refusal != nil, input.lastPathComponent)
        }
    }

    func testTheReaderAgreesWithPythonsCSVModuleFieldForField() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [TestServer.projectRoot.appendingPathComponent("scripts/csv-differential").path, "--count", "400", "--seed", "11",
                             "--binary", TestServer.projectRoot.appendingPathComponent(".build/debug/PlanFuzz").path]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, text)
        XCTAssertTrue(text.contains("400 files agree with Python's csv, field for field"), text)
    }
}
