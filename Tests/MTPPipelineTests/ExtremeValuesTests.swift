import Foundation
import MTPPipeline
import Postgres
import TestSupport
import XCTest

/// No value in a planning file can cause exit 3: rows of extreme values (lengths up to 1 MB, every Unicode plane,
/// NUL and control characters, quotes and delimiters, in each column) go through `import-plans`, which exits 0,
/// 1 or 2, and every row is either a plan or kept with its reason.
final class ExtremeValuesTests: XCTestCase {
    /// A small deterministic generator (SplitMix64), so a failure can be replayed from its seed.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    /// An extreme value: long, from any plane, with NUL, control characters, quotes, delimiters or line breaks.
    static func extreme(_ random: inout Generator) -> String {
        let lengths = [0, 1, 2, 199, 200, 201, 999, 1_000, 1_001, 4_096, 65_536, 1_000_000]
        let length = random.below(10) == 0 ? lengths[random.below(lengths.count)] : lengths[random.below(7)]
        let alphabet = random.below(5)
        let specials: [Unicode.Scalar] = [Unicode.Scalar(0x1B), "[", "3", "1", "m", "\"", ",", ";", "\t", "\n", "\r", "\\", "="]
        var text = String.UnicodeScalarView()
        for _ in 0..<length {
            switch alphabet {
            case 0: text.append(Unicode.Scalar(UInt8(0x21 + random.below(94))))                              // ASCII
            case 1: text.append(Unicode.Scalar(UInt8(random.below(0x20))))                                   // controls, NUL
            case 2: text.append(specials[random.below(specials.count)])                                       // escapes, quotes, breaks
            case 3: text.append(Unicode.Scalar(UInt32(0x80 + random.below(0x780))) ?? "?")                    // Latin, Greek...
            default:
                // any plane, 0 to 16, the surrogates skipped
                let scalar = UInt32(random.below(17)) << 16 | UInt32(random.below(0x10000))
                text.append(Unicode.Scalar(scalar) ?? Unicode.Scalar(0xFFFD)!)
            }
        }
        return String(text)
    }

    static func csvField(_ value: String) -> String {
        "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    func testRowsOfExtremeValuesAreImportedOrKeptWithAReasonNeverExitThree() throws {
        let sources = try SourceDatabases("extreme")
        let work = try TemporaryDirectory()
        var random = Generator(state: 20_261_201)
        let columns = ["order_code", "product_name", "requirement", "plan_start", "plan_end"]
        var rowsWritten: [String: Int] = [:]
        for fileNumber in 0..<8 {
            var lines = [columns.joined(separator: ",")]
            for row in 0..<30 {
                var values = ["P\(fileNumber)-\(row)", "Earl Grey", "\(1 + random.below(5_000))", "2026-03-01", "2026-03-09"]
                let fixed = fileNumber == 0 && row < 4
                for _ in 0..<(fixed ? 0 : 1 + random.below(2)) {
                    let column = random.below(values.count)
                    let value = Self.extreme(&random)
                    values[column] = column == 0 ? values[0] + value : value   // codes stay unique
                }
                if fileNumber == 0 {
                    // The values that stopped runs before, whatever the generator draws.
                    switch row {
                    case 0: values[0] = String(repeating: "O", count: 2_800)
                    case 1: values[1] = String(repeating: "é", count: 500_000)
                    case 2: values[0] = "P0-NUL\u{0}X"
                    case 3: values[3] = "\u{1B}[2J\u{1B}[31m2026-03-01"
                    default: break
                    }
                }
                lines.append(values.map(Self.csvField).joined(separator: ","))
            }
            let name = "extreme-\(fileNumber).csv"
            try (lines.joined(separator: "\r\n") + "\r\n").write(to: work.url.appendingPathComponent(name), atomically: true, encoding: .utf8)
            rowsWritten[name] = 30
        }
        let manager = try sources.manager.connect()
        for name in rowsWritten.keys.sorted() {
            let file = work.url.appendingPathComponent(name)
            let run = try CommandLineRun.run(["import-plans", file.path, "--max-reject-rate", "1"], environment: sources.environment)
            XCTAssertTrue([0, 1, 2].contains(run.status), "\(name): exit \(run.status): \(run.stderr.prefix(2_000))")
            XCTAssertLessThan(run.stderr.utf8.count, 40_000, "\(name): bounded output")
            XCTAssertFalse(run.stderr.unicodeScalars.contains { $0.value == 0x1B }, "\(name): no terminal escape printed raw")
            guard let imported = try manager.query("select import_id, rows_read from mtp.plan_import where file_path = $1", [file.path]).first else {
                XCTAssertEqual(run.status, 2, "\(name): not imported, so refused whole: \(run.stderr.prefix(500))")
                continue
            }
            let importID = try imported.decode(Int64.self, 0)
            let staged = try XCTUnwrap(try manager.query("""
                select count(*)::int,
                       count(*) filter (where r.reject_reason is null
                                          and exists (select 1 from order_plan p where p.order_code = coalesce(r.n_order_code, r.order_code)))::int,
                       count(*) filter (where r.reject_reason is not null and r.reject_reason <> '')::int
                  from order_plan_raw r where r.import_id = $1
                """, [importID]).first)
            let (all, plans, kept) = (try staged.decode(Int.self, 0), try staged.decode(Int.self, 1), try staged.decode(Int.self, 2))
            let blank = try manager.query("select rows_blank from mtp.plan_import where import_id = $1", [importID]).first!.decode(Int.self, 0)
            XCTAssertEqual(all + blank, rowsWritten[name], "\(name): every row staged (or counted blank)")
            XCTAssertEqual(plans + kept, all, "\(name): every staged row is a plan or kept with its reason")
        }
        func reason(code: String) throws -> String {
            try XCTUnwrap(try manager.query("select reason from mtp.plan_reject where file_name = 'extreme-0.csv' and order_code = $1", [code])
                            .first?.decode(String.self, 0), "the row of \(code.prefix(20)) is kept with its reason")
        }
        XCTAssertTrue(try reason(code: String(repeating: "O", count: 2_800)).contains("order_code is 2800 characters long, more than the 200"))
        XCTAssertEqual(try manager.query("select length(product_name) from order_plan where order_code = 'P0-1'").first?.decode(Int.self, 0), 500_000,
                       "a long name is text the schema holds: imported whole")
        XCTAssertTrue(try reason(code: "P0-NUL\u{2400}X").contains("order_code contains a NUL byte"), "the NUL shown as ␀ in what is kept, never dropped")
        let escaped = try reason(code: "P0-3")
        XCTAssertTrue(escaped.contains("plan_start \\u{1B}[2J\\u{1B}[31m2026-03-01 is not a date"), escaped)
        let rejected = try manager.query("select count(*)::int from mtp.plan_reject").first!.decode(Int.self, 0)
        XCTAssertGreaterThan(rejected, 0, "extreme values were rejected")
        XCTAssertGreaterThan(try manager.query("select count(*)::int from order_plan").first!.decode(Int.self, 0), 0, "and plans imported")
    }
}
