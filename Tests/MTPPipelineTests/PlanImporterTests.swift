import Hashing
import Foundation
import MTPDevelopment
import MTPPipeline
import Postgres
import TestSupport
import XCTest

final class PlanImporterTests: XCTestCase {
    var sources: SourceDatabases!
    var manager: Connection!
    var inbox: TemporaryDirectory!

    override func setUpWithError() throws {
        sources = try SourceDatabases("plans")
        manager = try sources.manager.connect()
        inbox = try TemporaryDirectory()
    }

    override func tearDown() {
        manager = nil
        sources = nil
    }

    func file(_ name: String, _ text: String) throws -> URL {
        try inbox.write(name, text)
        return inbox.url.appendingPathComponent(name)
    }

    func run(_ file: URL, _ options: PlanImportOptions = .init()) throws -> PlanImportResult {
        try PlanImporter(options: options).importFiles([file], connection: manager)[0]
    }

    /// Every row of the three tables an import touches, as text: equal before and after means nothing changed.
    func tableState() throws -> String {
        try ["mtp.plan_import", "public.order_plan", "public.order_plan_raw"].map { table in
            try manager.query("select coalesce(string_agg(t::text, '|' order by t::text), '') from \(table) t").first!.decode(String.self, 0)
        }.joined(separator: "\n")
    }

    func testCleanFileIsStagedWithLineageAndNormalised() throws {
        let csv = try file("plan-2026-03.csv", """
            order_code,product_name,requirement,plan_start,plan_end,planner
            ORD-1001,Earl Grey 100g,"1,200",2026-03-01,2026-03-20,Asha
            ORD-1002,Ceylon BOP 1kg,800,5/3/2026,1-Apr-2026,Ben

            """)
        let result = try run(csv)
        XCTAssertEqual(result.status, .imported)
        XCTAssertEqual([result.rowsRead, result.imported, result.inserted, result.rejected, result.skipped], [2, 2, 2, 0, 0])

        let plans = try manager.query("select order_code, product_name, requirement, plan_start::text, plan_end::text from order_plan order by 1").rows
            .map { try [$0.decode(String.self, 0), $0.decode(String.self, 1), String($0.decode(Int.self, 2)), $0.decode(String.self, 3), $0.decode(String.self, 4)] }
        XCTAssertEqual(plans, [["ORD-1001", "Earl Grey 100g", "1200", "2026-03-01", "2026-03-20"],
                               ["ORD-1002", "Ceylon BOP 1kg", "800", "2026-03-05", "2026-04-01"]])

        let raw = try XCTUnwrap(manager.query("""
            select source_file, source_line, requirement, plan_start, extra ->> 'planner', encode(row_hash, 'hex'), import_id
              from order_plan_raw where order_code = 'ORD-1001'
            """).first)
        XCTAssertEqual(try raw.decode(String.self, 0), "plan-2026-03.csv")
        XCTAssertEqual(try raw.decode(Int.self, 1), 2)
        XCTAssertEqual(try raw.decode(String.self, 2), "1,200", "staged exactly as read")
        XCTAssertEqual(try raw.decode(String.self, 4), "Asha", "extra columns kept")
        let expectedHash = SHA256.hash(data: Data("ORD-1001\u{1F}Earl Grey 100g\u{1F}1,200\u{1F}2026-03-01\u{1F}2026-03-20\u{1F}Asha".utf8))
            .map { String(format: "%02x", $0) }.joined()
        XCTAssertEqual(try raw.decode(String.self, 5), expectedHash)

        let ledger = try XCTUnwrap(manager.query("""
            select file_name, file_size, sha256, encoding, delimiter, header::text, rows_read, rows_imported, outcome,
                   finished_at >= started_at
              from mtp.plan_import where import_id = $1
            """, [try XCTUnwrap(result.importID)]).first)
        let bytes = try Data(contentsOf: csv)
        XCTAssertEqual(try ledger.decode(String.self, 0), "plan-2026-03.csv")
        XCTAssertEqual(try ledger.decode(Int.self, 1), bytes.count)
        XCTAssertEqual(try ledger.decode(String.self, 2), SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined())
        XCTAssertEqual(try ledger.decode(String.self, 3), "utf-8")
        XCTAssertEqual(try ledger.decode(String.self, 4), ",")
        XCTAssertEqual(try ledger.decode(String.self, 5), "{order_code,product_name,requirement,plan_start,plan_end,planner}")
        XCTAssertEqual(try ledger.decode(Int.self, 6), 2)
        XCTAssertEqual(try ledger.decode(Int.self, 7), 2)
        XCTAssertEqual(try ledger.decode(String.self, 8), "imported")
        XCTAssertEqual(try ledger.decode(Bool.self, 9), true)
    }

