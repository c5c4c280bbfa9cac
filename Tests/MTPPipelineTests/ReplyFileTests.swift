import Foundation
import MTPPipeline
import Postgres
import TestSupport
import XCTest

/// Reply files for planners (`--rejects-out`, issue 21, point 3): the rejected rows of each planning file exactly
/// as they were, in its own encoding, delimiter and header, with their physical lines and reasons, read back by
/// Python's own csv module; a text for a refused file; never an overwrite.
final class ReplyFileTests: XCTestCase {
    /// The rows of `file` as Python's csv module reads them in `encoding` with `delimiter`.
    func pythonRows(_ file: URL, encoding: String, delimiter: String) throws -> [[String]] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", """
            import csv, json, sys
            with open(sys.argv[1], newline='', encoding=sys.argv[2]) as f:
                print(json.dumps(list(csv.reader(f, delimiter=sys.argv[3]))))
            """, file.path, encoding, delimiter]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [[String]])
    }

    func testRepliesInTheFilesOwnEncodingDelimiterAndHeader() throws {
        let sources = try SourceDatabases("replies")
        let work = try TemporaryDirectory()
        let replies = work.url.appendingPathComponent("replies")
        // UTF-8 with a byte-order mark, commas, an extra column, a field holding a comma, a quote and a line break.
        let comma = work.url.appendingPathComponent("week-45.csv")
        let commaText = "Order Code,Product Name,Requirement,Plan Start,Plan End,Note\r\n"
            + "ORD-1,Earl Grey,100,2026-11-02,2026-11-20,fine\r\n"
            + "ORD-2,\"Chai, \"\"spiced\"\"\nlarge\",lots,2026-11-02,2026-11-20,ask Nimal\r\n"
            + "ORD-3,Green,50,2026-13-02,2026-11-20,\r\n"
            + "ORD-4,Mint,20,2026-11-02,2026-11-20,x,surplus\r\n"
            + "ORD-13,Jasmine,30,2026-11-02,2026-11-20,\r\nORD-14,Oolong,30,2026-11-02,2026-11-20,\r\nORD-15,Sencha,30,2026-11-02,2026-11-20,\r\n"
        try Data([0xEF, 0xBB, 0xBF] + Array(commaText.utf8)).write(to: comma)
        // UTF-16LE (as Excel's "Unicode text" saves), semicolons and decimal commas.
        let semicolon = work.url.appendingPathComponent("plan_w46.txt")
        let semicolonText = "order_code;product_name;requirement;plan_start;plan_end\r\n"
            + "ORD-5;Ceylon OP;120;09/11/2026;27/11/2026\r\n"
            + "ORD-8;Ceylon FBOP;60;09/11/2026;27/11/2026\r\n"
            + "ORD-10;Ceylon Dust;40;09/11/2026;27/11/2026\r\n"
            + "ORD-6;Ceylon ☕ OP;-5;09/11/2026;27/11/2026\r\n"
            + "ORD-7;Ceylon BOP;80;09/11/2026;\r\n"
        try Data([0xFF, 0xFE] + semicolonText.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }).write(to: semicolon)
        // A file without a required column: refused whole.
        let refused = work.url.appendingPathComponent("broken.csv")
        try Data("order_code,product_name,requirement\r\nORD-9,x,1\r\n".utf8).write(to: refused)

        let run = try CommandLineRun.run(["import-plans", comma.path, semicolon.path, refused.path, "--rejects-out", replies.path, "--json"],
                                         environment: ["MTP_MANAGER_URL": sources.manager.conninfo])
        XCTAssertEqual(run.status, 2, "a file was refused\n\(run.stderr)")
        let ids = try sources.manager.connect().query("select file_name, import_id from mtp.plan_import").rows
            .reduce(into: [String: Int64]()) { $0[try $1.decode(String.self, 0)] = try $1.decode(Int64.self, 1) }

        let first = replies.appendingPathComponent("week-45.rejects-\(try XCTUnwrap(ids["week-45.csv"])).csv")
        let rows = try pythonRows(first, encoding: "utf-8-sig", delimiter: ",")
        XCTAssertEqual(try Data(contentsOf: first).prefix(3), Data([0xEF, 0xBB, 0xBF]), "the file's own byte-order mark")
        XCTAssertEqual(rows[0], ["Line in week-45.csv", "Order Code", "Product Name", "Requirement", "Plan Start", "Plan End", "Note", "Why rejected"])
        XCTAssertEqual(rows.count, 4, "the three rejected rows, not the good one")
        XCTAssertEqual(Array(rows[1].prefix(7)), ["3", "ORD-2", "Chai, \"spiced\"\nlarge", "lots", "2026-11-02", "2026-11-20", "ask Nimal"])
        XCTAssertEqual(Array(rows[2].prefix(7)), ["5", "ORD-3", "Green", "50", "2026-13-02", "2026-11-20", ""])
        XCTAssertEqual(Array(rows[3].prefix(8)), ["6", "ORD-4", "Mint", "20", "2026-11-02", "2026-11-20", "x", "surplus"])
        XCTAssertTrue(rows[1].last?.contains("requirement") == true, "\(rows[1])")
        XCTAssertTrue(rows[2].last?.contains("plan_start") == true, "\(rows[2])")

        let second = replies.appendingPathComponent("plan_w46.rejects-\(try XCTUnwrap(ids["plan_w46.txt"])).txt")
        XCTAssertEqual(try Data(contentsOf: second).prefix(2), Data([0xFF, 0xFE]), "UTF-16LE, as the file was")
        let rows16 = try pythonRows(second, encoding: "utf-16", delimiter: ";")
        XCTAssertEqual(rows16[0], ["Line in plan_w46.txt", "order_code", "product_name", "requirement", "plan_start", "plan_end", "Why rejected"])
        XCTAssertEqual(rows16.map { $0[0] }, ["Line in plan_w46.txt", "5", "6"])
        XCTAssertEqual(Array(rows16[1].prefix(6)), ["5", "ORD-6", "Ceylon ☕ OP", "-5", "09/11/2026", "27/11/2026"])

        // Refused for too many rejected rows: the rows to fix anyway, and why.
        let many = work.url.appendingPathComponent("mostly-wrong.csv")
        try Data("order_code,product_name,requirement,plan_start,plan_end\nORD-11,A,-1,2026-11-02,2026-11-20\nORD-12,B,x,2026-11-02,2026-11-20\n".utf8).write(to: many)
        let tooMany = try CommandLineRun.run(["import-plans", many.path, "--rejects-out", replies.path], environment: ["MTP_MANAGER_URL": sources.manager.conninfo])
        XCTAssertEqual(tooMany.status, 2, tooMany.stderr)
        XCTAssertEqual(try pythonRows(replies.appendingPathComponent("mostly-wrong.rejects-refused.csv"), encoding: "utf-8", delimiter: ",").map { $0[0] },
                       ["Line in mostly-wrong.csv", "2", "3"])
        XCTAssertTrue(try String(contentsOf: replies.appendingPathComponent("mostly-wrong.csv.refused.txt"), encoding: .utf8).contains("--max-reject-rate"))

        let text = try String(contentsOf: replies.appendingPathComponent("broken.csv.refused.txt"), encoding: .utf8)
        XCTAssertTrue(text.contains("broken.csv was not imported") && text.contains("plan_start") && text.contains("What to do"), text)

        // The same file imported again (--force): a reply of its own, the first one untouched.
        let before = try Data(contentsOf: first)
        let again = try CommandLineRun.run(["import-plans", comma.path, refused.path, "--force", "--rejects-out", replies.path],
                                           environment: ["MTP_MANAGER_URL": sources.manager.conninfo])
        XCTAssertEqual(again.status, 2, again.stderr)
        XCTAssertEqual(try Data(contentsOf: first), before)
        let names = try FileManager.default.contentsOfDirectory(atPath: replies.path).sorted()
        XCTAssertEqual(names.filter { $0.hasPrefix("week-45.rejects-") }.count, 2, "\(names)")
        XCTAssertTrue(names.contains("broken.csv.refused-2.txt"), "\(names)")
        XCTAssertFalse(names.contains { $0.hasPrefix(".") }, "no temporary file left: \(names)")

        // Replies into the inbox itself would be read back as planning files: refused before any work.
        for arguments in [["import-plans", work.url.path, "--rejects-out", work.url.path + "/"],
                          ["run", "--inbox", work.url.path, "--rejects-out", work.url.appendingPathComponent(".").path]] {
            let refused = try CommandLineRun.run(arguments, environment: ["MTP_MANAGER_URL": sources.manager.conninfo])
            XCTAssertEqual(refused.status, 2, refused.stderr)
            XCTAssertTrue(refused.stderr.contains("is a folder planning files are read from"), refused.stderr)
        }
        let notAFolder = try CommandLineRun.run(["import-plans", comma.path, "--rejects-out", comma.path], environment: ["MTP_MANAGER_URL": sources.manager.conninfo])
        XCTAssertEqual(notAFolder.status, 2, notAFolder.stderr)
        XCTAssertTrue(notAFolder.stderr.contains("is a file, not a folder"), notAFolder.stderr)
    }
}
