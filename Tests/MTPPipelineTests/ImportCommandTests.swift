import Foundation
import MTPPipeline
import Postgres
import TestSupport
import XCTest

/// `mtp-etl import-plans` as a scheduler runs it: exit codes and the JSON document.
final class ImportCommandTests: XCTestCase {
    func testExitCodesAndJSON() throws {
        let sources = try SourceDatabases("importcli")
        let environment = ["MTP_MANAGER_URL": sources.manager.conninfo]
        let inbox = try TemporaryDirectory()
        try inbox.write("a-clean.csv", "order_code,product_name,requirement,plan_start,plan_end\nORD-1,Mint,5,2026-01-01,2026-01-02\n")
        try inbox.write("b-rejects.csv", "order_code,product_name,requirement,plan_start,plan_end\nORD-2,Mint,5,2026-01-01,2026-01-02\nORD-3,Mint,0,2026-01-01,2026-01-02\nORD-4,Chai,4,2026-01-01,2026-01-03\n")
        try inbox.write("c-refused.csv", "order_code,product_name\nORD-5,Mint\n")

        let clean = try CommandLineRun.run(["import-plans", inbox.url.appendingPathComponent("a-clean.csv").path], environment: environment)
        XCTAssertEqual(clean.status, 0, clean.stderr)
        XCTAssertTrue(clean.stderr.contains("rows read 1, imported 1"), clean.stderr)

        let folder = try CommandLineRun.run(["import-plans", "--json", "--settle", "0", inbox.url.path], environment: environment)
        XCTAssertEqual(folder.status, 2, "a refused file: \(folder.stderr)")
        let document = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(folder.stdout.utf8)) as? [String: Any])
        let files = try XCTUnwrap(document["files"] as? [[String: Any]])
        XCTAssertEqual(files.map { $0["status"] as? String }, ["skipped", "imported", "refused"], "folder files in name order")
        XCTAssertEqual(files[1]["rejected"] as? Int, 1)
        XCTAssertEqual((files[1]["rejects"] as? [[String: Any]])?.first?["line"] as? Int, 3)
        XCTAssertTrue((files[2]["message"] as? String)?.contains("missing required columns requirement, plan_start, plan_end") ?? false)
        XCTAssertEqual(document["exit_code"] as? Int, 2)

        try FileManager.default.removeItem(at: inbox.url.appendingPathComponent("c-refused.csv"))
        try inbox.write("d-more.csv", "order_code,product_name,requirement,plan_start,plan_end\nORD-6,Mint,x,2026-01-01,2026-01-02\nORD-7,Mint,5,2026-01-01,2026-01-02\nORD-8,Mint,5,2026-01-01,2026-01-02\n")
        let rejected = try CommandLineRun.run(["import-plans", "--settle", "0", inbox.url.path], environment: environment)
        XCTAssertEqual(rejected.status, 1, "rows rejected but every file imported: \(rejected.stderr)")

        let unreachable = try CommandLineRun.run(["import-plans", "--settle", "0", inbox.url.path],
                                                 environment: ["MTP_MANAGER_URL": "postgresql://planner:Secret-77@127.0.0.1:1/manager?connect_timeout=2"])
        XCTAssertEqual(unreachable.status, 3)
        XCTAssertFalse(unreachable.stderr.contains("Secret-77"))
    }
}
