import Foundation
import MTPPipeline
import Postgres
import TestSupport
import XCTest

/// The Changes sheet (issue 21, point 2) on the hand-built state: a first workbook has nothing to compare with;
/// after a day of changes (a late bag into a finished batch, a correction, a new request, a dispatch, a planning
/// revision) the next workbook lists each with its key, what it was, what it is and when.
final class ChangesSheetTests: XCTestCase {
    func report(_ date: String, _ sources: SourceDatabases, into out: URL) throws -> WorkbookReading {
        let run = try CommandLineRun.run(["report", "--out", out.path, "--date", date, "--timezone", "UTC"], environment: ["MTP_MANAGER_URL": sources.manager.conninfo])
        XCTAssertEqual(run.status, 0, run.stderr)
        return try WorkbookReading.read(out.appendingPathComponent("mtp-report-\(date).xlsx"))
    }

    func texts(_ sheet: WorkbookReading.SheetReading) -> [[String]] {
        sheet.rows.dropFirst(2).map { row in row.map { cell in
            switch cell?.v {
            case .text(let text)?: return text
            case .number(let n)?: return String(n)
            default: return ""
            }
        } }
    }

    func testTheNextWorkbookListsWhatChangedSinceTheOneBefore() throws {
        let sources = try FactsBuildTests.builtState("changes")
        let manager = try sources.manager.connect()
        let out = try TemporaryDirectory()
        let first = try report("2026-01-05", sources, into: out.url)
        let none = texts(try XCTUnwrap(first.sheet("Changes")))
        XCTAssertEqual(none.map { $0[0] }, ["nothing to compare with"])
        XCTAssertEqual(try XCTUnwrap(first.sheet("Changes")).text(0, 0), "What changed since the workbook of none (this is the first), as of Monday 5 January 2026")
        let firstSummary = try XCTUnwrap(first.sheet("Summary")).row(labelled: "Changes since the last workbook")
        XCTAssertEqual(firstSummary?[1]?.v, .number(0))

        // The next day: a late bag of TL-A into the finished batch B-1 (its yield and its lots' shares restated),
        // the shipment's quantity corrected (a finding resolved), a request of an order without a plan (a finding
        // made), a dispatch, and a planning file revising ORD-1's requirement.
        let a5 = "00000000-0000-0000-0000-0000000000a5"
        try sources.central.connect().execute("""
            set session_replication_role = replica;
            insert into tealine_record (barcode, item_code, created_ts, received_ts, store_location, bag_weight, gross_weight, status, remaining)
                 values ('\(a5)', 'TL-A', 1000, 1500, 'WH-A', 1, 11, 'ACCEPTED', 0);
            insert into tealine_allocate_blendsheet (barcode, item_code, created_ts, amount) values ('\(a5)', 'B-1', 3000, 10);
            update blendsheet_batch set completed = true where item_code = 'B-4';
            """)
        try manager.execute("""
            update order_shipment set quantity = 65 where request_code = 41 and shipment_code = 1;
            insert into order_request (request_code, order_code, product_name, requirement) values (43, 'ORD-3', 'Green', 10);
            insert into order_shipment_event (request_code, shipment_code, status, event_ts, shipment_vehicle)
                 values (41, 1, 'SHIPMENT_DISPATCHED', 1767700800000, 'WP CAB-1234');   -- 2026-01-06 12:00 UTC
            """)
        let plan = out.url.appendingPathComponent("week-2.csv")
        try Data("order_code,product_name,requirement,plan_start,plan_end\nORD-1,Earl Grey,120,2026-01-01,2026-01-31\nORD-4,Oolong,30,2026-01-02,2026-01-05\n".utf8).write(to: plan)
        XCTAssertEqual(try CommandLineRun.run(["import-plans", plan.path], environment: ["MTP_MANAGER_URL": sources.manager.conninfo]).status, 0)
        var pull = CentralPull(configuration: sources.configuration)
        pull.firstBackoff = 0.05
        try pull.run()
        try FactsBuild(files: SourceDatabases.files).run(manager)

        let second = try report("2026-01-07", sources, into: out.url)
        let changes = try XCTUnwrap(second.sheet("Changes"))
        XCTAssertEqual(changes.text(0, 0), "What changed since the workbook of 2026-01-05, as of Wednesday 7 January 2026")
        let rows = texts(changes)
        func row(_ change: String, _ key: String) -> [String]? { rows.first { $0[0] == change && $0[1] == key } }
        XCTAssertEqual(row("shipment dispatched", "41/1").map { Array($0[2...3]) }, ["not dispatched", "dispatched"], "\(rows)")
        XCTAssertEqual(row("plan revised", "ORD-1").map { Array($0[2...3]) + [$0[5]] },
                       ["100 kg, 2026-01-01 to 2026-01-31", "120 kg, 2026-01-01 to 2026-01-31", "from week-2.csv"], "\(rows)")
        // B-1: 76 kg out of 80 kg in (95 %), then of 90 kg (84.44 %).
        XCTAssertEqual(row("yield restated", "B-1").map { Array($0[2...3]) }, ["95.00 %", "84.44 %"], "\(rows)")
        XCTAssertNotNil(row("lot kg in shipment restated", "TL-A in 41/1"), "TL-A's share of B-1 grew: \(rows)")
        XCTAssertNotNil(row("lot kg in shipment restated", "TL-B in 41/1"), "TL-B's shrank: \(rows)")
        XCTAssertNotNil(row("finding new", "request_without_plan: request 43 / order ORD-3"), "\(rows)")
        XCTAssertEqual(row("order newly overdue", "ORD-4").map { Array($0[2...3]) }, ["not planned", "overdue"], "planned to end on the 5th, nothing dispatched: \(rows)")
        XCTAssertEqual(row("batch completed", "B-4").map { Array($0[2...3]) }, ["in progress", "120.00 % yield"], "\(rows)")
        XCTAssertNotNil(row("finding resolved", "quantity_mismatch: request 41 / shipment 1"), "\(rows)")
        XCTAssertFalse(rows.contains { $0[0] == "nothing to compare with" })
        let summary = try XCTUnwrap(second.sheet("Summary")).row(labelled: "Changes since the last workbook")
        XCTAssertEqual(summary?[1]?.v, .number(Double(rows.count)))

        // The same day written again compares with the same workbook before, not with itself.
        let again = try report("2026-01-07", sources, into: out.url)
        XCTAssertEqual(texts(try XCTUnwrap(again.sheet("Changes"))), rows)

        // The memory cannot be written: the workbook stands and says so; nothing else is lost.
        try manager.execute("""
            create function public.refuse_memory() returns trigger language plpgsql as $$ begin raise exception 'no space left (a test)'; end $$;
            create trigger refuse before insert on mtp.report_written for each row execute function public.refuse_memory();
            """)
        let broken = try CommandLineRun.run(["report", "--out", out.url.path, "--date", "2026-01-08", "--timezone", "UTC"],
                                            environment: ["MTP_MANAGER_URL": sources.manager.conninfo])
        XCTAssertEqual(broken.status, 0, broken.stderr)
        XCTAssertTrue(broken.stderr.contains("the workbook is written, but what it showed is not remembered"), broken.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.url.appendingPathComponent("mtp-report-2026-01-08.xlsx").path))
        XCTAssertEqual(try manager.query("select count(*)::int from mtp.report_written where report_date = '2026-01-08'").first!.decode(Int.self, 0), 0)
    }
}
