import Foundation
@testable import MTPPipeline
import Postgres
import TestSupport
import XCTest

/// Only regular files are opened from an inbox, and one bad file never stops the others: a folder named like a
/// planning file, a FIFO, a socket, a device and a link out of the inbox are listed as skipped with their kind
/// (output, ledger, workbook) and never opened, so the run goes on to its workbook.
final class InboxEntriesTests: XCTestCase {
    /// An inbox holding one planning file and every kind of entry that is no planning file.
    func oddInbox(_ work: TemporaryDirectory) throws -> URL {
        let inbox = work.url.appendingPathComponent("inbox")
        let entries = inbox.path
        XCTAssertTrue(try Subprocess.run(Subprocess.locate("mkfifo"), [entries + "/pipe.csv"]).succeeded, "mkfifo")
        try FileManager.default.createDirectory(atPath: entries + "/folder.csv", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: entries + "/link.csv", withDestinationPath: "/etc/shadow")
        let socket = try Subprocess.run("/usr/bin/python3", ["-c", "import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])", entries + "/socket.csv"])
        XCTAssertTrue(socket.succeeded, socket.output)
        if geteuid() == 0 {
            XCTAssertTrue(try Subprocess.run(Subprocess.locate("mknod"), [entries + "/device.csv", "c", "1", "3"]).succeeded, "mknod")
        }
        return inbox
    }

    func testOddEntriesAreSkippedWithTheirKindAndTheRunGoesOnToItsWorkbook() throws {
        let (sources, work) = try SourceDatabases.handBuiltSample("inbox_odd")
        let inbox = try oddInbox(work)
        let out = work.url.appendingPathComponent("out")
        let started = Date()
        let run = try CommandLineRun.run(["run", "--inbox", inbox.path, "--settle", "0", "--out", out.path, "--date", "2026-03-31",
                                          "--as-of", "2026-03-31T12:00:00Z"], environment: sources.environment)
        XCTAssertLessThan(Date().timeIntervalSince(started), 120, "no entry blocks the run")
        XCTAssertEqual(run.status, 0, "a skipped entry refuses nothing: \(run.stderr)")
        let kinds = ["folder.csv": "a directory", "pipe.csv": "a FIFO", "link.csv": "a symbolic link", "socket.csv": "a socket"]
            .merging(geteuid() == 0 ? ["device.csv": "a device"] : [:]) { $1 }
        for (name, kind) in kinds {
            XCTAssertTrue(run.stderr.contains("\(name) skipped: \(kind), not a planning file: never opened"), "\(name) listed as \(kind): \(run.stderr)")
        }
        XCTAssertFalse(run.stderr.contains("root:"), "the link's target is never read")
        let manager = try sources.manager.connect()
        let ledger = try manager.query("select path, kind from mtp.inbox_skip order by path").rows
        XCTAssertEqual(Set(try ledger.map { (try $0.decode(String.self, 0) as NSString).lastPathComponent }), Set(kinds.keys))
        XCTAssertEqual(Set(try ledger.map { try $0.decode(String.self, 1) }), Set(kinds.values))
        XCTAssertGreaterThan(try manager.query("select count(*)::int from order_plan").first!.decode(Int.self, 0), 0, "the planning files went in")
        let rejects = try XCTUnwrap(try WorkbookReading.read(out.appendingPathComponent("mtp-report-2026-03-31.xlsx")).sheet("Import rejects"))
        let listed = (0..<rejects.rows.count).compactMap { row in rejects.text(row, 8) }
        for kind in kinds.values {
            XCTAssertTrue(listed.contains { $0.hasPrefix("\(kind) in the inbox, not a planning file") }, "the workbook lists \(kind): \(listed)")
        }
        // A second run sees them again: still one row each, with a later last seen.
        let again = try CommandLineRun.run(["run", "--inbox", inbox.path, "--settle", "0", "--out", out.path, "--date", "2026-03-31"],
                                           environment: sources.environment)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(try manager.query("select count(*)::int from mtp.inbox_skip").first!.decode(Int.self, 0), kinds.count)
    }

