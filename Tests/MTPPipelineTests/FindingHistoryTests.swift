import Foundation
import MTPPipeline
import Postgres
import TestSupport
import XCTest

/// The findings' memory across builds (mtp.finding_history) on the hand-built state: a finding resolved by a
/// correction, one newly made, one reopened; `mtp-etl findings`, the Reconciliation sheet's open since and days
/// open, and the Summary's new, resolved and open counts.
final class FindingHistoryTests: XCTestCase {
    /// `mtp-etl findings ... --format json`, each row's values as text ("" for null).
    func findings(_ arguments: [String], _ sources: SourceDatabases) throws -> [[String: String]] {
        let run = try CommandLineRun.run(["findings", "--format", "json"] + arguments, environment: ["MTP_MANAGER_URL": sources.manager.conninfo])
        XCTAssertEqual(run.status, 0, run.stderr)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let rows = try XCTUnwrap(object["rows"] as? [[String: Any]])
        return rows.map { row in
            row.mapValues { value in
                switch value {
                case let number as NSNumber: return number.stringValue
                case let text as String: return text
                default: return ""
                }
            }
        }
    }

    func testAFindingResolvedByACorrectionOneNewlyMadeAndOneReopened() throws {
        let sources = try FactsBuildTests.builtState("finding_history")
        let manager = try sources.manager.connect()
        let distinct = try manager.query("select count(distinct (check_name, keys))::int from facts.finding").first!.decode(Int.self, 0)
        XCTAssertEqual(try manager.query("select count(*)::int from mtp.finding_history where first_build = last_build and resolved_build is null")
            .first!.decode(Int.self, 0), distinct, "the first build saw every finding for the first time")
        XCTAssertEqual(try findings(["--new"], sources).count, distinct)

        // A correction: the shipment's quantity now matches what is allocated (quantity_mismatch resolved); a new
        // request of an order without a plan (request_without_plan, new); a dispatch three days on moves the data's time.
        try manager.execute("""
            update order_shipment set quantity = 65 where request_code = 41 and shipment_code = 1;
            insert into order_request (request_code, order_code, product_name, requirement) values (43, 'ORD-3', 'Green', 10);
            insert into order_shipment values (43, 1, 10);
            insert into order_request (request_code, order_code, product_name, requirement) values (44, repeat('X', 5000), 'Long', 1);
            insert into order_shipment_event (request_code, shipment_code, status, event_ts, shipment_vehicle)
                 values (42, 2, 'SHIPMENT_DISPATCHED', 1767830400000, 'WP CAB-1234');   -- 2026-01-08 00:00 UTC
            """)
        let second = try FactsBuild(files: SourceDatabases.files).run(manager)
        XCTAssertGreaterThanOrEqual(second.history.new, 1)
        XCTAssertEqual(second.history.resolved, 1)
        let resolved = try findings(["--resolved"], sources)
        XCTAssertEqual(resolved.map { $0["check"] ?? "" }, ["quantity_mismatch"])
        XCTAssertEqual(resolved.first?["keys"], "request 41 / shipment 1")
        XCTAssertEqual(resolved.first?["status"], "resolved")
        XCTAssertEqual(resolved.first?["resolved_build"], String(second.history.buildID))
        XCTAssertEqual(resolved.first?["resolved_at"], "2026-01-08T00:00:00Z")
        XCTAssertEqual(resolved.first?["days_open"], "3", "open from the data of 2026-01-05 to that of 2026-01-08")
        XCTAssertEqual(resolved.first?["last_seen_build"], String(second.history.buildID - 1), "last seen by the build before")
        XCTAssertEqual(resolved.first?["last_seen_at"], "2026-01-05T00:00:00Z")
        let new = try findings(["--new"], sources)
        XCTAssertTrue(new.contains { $0["check"] == "request_without_plan" && $0["keys"] == "request 43 / order ORD-3" }, "\(new)")
        XCTAssertFalse(new.contains { $0["check"] == "over_allocated_record" }, "still open, not new")
        XCTAssertTrue(new.contains { $0["keys"]?.hasSuffix(String(repeating: "X", count: 5000)) == true }, "a key of any length is a finding's identity")
        let open = try findings(["--open"], sources)
        let old = try XCTUnwrap(open.first { $0["check"] == "over_allocated_record" })
        XCTAssertEqual(old["days_open"], "3")
        XCTAssertEqual(old["first_seen_build"], String(second.history.buildID - 1))
        XCTAssertEqual(old["last_seen_build"], String(second.history.buildID), "an open finding is last seen by the latest build")
        XCTAssertEqual(old["last_seen_at"], "2026-01-08T00:00:00Z")
        XCTAssertEqual(try findings(["--since", "2026-01-08"], sources).count, new.count + resolved.count,
                       "since a day: what was first seen, reopened or resolved on it")

        // The workbook: Reconciliation says since when and how long each finding is open, the oldest first.
        let out = try TemporaryDirectory()
        let run = try CommandLineRun.run(["report", "--out", out.url.path, "--date", "2026-01-08", "--timezone", "UTC"],
                                         environment: ["MTP_MANAGER_URL": sources.manager.conninfo])
        XCTAssertEqual(run.status, 0, run.stderr)
        let book = try WorkbookReading.read(out.url.appendingPathComponent("mtp-report-2026-01-08.xlsx"))
        let reconciliation = try XCTUnwrap(book.sheet("Reconciliation"))
        let header = reconciliation.rows[1].map { $0.flatMap { if case .text(let t) = $0.v { t } else { nil } } }
        let openSince = try XCTUnwrap(header.firstIndex(of: "Open since (UTC)")), daysOpen = try XCTUnwrap(header.firstIndex(of: "Days open"))
        let rows = reconciliation.rows.dropFirst(2)
        XCTAssertEqual(rows.count, try manager.query("select count(*)::int from facts.finding").first!.decode(Int.self, 0))
        let days = rows.map { row -> Double in if case .number(let d)? = row[daysOpen]?.v { d } else { -1 } }
        XCTAssertTrue(days.contains(3) && days.contains(0), "\(days)")
        let errors = rows.prefix { $0[0]?.v == .text("error") }
        let errorDays = errors.map { row -> Double in if case .number(let d)? = row[daysOpen]?.v { d } else { -1 } }
        XCTAssertEqual(errorDays, errorDays.sorted(by: >), "the longest open first within a severity")
        XCTAssertEqual(rows.first?[openSince]?.t, "d")
        let summary = try XCTUnwrap(book.sheet("Summary"))
        func day(_ measure: String) -> Double? { if case .number(let n)? = summary.row(labelled: measure)?[1]?.v { n } else { nil } }
        XCTAssertEqual(day("Findings resolved"), 1, "quantity_mismatch, resolved by the build of 2026-01-08's data")
        XCTAssertEqual(day("Findings new"), Double(new.count))
        XCTAssertEqual(day("Findings open"), Double(open.count))

        // The quantity is wrong again: the finding reopens, open since this build's data.
        try manager.execute("update order_shipment set quantity = 60 where request_code = 41 and shipment_code = 1")
        let third = try FactsBuild(files: SourceDatabases.files).run(manager)
        XCTAssertEqual(third.history.reopened, 1)
        let reopened = try XCTUnwrap(try findings(["--open"], sources).first { $0["check"] == "quantity_mismatch" })
        XCTAssertEqual(reopened["reopened"], "1")
        XCTAssertEqual(reopened["open_since"], "2026-01-08T00:00:00Z")
        XCTAssertEqual(reopened["first_seen_at"], "2026-01-05T00:00:00Z", "first seen stays the first time")
        XCTAssertEqual(reopened["resolved_at"], "")

        // A build that changes no finding writes none of the memory (every open finding rewritten by every build
        // made its cost grow with the history): each row keeps its version (xmin, ctid); all still open.
        let versions = "select string_agg(xmin::text || ctid::text, '|' order by check_name, keys) from mtp.finding_history"
        let unchanged = try manager.query(versions).first!.decode(String.self, 0)
        let fourth = try FactsBuild(files: SourceDatabases.files).run(manager, options: .init(full: true))
        XCTAssertEqual(try manager.query(versions).first!.decode(String.self, 0), unchanged)
        XCTAssertEqual([fourth.history.new, fourth.history.reopened, fourth.history.resolved], [0, 0, 0])
        XCTAssertEqual(fourth.history.open, try findings(["--open"], sources).count)
        XCTAssertTrue(try findings(["--open"], sources).allSatisfy { $0["last_seen_build"] == String(fourth.history.buildID) })

        // A failed build changes neither the facts nor the memory.
        let before = try manager.query("select md5(string_agg(h::text, '|' order by check_name, keys)) from mtp.finding_history h").first!.decode(String.self, 0)
        try manager.execute("alter table snapshot.tealine_record rename to tealine_record_gone")
        XCTAssertThrowsError(try FactsBuild(files: SourceDatabases.files).run(manager))
        try manager.execute("alter table snapshot.tealine_record_gone rename to tealine_record")
        XCTAssertEqual(try manager.query("select md5(string_agg(h::text, '|' order by check_name, keys)) from mtp.finding_history h").first!.decode(String.self, 0), before)
    }

    func testFindingsRefusesConflictingChoicesAndImpossibleDays() throws {
        XCTAssertEqual(try CommandLineRun.run(["findings", "--open", "--resolved"]).status, 2)
        let bad = try CommandLineRun.run(["findings", "--since", "2026-02-30"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.contains("--since 2026-02-30 is not a day of the calendar"), bad.stderr)
    }
}