    func testRejectedRowsAreKeptWithReasonsAndDuplicatesHandled() throws {
        let csv = try file("rejects.csv", """
            order_code;product;qty;start;end
            ORD-1;Mint;10;2026-02-01;2026-01-05
            ORD-2;Mint;12.5;2026-02-01;2026-02-05
            ORD-3;Mint;5;31/02/2026;2026-03-05
            ORD-4;Mint;5;2026-02-01
            ORD-5;Mint;5;2026-02-01;2026-02-09
            ORD-5;Mint;5;1/2/2026;9-feb-2026
            ORD-6;Mint;5;2026-02-01;2026-02-09
            ORD-6;Mint;6;2026-02-01;2026-02-09
            ORD-7;Mint;7;2026-02-01;2026-02-09
            ORD-1,x;Mint;7;2026-02-01;2026-02-09;extra
            """)
        let result = try run(csv, PlanImportOptions(maxRejectRate: 0.8))
        XCTAssertEqual(result.status, .imported)
        XCTAssertEqual([result.rowsRead, result.imported, result.rejected, result.skipped], [10, 2, 7, 1])
        XCTAssertEqual(result.rejects, [
            PlanImportResult.Reject(line: 2, reason: "plan_end 2026-01-05 is before plan_start 2026-02-01"),
            PlanImportResult.Reject(line: 3, reason: "requirement 12.5 is not a number with ',' as the decimal mark, as in this semicolon-separated file (import it with --decimal-mark . if its numbers use a point)"),
            PlanImportResult.Reject(line: 4, reason: "plan_start 31/02/2026 is not a real date"),
            PlanImportResult.Reject(line: 5, reason: "row has 4 fields, header has 5"),
            PlanImportResult.Reject(line: 8, reason: "order_code ORD-6 appears on lines 8, 9 with different values"),
            PlanImportResult.Reject(line: 9, reason: "order_code ORD-6 appears on lines 8, 9 with different values"),
            PlanImportResult.Reject(line: 11, reason: "row has 6 fields, header has 5"),
        ])
        XCTAssertEqual(try manager.query("select string_agg(order_code, ',' order by order_code) from order_plan").first?.decode(String.self, 0), "ORD-5,ORD-7")
        let kept = try manager.query("select file_name, source_line, requirement, reason from mtp.plan_reject where source_line = 3").first
        XCTAssertEqual(try kept?.decode(String.self, 0), "rejects.csv")
        XCTAssertEqual(try kept?.decode(String.self, 2), "12.5")
        XCTAssertEqual(try manager.query("select extra::text from order_plan_raw where source_line = 11").first?.decode(String.self, 0), ##"{"#6": "extra"}"##)
        XCTAssertEqual(try manager.query("select outcome from mtp.plan_import").first?.decode(String.self, 0), "imported_with_rejects")
    }

    func testWholeFileRefusalsChangeNothing() throws {
        _ = try run(try file("base.csv", "order_code,product_name,requirement,plan_start,plan_end\nORD-1,Mint,5,2026-01-01,2026-01-02\n"))
        let before = try tableState()
        var invalidUTF8 = Data("order_code,product_name,requirement,plan_start,plan_end\nORD-2,Caf".utf8)
        invalidUTF8.append(0xE9)
        invalidUTF8.append(Data(",5,2026-01-01,2026-01-02\n".utf8))
        try invalidUTF8.write(to: inbox.url.appendingPathComponent("latin.csv"))
        let cases: [(URL, String)] = [
            (try file("empty.csv", ""), "line 1: the file is empty"),
            (try file("blank.csv", "\n  \n\r\n"), "the file is empty"),
            (try file("missing.csv", "order_code,product,qty,start\nORD-2,Mint,5,2026-01-01\n"),
             #"line 1: missing required column plan_end; header found: "order_code", "product", "qty", "start""#),
            (try file("quote.csv", "order_code,product_name,requirement,plan_start,plan_end\nORD-2,\"Mint,5,2026-01-01,2026-01-02\n"),
             "line 2: a quote opened here is never closed"),
            (inbox.url.appendingPathComponent("latin.csv"), "line 2: byte offset 65: invalid UTF-8"),
            (try file("mostly-bad.csv", "order_code,product_name,requirement,plan_start,plan_end\nORD-2,Mint,5,2026-01-01,2026-01-02\nORD-3,Mint,x,2026-01-01,2026-01-02\nORD-4,Mint,0,2026-01-01,2026-01-02\n"),
             "2 of 3 rows rejected (66.7%, more than --max-reject-rate 50.0%)"),
        ]
        for (url, expected) in cases {
            let result = try run(url)
            XCTAssertEqual(result.status, .refused, url.lastPathComponent)
            XCTAssertTrue(result.message?.contains(expected) ?? false, "\(url.lastPathComponent): \(result.message ?? "nil")")
            XCTAssertTrue(result.message?.contains(url.path) ?? false, "names the file")
            XCTAssertEqual(try tableState(), before, "\(url.lastPathComponent) changed nothing")
            XCTAssertTrue(FileManager.default.fileExists(atPath: url.path), "a refused file stays where it was")
        }
        let rateRefusal = try run(cases[5].0)
        XCTAssertEqual(rateRefusal.rejects.map(\.line), [3, 4], "the rejects are still reported")
    }

    func testHeaderOnlyIsZeroRows() throws {
        let result = try run(try file("header.csv", "order_code,product_name,requirement,plan_start,plan_end\r\n"))
        XCTAssertEqual(result.status, .imported)
        XCTAssertEqual(result.rowsRead, 0)
        XCTAssertEqual(try manager.query("select rows_read, outcome from mtp.plan_import").first?.decode(String.self, 1), "imported")
    }

    func testReimportIsSkippedUnlessForcedAndRevisionsUpdate() throws {
        let csv = try file("p.csv", "order_code,product_name,requirement,plan_start,plan_end\nORD-1,Mint,5,2026-01-01,2026-01-02\nORD-2,Chai,7,2026-01-01,2026-01-09\n")
        let first = try run(csv)
        let second = try run(csv)
        XCTAssertEqual(second.status, .skipped)
        XCTAssertTrue(second.message?.contains("import \(first.importID!)") ?? false, second.message ?? "")
        let forced = try run(csv, PlanImportOptions(force: true))
        XCTAssertEqual(forced.status, .imported)
        XCTAssertEqual([forced.imported, forced.inserted, forced.updated], [2, 0, 0])
        XCTAssertEqual(try manager.query("select count(*) from order_plan").first?.decode(Int.self, 0), 2, "no duplicate plans")
        XCTAssertEqual(try manager.query("select count(*) from mtp.plan_import").first?.decode(Int.self, 0), 2)

        let revision = try file("p2.csv", "order_code,product_name,requirement,plan_start,plan_end\nORD-2,Chai,9,2026-01-01,2026-01-09\nORD-3,Mint,1,2026-02-01,2026-02-02\n")
        let revised = try run(revision)
        XCTAssertEqual([revised.inserted, revised.updated], [1, 1])
        XCTAssertEqual(try manager.query("select requirement from order_plan where order_code = 'ORD-2'").first?.decode(Int.self, 0), 9)
        XCTAssertEqual(try manager.query("select count(*) from order_plan").first?.decode(Int.self, 0), 3, "nothing is deleted")
    }

    func testArchiveNeverOverwrites() throws {
        let archive = inbox.url.appendingPathComponent("archive")
        try FileManager.default.createDirectory(at: archive, withIntermediateDirectories: true)
        try "earlier".write(to: archive.appendingPathComponent("a.csv"), atomically: true, encoding: .utf8)
        let csv = try file("a.csv", "order_code,product_name,requirement,plan_start,plan_end\nORD-1,Mint,5,2026-01-01,2026-01-02\n")
        let result = try run(csv, PlanImportOptions(archive: archive))
        XCTAssertEqual(result.archivedTo, archive.appendingPathComponent("a-1.csv").path)
        XCTAssertFalse(FileManager.default.fileExists(atPath: csv.path))
        XCTAssertEqual(try String(contentsOf: archive.appendingPathComponent("a.csv"), encoding: .utf8), "earlier")
    }

    func testSpreadsheetExportWithBOMSemicolonsAndWindows1252() throws {
        var bytes: [UInt8] = [0xEF, 0xBB, 0xBF]
        bytes += Array("Order No;Product;Requirement (kg);Start date;End date\r\nORD-9;Th\u{E9} vert;1 500;03.02.2026;28-Feb-2026\r\n".utf8)
        try Data(bytes).write(to: inbox.url.appendingPathComponent("excel.csv"))
        let result = try run(inbox.url.appendingPathComponent("excel.csv"))
        XCTAssertEqual([result.imported, result.rejected], [1, 0])
        let row = try XCTUnwrap(manager.query("select product_name, requirement, plan_start::text from order_plan").first)
        XCTAssertEqual(try row.decode(String.self, 0), "Thé vert")
        XCTAssertEqual(try row.decode(Int.self, 1), 1500)
        XCTAssertEqual(try row.decode(String.self, 2), "2026-02-03")

        try Data(Array("order_code|product_name|requirement|plan_start|plan_end\nORD-8|Caf".utf8) + [0xE9] + Array("|5|2026-01-01|2026-01-02\n".utf8))
            .write(to: inbox.url.appendingPathComponent("legacy.csv"))
        let legacy = try run(inbox.url.appendingPathComponent("legacy.csv"), PlanImportOptions(encoding: .windows1252))
        XCTAssertEqual(legacy.imported, 1)
        XCTAssertEqual(try manager.query("select product_name from order_plan where order_code = 'ORD-8'").first?.decode(String.self, 0), "Café")
    }

    func testHostileValuesStayValues() throws {
        let csv = try file("hostile.csv", "order_code,product_name,requirement,plan_start,plan_end\n\"'); drop table order_plan; --\",\"tab\there \\N back\\slash\",5,2026-01-01,2026-01-02\n")
        XCTAssertEqual(try run(csv).imported, 1)
        let row = try XCTUnwrap(manager.query("select order_code, product_name from order_plan").first)
        XCTAssertEqual(try row.decode(String.self, 0), "'); drop table order_plan; --")
        XCTAssertEqual(try row.decode(String.self, 1), "tab\there \\N back\\slash")
    }

    func testTenMebibyteFieldAndTwoHundredThousandRows() throws {
        let big = String(repeating: "Assam ", count: 10 * 1024 * 1024 / 6)
        let csv = try file("big.csv", "order_code,product_name,requirement,plan_start,plan_end\nORD-BIG,\"\(big)\",5,2026-01-01,2026-01-02\n")
        XCTAssertEqual(try run(csv).imported, 1)
        XCTAssertEqual(try manager.query("select length(product_name) from order_plan where order_code = 'ORD-BIG'").first?.decode(Int.self, 0),
                       big.trimmingCharacters(in: .whitespaces).count)

        let many = inbox.url.appendingPathComponent("many.csv")
        try PlanFileGenerator(rows: 200_000, seed: 7, rejectShare: 0.01).write(to: many)
        let result = try run(many)
        XCTAssertEqual(result.rowsRead, 200_000)
        XCTAssertEqual(result.rejected, 2_000, "one row in 100 carries a deliberate error")
        XCTAssertEqual(result.imported, 198_000)
        XCTAssertEqual(try manager.query("select count(*) from order_plan_raw where import_id = $1", [result.importID!]).first?.decode(Int.self, 0), 200_000)
    }
}