    func testAPathNamedOnTheCommandLineThatIsNoFileIsRefusedAndTheOthersGoOn() throws {
        let (sources, work) = try SourceDatabases.handBuiltSample("inbox_named")
        try Migrator(directory: SourceDatabases.files.migrations).migrate(try sources.manager.connect())
        let inbox = try oddInbox(work)
        let good = inbox.appendingPathComponent("2026-03-01-plan.csv").path
        let started = Date()
        let named = try CommandLineRun.run(["import-plans", inbox.appendingPathComponent("pipe.csv").path, work.url.appendingPathComponent("gone.csv").path,
                                            good], environment: sources.environment)
        XCTAssertLessThan(Date().timeIntervalSince(started), 60, "a FIFO named on the command line is never opened")
        XCTAssertEqual(named.status, 2, named.stderr)
        XCTAssertTrue(named.stderr.contains("pipe.csv: refused: a FIFO, not a planning file or folder: not opened"), named.stderr)
        XCTAssertTrue(named.stderr.contains("gone.csv: refused: cannot be read: no such file or directory"), named.stderr)
        XCTAssertTrue(named.stderr.contains("2026-03-01-plan.csv: import"), "the good file is imported all the same: \(named.stderr)")
        XCTAssertEqual(try sources.manager.connect().query("select count(*)::int from mtp.plan_import").first!.decode(Int.self, 0), 1)

        // A file that vanishes between listing and reading is refused with the system's words; the next goes on.
        let importer = PlanImporter(options: PlanImportOptions(), files: SourceDatabases.files)
        let results = try importer.importFiles([work.url.appendingPathComponent("vanished.csv"), URL(fileURLWithPath: good)],
                                               connection: try sources.manager.connect())
        XCTAssertEqual(results.map(\.status), [.refused, .skipped])
        XCTAssertTrue(results[0].message?.contains("no such file or directory") == true, "\(results[0].message ?? "")")
    }

    func testANameThatIsNotUTF8IsRefusedByItsEscapedNameAndAFutureFileWaitsUntilUnchanged() throws {
        let sources = try SourceDatabases("inbox_names")
        let work = try TemporaryDirectory()
        let inbox = work.url.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        let plan = try String(contentsOf: SampleFacts.handBuilt.appendingPathComponent("order_plan_raw/2026-03-01-plan.csv"), encoding: .utf8)
        try plan.write(to: inbox.appendingPathComponent("good.csv"), atomically: true, encoding: .utf8)
        let named = try Subprocess.run("/usr/bin/python3", ["-c", "import sys; open(sys.argv[1].encode() + b'/plan\\xe9.csv', 'wb').write(b'x')", inbox.path])
        XCTAssertTrue(named.succeeded, named.output)
        let listed = try CommandLineRun.run(["import-plans", inbox.path, "--settle", "0"], environment: sources.environment)
        XCTAssertEqual(listed.status, 2, listed.stderr)
        XCTAssertTrue(listed.stderr.contains("plan\\xE9.csv: refused: its name is not UTF-8"), "refused by its escaped name: \(listed.stderr)")
        XCTAssertTrue(listed.stderr.contains("good.csv: import"), "the other file goes in: \(listed.stderr)")

        // A file whose modification time is tomorrow (a file share's clock ahead): reported, and imported once it
        // has been seen unchanged for the settle time; changed meanwhile, it waits again.
        let future = work.url.appendingPathComponent("future")
        try FileManager.default.createDirectory(at: future, withIntermediateDirectories: true)
        let file = future.appendingPathComponent("ahead.csv")
        func writeAhead(_ text: String) throws {
            try text.write(to: file, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(86_400)], ofItemAtPath: file.path)
        }
        try writeAhead(plan.replacingOccurrences(of: "ORD-", with: "FUT-"))
        let arguments = ["import-plans", future.path, "--settle", "1"]
        let first = try CommandLineRun.run(arguments, environment: sources.environment)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stderr.contains("ahead.csv: not settled: modified in the future"), first.stderr)
        Thread.sleep(forTimeInterval: 1.2)
        try writeAhead(plan.replacingOccurrences(of: "ORD-", with: "FUT2-"))
        let changed = try CommandLineRun.run(arguments, environment: sources.environment)
        XCTAssertTrue(changed.stderr.contains("ahead.csv: not settled"), "changed since: it waits again: \(changed.stderr)")
        Thread.sleep(forTimeInterval: 1.2)
        let settled = try CommandLineRun.run(arguments, environment: sources.environment)
        XCTAssertEqual(settled.status, 0, settled.stderr)
        XCTAssertTrue(settled.stderr.contains("ahead.csv: import"), "unchanged for the settle time: imported: \(settled.stderr)")
        XCTAssertGreaterThan(try sources.manager.connect().query("select count(*)::int from order_plan where order_code like 'FUT2-%'").first!.decode(Int.self, 0), 0)
    }
}
